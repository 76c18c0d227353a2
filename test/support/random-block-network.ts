/**
 * Random networks built from blocks of every op family an exported model holds, for the soundness
 * property: attention in the exporter's form (with right and wrong head reshapes and masks of every
 * shape), reshape/transpose chains, constants of every rank broadcast onto tensors, convs, norms in
 * their decomposed forms, GELU/SiLU spelled out, MatMul + Add, Gemm, Split/Concat/Slice.
 *
 * Batch and sequence are symbolic in most networks (`batch`, `seq`: a verifier binds them to
 * values above 1); a static sequence length is what lets causal masks and rotary tables be
 * constants, so some networks have one. Like random-network.ts, a network is a recipe of plain
 * numbers that builds deterministically, and fast-check shrinks a failing one toward fewer blocks
 * and each block toward its plainest (exported) form.
 */
import fc from 'fast-check';
import { relu } from '../../src/network/functional/primitives.js';
import type { Network } from '../../src/network/network.js';
import type { Tensor } from '../../src/network/tensor.js';
import { sameShape } from '../../src/ops/shape.js';
import type { Dim } from '../../src/ops/types.js';
import { attentionBlock } from './block-network/attention-block.js';
import { BATCH, BlockContext, SEQ } from './block-network/context.js';
import { convBlock } from './block-network/conv-block.js';
import { activationBlock, gemmBlock, linearBlock, normBlock } from './block-network/dense-blocks.js';
import { broadcastBlock, layoutBlock, splitConcatBlock } from './block-network/layout-blocks.js';
import { Picks } from './block-network/picks.js';

export { BATCH, SEQ };

/** The op families, each one kind of block. Order matters: shrinking moves toward the first. */
export const BLOCK_FAMILIES = ['linear', 'norm', 'activation', 'attention', 'layout', 'broadcast', 'split-concat', 'gemm', 'conv'] as const;
export type BlockFamily = (typeof BLOCK_FAMILIES)[number];

const BUILDERS: Record<BlockFamily, (ctx: BlockContext, p: Picks) => Tensor[]> = {
  linear: linearBlock,
  norm: normBlock,
  activation: activationBlock,
  attention: attentionBlock,
  layout: layoutBlock,
  broadcast: broadcastBlock,
  'split-concat': splitConcatBlock,
  gemm: gemmBlock,
  conv: convBlock,
};

/** Blocks per network: small enough that 200 cases run in seconds, enough for blocks to feed each other. */
const MAX_BLOCKS = 4;

/** How many numbers each block reads; more are derived from these when a block needs them. */
const PICKS_PER_BLOCK = 24;

export interface BlockRecipe {
  family: BlockFamily;
  picks: number[];
}

export interface BlockNetworkRecipe {
  /** Seed of the constants' data. */
  seed: number;
  /** The batch dim: the symbol `batch` or a size. */
  batch: Dim;
  /** The sequence dim: the symbol `seq` or a size. */
  seq: Dim;
  blocks: BlockRecipe[];
  /** Picks of extra outputs among the blocks' results (the last block's last result is always one). */
  outputs: number[];
}

/** A symbol three times in four, else a static size (1 included: a real batch of one). */
const dim = (symbol: string, sizes: number[]) => fc.oneof({ arbitrary: fc.constant<Dim>(symbol), weight: 3 }, { arbitrary: fc.constantFrom<Dim>(...sizes), weight: 1 });

/** The fast-check arbitrary of recipes. */
export function blockNetworkRecipeArb(): fc.Arbitrary<BlockNetworkRecipe> {
  const nat = fc.nat({ max: 1000 });
  const block = fc.record({
    family: fc.constantFrom(...BLOCK_FAMILIES),
    picks: fc.array(nat, { minLength: PICKS_PER_BLOCK, maxLength: PICKS_PER_BLOCK }),
  });
  return fc.record({
    seed: fc.nat({ max: 0xffff }),
    batch: dim(BATCH, [2, 3, 1]),
    seq: dim(SEQ, [4, 3, 2]),
    blocks: fc.array(block, { minLength: 1, maxLength: MAX_BLOCKS }),
    outputs: fc.array(nat, { maxLength: 2 }),
  });
}

/** Files a block's results into the pools later blocks read: sequences [B, S, X] and images [B, C, H, W]. */
function pool(ctx: BlockContext, results: readonly Tensor[]): void {
  for (const t of results) {
    // A block that changed nothing (a chain of identities) hands its input back: not a result.
    if (!t.getParent()) continue;
    ctx.results.push(t);
    const [b, ...rest] = t.shape;
    const sized = rest.every((d) => typeof d === 'number' && d > 0);
    if (t.shape.length === 3 && sameShape(t.shape.slice(0, 2), [ctx.batch, ctx.seq]) && typeof rest[1] === 'number') ctx.sequences.push(t);
    else if (t.shape.length === 4 && b === ctx.batch && sized) ctx.images.push(t);
  }
}

/** Builds the network a recipe describes. Deterministic; never throws for a recipe from the arbitrary. */
export function buildBlockNetwork(recipe: BlockNetworkRecipe): Network {
  const ctx = new BlockContext(recipe.batch, recipe.seq, recipe.seed);
  for (const b of recipe.blocks) pool(ctx, BUILDERS[b.family](ctx, new Picks(b.picks)));
  if (ctx.results.length === 0) ctx.results.push(relu(ctx.network.inputs[0]!));
  const marked = new Set<Tensor>([ctx.results[ctx.results.length - 1]!]);
  for (const k of recipe.outputs) marked.add(ctx.results[k % ctx.results.length]!);
  for (const t of marked) ctx.network.markOutput(t);
  return ctx.network;
}
