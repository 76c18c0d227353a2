/**
 * Attention-shaped subgraphs in the exporter's form (see rules/fusion-llm.rules and
 * src/zoo/exported-ops.ts), with the details a fusion must check drawn at random: head reshapes
 * that are right ([B, S, H, D], with 0, -1 or explicit entries) or fold the batch into the sequence
 * ([1, B·S, H, D]); k transposed in one step, two, or through 3-D; grouped-query repeats; rotary
 * tables; scale as Mul, Div or split over q and k; masks of every shape (none, [1, 1] zeros, causal
 * [S, S], random, a network input); softmax over the last axis or another; the NaN guard.
 */
import { build } from '../../../src/network/functional/build.js';
import * as F from '../../../src/network/functional/primitives.js';
import type { Tensor } from '../../../src/network/tensor.js';
import { causalMask, exportedRotary, ropeTables } from '../../../src/zoo/exported-ops.js';
import type { BlockContext } from './context.js';
import { lastDim } from './context.js';
import type { Picks } from './picks.js';

interface Heads {
  heads: number;
  kvHeads: number;
  size: number;
}

/** The target of a head reshape for n heads: right (three spellings), or folding the batch into the sequence. */
interface HeadShape {
  target(n: number): number[];
  folded: boolean;
}

function headShape(ctx: BlockContext, p: Picks, size: number): HeadShape {
  const { staticBatch: b, staticSeq: s } = ctx;
  const explicit = b !== undefined && s !== undefined;
  const right = (target: (n: number) => number[]) => ({ target, folded: false });
  const fold = (target: (n: number) => number[]) => ({ target, folded: true });
  switch (p.of(['copy', 'infer', 'explicit', 'fold', 'copy', 'fold-explicit'])) {
    case 'infer':
      return right(() => [0, 0, -1, size]);
    case 'explicit':
      return right(explicit ? (n) => [b, s, n, size] : (n) => [0, 0, n, size]);
    case 'fold':
      return fold((n) => [1, -1, n, size]);
    case 'fold-explicit':
      return fold(explicit ? (n) => [1, b * s, n, size] : (n) => [1, -1, n, size]);
    default:
      return right((n) => [0, 0, n, size]);
  }
}

/** q, k and v [B, S, width]: three projections, or one projection split in three (GPT-2's c_attn). */
function projections(ctx: BlockContext, x: Tensor, p: Picks, h: Heads): Tensor[] {
  const e = lastDim(x);
  const widths = [h.heads * h.size, h.kvHeads * h.size, h.kvHeads * h.size];
  const bias = (t: Tensor) => (p.oneIn(3) ? F.add(t, ctx.random([lastDim(t)], 0.5)) : t);
  if (!p.oneIn(3)) return widths.map((w) => bias(F.matmul(x, ctx.weight([e, w]))));
  const packed = bias(F.matmul(x, ctx.weight([e, widths[0]! + 2 * widths[1]!])));
  const equal = widths[0] === widths[1];
  return F.split(packed, { axis: p.of([2, -1]), ...(equal && p.oneIn(2) ? { numOutputs: 3 } : { split: widths }) });
}

/** HF's repeat_kv: Unsqueeze, Expand (exact shape when static, broadcasting 1s when not), Reshape. */
function repeatKv(t: Tensor, h: Heads, p: Picks): Tensor {
  const r = h.heads / h.kvHeads;
  const [b, kv, s, d] = t.shape;
  const exact = typeof b === 'number' && typeof s === 'number' && !p.oneIn(4);
  const expanded = F.expand(F.unsqueeze(t, [2]), exact ? [b, kv as number, r, s, d as number] : [1, kv as number, r, 1, d as number]);
  return F.reshape(expanded, exact ? [b, h.heads, s, d as number] : [0, h.heads, -1, d as number]);
}

/** kᵀ [.., D, S] for the scores, in one of the exporter's spellings. */
function keysTransposed(k: Tensor, h: Heads, shape: HeadShape, p: Picks, rope: { cos: Tensor; sin: Tensor } | undefined): Tensor {
  const split = (t: Tensor) => F.transpose(F.reshape(t, shape.target(h.kvHeads)), [0, 2, 1, 3]);
  if (rope || h.kvHeads !== h.heads || p.oneIn(4)) {
    const heads = rope ? exportedRotary(split(k), rope.cos, rope.sin) : split(k);
    return F.transpose(repeatKv(heads, h, p), [0, 1, 3, 2]);
  }
  switch (p.of(['one-step', 'two-steps', '3d'])) {
    case 'two-steps':
      return F.transpose(split(k), [0, 1, 3, 2]);
    case '3d': {
      const heads = split(k);
      const [b, n, s] = heads.shape;
      // GPT-2's detour through [B·H, D, S]; only spelled with explicit sizes, as the exporter does.
      if (typeof b !== 'number' || typeof s !== 'number') break;
      return F.reshape(F.transpose(F.reshape(heads, [-1, s, h.size]), [0, 2, 1]), [b, n as number, h.size, s]);
    }
  }
  return F.transpose(F.reshape(k, shape.target(h.kvHeads)), [0, 2, 3, 1]);
}

