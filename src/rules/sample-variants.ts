/**
 * Variants of what a rule's sample hints pin, so that a hint narrows check-rules' space without
 * fixing it to the one configuration where an incomplete condition happens to hold: a reshape
 * target written with 0, -1 or explicit dims, or refactored to another shape of the same size
 * (batch folded into the sequence); an expand that grows a dim of 1; the other spelling of an
 * axis; a one-element constant of another rank; a shape with a dim dropped, added or set to 1;
 * masks of other shapes and sizes. A variant is a plausible input, not necessarily an equivalent
 * one: a sound rule either rejects it by its condition or computes the same on it.
 */
import { ShapeError } from '../errors.js';
import { getOp, inferTypes, resolveAttrs } from '../ops/registry.js';
import type { AttrValue, Shape } from '../ops/types.js';

/** Uniform integers and choices from one seeded stream. */
export interface Draw {
  int(lo: number, hi: number): number;
  chance(p: number): boolean;
}

function pick<T>(draw: Draw, items: readonly T[]): T {
  return items[draw.int(0, items.length - 1)]!;
}

function staticShape(shape: Shape | undefined): number[] | undefined {
  return shape?.every((d) => typeof d === 'number') ? (shape as number[]) : undefined;
}

/** What `op`'s shape attribute gives on `input`, or undefined when it does not fit. */
function outputShape(op: 'Reshape' | 'Expand', input: readonly number[], target: readonly number[]): number[] | undefined {
  try {
    const def = getOp(op);
    return inferTypes(def, [{ dtype: 'float32', shape: input }], resolveAttrs(def, { shape: [...target] }))[0]!.shape as number[];
  } catch (e) {
    if (e instanceof ShapeError) return undefined;
    throw e;
  }
}

/** Other spellings and other shapes for a Reshape target: explicit, with 0s, with a -1, folded, swapped. */
function reshapeVariant(draw: Draw, input: readonly number[], hint: readonly number[]): number[] {
  const out = outputShape('Reshape', input, hint);
  if (!out) return [...hint];
  const withZeros = out.map((d, i) => (i < input.length && input[i] === d && draw.chance(0.5) ? 0 : d));
  const inferred = out.map((d, i, all) => (i === draw.int(0, all.length - 1) ? -1 : d));
  const folded = out.length >= 2 ? [1, out[0]! * out[1]!, ...out.slice(2)] : out;
  const i = draw.int(0, Math.max(0, out.length - 2));
  const swapped = out.map((d, k) => (k === i ? (out[i + 1] ?? d) : k === i + 1 ? out[i]! : d));
  return pick(draw, [out, withZeros, inferred, folded, swapped, [-1]]);
}

/** Other targets for an Expand: explicit, with 1s where nothing grows, a dim of 1 grown, a leading dim added. */
function expandVariant(draw: Draw, input: readonly number[], hint: readonly number[]): number[] {
  const out = outputShape('Expand', input, hint);
  if (!out) return [...hint];
  const offset = out.length - input.length;
  const ones = out.map((d, i) => (input[i - offset] === d && draw.chance(0.5) ? 1 : d));
  const growable = out.flatMap((_, i) => (i >= offset && input[i - offset] === 1 ? [i] : []));
  const grown = growable.length ? out.map((d, i) => (i === pick(draw, growable) ? d + 1 : d)) : out;
  return pick(draw, [out, ones, grown, [draw.int(1, 2), ...out]]);
}

/** An axis in its other spelling (negative or not), or another axis of the input. */
function axisVariant(draw: Draw, rank: number, axis: number): number {
  if (rank === 0) return axis;
  const positive = axis < 0 ? axis + rank : axis;
  return draw.chance(0.5) ? (axis < 0 ? positive : positive - rank) : draw.int(-rank, rank - 1);
}

/**
 * A variant of pinned attribute value `hint` of `attr`, for an op whose first input has `input`
 * (undefined when unknown). Values it has no variants for come back unchanged.
 */
export function attrVariant(draw: Draw, op: string, attr: string, hint: AttrValue, input: Shape | undefined): AttrValue {
  const dims = staticShape(input);
  const ints = Array.isArray(hint) && hint.every((x) => typeof x === 'number') ? (hint as number[]) : undefined;
  if (typeof hint === 'boolean') return !hint;
  if (attr === 'shape' && ints && dims) return op === 'Expand' ? expandVariant(draw, dims, ints) : reshapeVariant(draw, dims, ints);
  if (attr === 'axis' && typeof hint === 'number' && dims) return axisVariant(draw, dims.length, hint);
  if (attr === 'axes' && ints && dims) return ints.map((a) => axisVariant(draw, dims.length, a));
  if (attr === 'perm' && ints) return shuffled(draw, ints);
  if (ints) return ints.map((x) => (Math.abs(x) >= 2 ** 30 && dims ? Math.max(...dims, 1) : Math.max(0, x + draw.int(-1, 1))));
  if (typeof hint === 'number' && Number.isInteger(hint)) return hint + pick(draw, [-1, 1]);
  return hint;
}

export function shuffled<T>(draw: Draw, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = draw.int(0, i);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * Another shape for a tensor hinted `shape`: a one-element tensor as one element of another rank
 * ([], [1], [1, 1], ...); otherwise a dim dropped, a leading 1 added, or a dim set to 1 or to `other`.
 */
export function shapeVariant(draw: Draw, shape: readonly number[], other: number): number[] {
  if (shape.every((d) => d === 1)) return new Array<number>(draw.int(0, 3)).fill(1);
  const i = draw.int(0, shape.length - 1);
  return pick(draw, [shape.slice(1), [1, ...shape], shape.map((d, k) => (k === i ? 1 : d)), shape.map((d, k) => (k === i ? other : d))]);
}

/**
 * Another shape for a mask hinted `shape` [..., n, n]: leading dims none, [1], [1, 1] or [b, 1];
 * the square side n, 1 (a [1, 1] constant is no mask for n > 1: the likeliest draw), n·b (the batch
 * folded into the sequence) or n + 1 (a wrong size).
 */
export function maskShapeVariant(draw: Draw, shape: readonly number[], b: number): number[] {
  const n = shape[shape.length - 1] ?? 1;
  const side = pick(draw, [n, 1, 1, n * b, n + 1]);
  return [...pick(draw, [[], [1], [1, 1], [b, 1]]), side, side];
}
