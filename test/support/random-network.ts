/**
 * Random well-formed networks for property tests.
 *
 * A network is described by a {@link NetworkRecipe}: plain numbers drawn by fast-check (input
 * shapes, one small record per layer step, output picks). {@link buildNetwork} turns a recipe into
 * a Network deterministically, choosing only constructions that always type-check (operands are
 * picked among the tensors that fit, constants are made to match), so every recipe builds. Since
 * every random choice is a number in the recipe, fast-check shrinks a failing case toward fewer
 * steps, smaller picks and the first op kinds.
 *
 * Use {@link networkRecipeArb} (or {@link arbNetwork}) inside properties and {@link randomNetwork}
 * for a plain seeded network outside them.
 */
import fc from 'fast-check';
import { randomArray } from '../../src/interp/random.js';
import * as F from '../../src/network/functional/primitives.js';
import { fusedLinear, skipRmsNorm } from '../../src/network/functional/fused.js';
import { Network } from '../../src/network/network.js';
import type { Tensor } from '../../src/network/tensor.js';
import type { Dim, Shape } from '../../src/ops/types.js';

/** The kinds of layer step the builder knows. Order matters: shrinking moves toward the first. */
export const STEP_KINDS = ['unary', 'binary', 'matmul', 'transpose', 'reshape', 'concat', 'softmax', 'reduceMean', 'rmsNorm', 'layerNorm', 'fusedLinear', 'skipRmsNorm'] as const;
export type StepKind = (typeof STEP_KINDS)[number];

/** One layer step: its kind and four free numbers the builder reads as operand picks and parameters. */
export interface StepRecipe {
  kind: StepKind;
  /** Picks the first operand among the tensors made so far. */
  a: number;
  /** Picks the second operand (or decides a constant is made instead). */
  b: number;
  /** Op parameters: which unary op, which axis, the permutation... */
  p: number;
  /** More parameters: sizes, the constant's shape. */
  q: number;
}

export interface NetworkRecipe {
  /** Seed of the constants' data. */
  seed: number;
  /** When true every input starts with the symbolic dim "batch". */
  symbolic: boolean;
  /** Static dims of each input (1-3 inputs, rank 1-3, dims 1-4). */
  inputs: number[][];
  steps: StepRecipe[];
  /** Picks of the marked outputs among the non-constant layer outputs (deduplicated). */
  outputs: number[];
}

export interface RandomNetworkOptions {
  /** Fewest layer steps (default 3). */
  minLayers?: number;
  /** Most layer steps (default 25); constants made for a step are not counted. */
  maxLayers?: number;
  /** Allow the symbolic "batch" dim (default true). */
  symbolic?: boolean;
  /** Step kinds to draw from (default all). */
  kinds?: readonly StepKind[];
}

const UNARY = ['Relu', 'Gelu', 'Silu', 'Tanh', 'Sigmoid', 'Neg', 'Erf', 'Identity'] as const;
const BINARY = ['Add', 'Sub', 'Mul'] as const;
const ACTIVATIONS = ['none', 'relu', 'gelu', 'silu', 'tanh', 'sigmoid'] as const;
/** Dims never grow past this, so tensors stay tiny. */
const MAX_DIM = 8;
const MAX_RANK = 4;

/** The fast-check arbitrary of recipes; shrinks toward fewer, simpler steps. */
export function networkRecipeArb(options: RandomNetworkOptions = {}): fc.Arbitrary<NetworkRecipe> {
  const minLayers = options.minLayers ?? 3;
  const maxLayers = options.maxLayers ?? 25;
  const kinds = options.kinds ?? STEP_KINDS;
  const nat = fc.nat({ max: 1000 });
  const step: fc.Arbitrary<StepRecipe> = fc.record({ kind: fc.constantFrom(...kinds), a: nat, b: nat, p: nat, q: nat });
  return fc.record({
    seed: fc.nat({ max: 0xffff }),
    symbolic: options.symbolic === false ? fc.constant(false) : fc.boolean(),
    inputs: fc.array(fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 }),
    steps: fc.array(step, { minLength: minLayers, maxLength: maxLayers }),
    outputs: fc.array(nat, { minLength: 1, maxLength: 3 }),
  });
}

/** Random networks (built fresh for each generated value, so a property may edit them freely). */
export function arbNetwork(options: RandomNetworkOptions = {}): fc.Arbitrary<Network> {
  return networkRecipeArb(options).map(buildNetwork);
}

/** A plain seeded random network: the same seed always gives the same network. */
export function randomNetwork(seed: number, options: RandomNetworkOptions = {}): Network {
  const [recipe] = fc.sample(networkRecipeArb(options), { seed, numRuns: 1 });
  return buildNetwork(recipe!);
}

const isStatic = (d: Dim | undefined): d is number => typeof d === 'number';

/** Whether `b` broadcasts onto `a` without changing a's shape (aligned right, equal or 1). */
function fitsOnto(a: Shape, b: Shape): boolean {
  if (b.length > a.length) return false;
  const off = a.length - b.length;
  return b.every((d, i) => d === 1 || d === a[off + i]);
}