/** An additive mask for scores [.., Sq, Sk], or none; shapes that need static sizes are drawn only when they have them. */
function mask(ctx: BlockContext, scores: Tensor, p: Picks): Tensor | undefined {
  const [sq, sk] = scores.shape.slice(-2);
  const sized = typeof sq === 'number' && typeof sk === 'number';
  const seq = ctx.staticSeq;
  const kind = p.of(['causal', 'none', 'zeros [1, 1]', 'causal 4-D', 'random', 'zeros [1, 1, Sq, Sk]', 'zeros []', 'input [seq, seq]', 'padding [1, Sk]']);
  switch (kind) {
    case 'causal':
    case 'causal 4-D': {
      // Without a static sequence to size it, the exporter's "no mask" [1, 1] zeros, which is trivially causal.
      if (seq === undefined || sq !== seq || sk !== seq) return ctx.oneElement(0, 2);
      const m = ctx.shared('causal', () => causalMask(ctx.network, seq));
      return kind === 'causal' ? m : F.reshape(m, [1, 1, seq, seq]);
    }
    case 'none':
      return undefined;
    case 'random':
      return sized ? ctx.random([sq, sk]) : ctx.random([1, 1]);
    case 'zeros [1, 1, Sq, Sk]':
      return sized ? ctx.filled([1, 1, sq, sk], 0) : ctx.filled([1, 1, 1, 1], 0);
    case 'zeros []':
      return ctx.oneElement(0, 0);
    case 'input [seq, seq]':
      return sq === ctx.seq && sk === ctx.seq ? ctx.input('attention_mask', [ctx.seq, ctx.seq]) : ctx.oneElement(0, 1);
    case 'padding [1, Sk]':
      return typeof sk === 'number' ? ctx.random([1, sk], 2, -2) : ctx.oneElement(-1, 2);
    default: // 'zeros [1, 1]'
      return ctx.oneElement(0, 2);
  }
}

/** Scores → probabilities: mask, softmax (last axis mostly), and sometimes PyTorch's Where(IsNaN) guard. */
function probabilities(ctx: BlockContext, scores: Tensor, p: Picks): Tensor {
  const m = mask(ctx, scores, p);
  const masked = !m ? scores : p.oneIn(4) ? F.add(m, scores) : F.add(scores, m);
  const probs = F.softmax(masked, p.of([-1, -1, -1, 3, 2]));
  return p.oneIn(4) ? F.where(build('IsNaN', [probs]), 0, probs) : probs;
}

/** q·kᵀ scaled by 1/√D: a Mul or a Div after the product, or the exporter's split scale D^(-1/4) on each side. */
function scaledScores(ctx: BlockContext, qh: Tensor, kT: Tensor, size: number, p: Picks): Tensor {
  switch (p.of(['mul', 'div', 'split'])) {
    case 'div':
      return F.div(F.matmul(qh, kT), ctx.literal(p, Math.sqrt(size)));
    case 'split': {
      const c = size ** -0.25;
      return F.matmul(F.mul(qh, ctx.literal(p, c)), F.mul(kT, ctx.literal(p, c)));
    }
    default:
      return F.mul(F.matmul(qh, kT), ctx.literal(p, 1 / Math.sqrt(size)));
  }
}

/** Scaled dot-product attention as exported on a sequence [B, S, E], with its details drawn by `p`. */
export function attentionBlock(ctx: BlockContext, p: Picks): Tensor[] {
  const x = ctx.sequence(p);
  const heads = p.of([2, 1, 4]);
  const h: Heads = { heads, size: p.of([2, 4]), kvHeads: heads > 1 && p.oneIn(3) ? p.of([1, heads / 2]) : heads };
  const [q, k, v] = projections(ctx, x, p, h);
  const shape = headShape(ctx, p, h.size);
  // Now and then k and v use another head reshape than q (a broken export the rules must refuse).
  const kvShape = p.oneIn(5) ? headShape(ctx, p, h.size) : shape;
  const seq = ctx.staticSeq;
  // Rotary tables are [S, 4], shared by every block; they broadcast onto heads of size 4 over the sequence only.
  const rotate = seq !== undefined && h.size === 4 && !shape.folded && !kvShape.folded && p.oneIn(3);
  const rotary = rotate ? ctx.shared('rope', () => ropeTables(ctx.network, seq, 4)) : undefined;
  let qh = F.transpose(F.reshape(q!, shape.target(h.heads)), [0, 2, 1, 3]);
  if (rotary) qh = exportedRotary(qh, rotary.cos, rotary.sin);
  const kT = keysTransposed(k!, h, kvShape, p, rotary);
  const splitHeads = F.transpose(F.reshape(v!, kvShape.target(h.kvHeads)), [0, 2, 1, 3]);
  const vh = h.kvHeads !== h.heads || rotary ? repeatKv(splitHeads, h, p) : splitHeads;
  const scores = scaledScores(ctx, qh, kT, h.size, p);
  const context = F.matmul(probabilities(ctx, scores, p), vh);
  return [output(ctx, F.transpose(context, [0, 2, 1, 3]), h, p)];
}

/** Heads merged back ([.., S, H·D], or GPT-2's 2-D rows), restored to [B, S, E] where the sizes allow, and sometimes projected. */
function output(ctx: BlockContext, merged: Tensor, h: Heads, p: Picks): Tensor {
  const width = h.heads * h.size;
  let out = F.reshape(
    merged,
    p.of([
      [0, 0, -1],
      [0, 0, width],
      [-1, width],
    ]),
  );
  const [b, s] = out.shape;
  if (out.shape.length === 2 || b !== ctx.batch || s !== ctx.seq) {
    if (ctx.staticSeq !== undefined) out = F.reshape(out, [-1, ctx.staticSeq, width]);
    else if (ctx.staticBatch !== undefined) out = F.reshape(out, [ctx.staticBatch, -1, width]);
  }
  return p.oneIn(2) ? F.matmul(out, ctx.weight([lastDim(out), p.of([8, 4])])) : out;
}