/** A permutation of 0..n-1 read from `code` (a Lehmer code in mixed radix). */
export function permutation(n: number, code: number): number[] {
  const rest = Array.from({ length: n }, (_, i) => i);
  const out: number[] = [];
  for (let k = n; k > 0; k--) {
    out.push(rest.splice(code % k, 1)[0]!);
    code = Math.floor(code / k);
  }
  return out;
}

/** Builds the network a recipe describes. Deterministic; never throws for a recipe from the arbitrary. */
export function buildNetwork(recipe: NetworkRecipe): Network {
  const n = new Network('random');
  let constants = 0;
  const constant = (shape: number[]): Tensor => n.addConstant({ dtype: 'float32', shape, data: randomArray('float32', shape, recipe.seed * 1009 + constants++) });
  const pool: Tensor[] = recipe.inputs.map((dims, i) => n.addInput(`input_${i}`, 'float32', recipe.symbolic ? ['batch', ...dims] : [...dims]));
  const computed: Tensor[] = [];

  const unary = (x: Tensor, p: number): Tensor => {
    const op = UNARY[p % UNARY.length]!;
    return n.addLayer(op, [x]).outputs[0]!;
  };

  for (const s of recipe.steps) {
    const a = pool[s.a % pool.length]!;
    const shape = a.shape;
    const rank = shape.length;
    const last = shape[rank - 1];
    let made: Tensor[] | undefined;
    switch (s.kind) {
      case 'unary':
        break;
      case 'binary': {
        const partners = pool.filter((t) => fitsOnto(shape, t.shape));
        let b: Tensor;
        if (s.q % 3 === 0 || partners.length === 0) {
          const k = 1 + (s.q % rank);
          b = constant(shape.slice(rank - k).map((d, i) => (isStatic(d) && (s.q >> (i + 2)) % 2 === 0 ? d : 1)));
        } else {
          b = partners[s.b % partners.length]!;
        }
        const op = BINARY[s.p % BINARY.length]!;
        made = [n.addLayer(op, s.p % 2 ? [a, b] : [b, a]).outputs[0]!];
        break;
      }
      case 'matmul':
      case 'fusedLinear': {
        if (rank < 2 || !isStatic(last)) break;
        const cols = 1 + (s.q % 4);
        const w = constant([last, cols]);
        if (s.kind === 'matmul') made = [F.matmul(a, w)];
        else {
          const bias = s.p % 2 ? constant([cols]) : undefined;
          made = [fusedLinear({ input: a, weight: w, bias, activation: ACTIVATIONS[s.p % ACTIVATIONS.length]! })];
        }
        break;
      }
      case 'transpose':
        if (rank < 2) break;
        made = [F.transpose(a, permutation(rank, s.p))];
        break;
      case 'reshape': {
        const prev = shape[rank - 2];
        const canMerge = rank >= 2 && isStatic(last) && isStatic(prev) && last * prev <= MAX_DIM;
        const canSplit = rank < MAX_RANK && isStatic(last) && last >= 4 && last % 2 === 0;
        const keep = (r: number) => new Array<number>(r).fill(0);
        if (canMerge && (!canSplit || s.q % 2 === 0)) made = [F.reshape(a, [...keep(rank - 2), prev * last])];
        else if (canSplit) made = [F.reshape(a, [...keep(rank - 1), 2, last / 2])];
        break;
      }
      case 'concat': {
        const axes = shape.map((_, i) => i).filter((i) => isStatic(shape[i]));
        if (axes.length === 0) break;
        const axis = axes[s.p % axes.length]!;
        const partners = pool.filter(
          (t) => t.shape.length === rank && t.shape.every((d, i) => (i === axis ? isStatic(d) && d + (shape[axis] as number) <= MAX_DIM : d === shape[i])),
        );
        if (partners.length === 0) break;
        const b = partners[s.b % partners.length]!;
        made = [F.concat(s.q % 2 ? [a, b] : [b, a], s.q % 3 === 0 ? axis - rank : axis)];
        break;
      }
      case 'softmax':
        made = [F.softmax(a, (s.p % rank) - (s.q % 2 ? rank : 0))];
        break;
      case 'reduceMean':
        made = [F.reduceMean(a, [s.p % rank], { keepDims: true })];
        break;
      case 'rmsNorm':
        if (!isStatic(last)) break;
        made = [F.rmsNorm(a, constant([last]))];
        break;
      case 'layerNorm':
        if (!isStatic(last)) break;
        made = [F.layerNorm(a, constant([last]), s.p % 2 ? constant([last]) : undefined)];
        break;
      case 'skipRmsNorm': {
        if (!isStatic(last)) break;
        const partners = pool.filter((t) => fitsOnto(shape, t.shape));
        const skip = partners[s.b % partners.length]!; // `a` itself always fits
        made = skipRmsNorm({ input: a, skip, weight: constant([last]) });
        break;
      }
    }
    made ??= [unary(a, s.p)];
    pool.push(...made);
    computed.push(...made);
  }
  const marked = new Set<Tensor>();
  for (const k of recipe.outputs) marked.add(computed[k % computed.length]!);
  for (const t of marked) n.markOutput(t);
  return n;
}
