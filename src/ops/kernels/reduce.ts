/** Sum and mean over a set of axes of a concrete array. */
import { allocData, truncInt } from '../ndarray.js';
import { isFloat, stridesOf } from '../shape.js';
import type { NDArray } from '../types.js';
import { stridedOffsets } from './strided.js';

/** Sums in float64: each input element adds into the output slot its index maps to (reduced axes → stride 0). */
function sumInto(x: NDArray, axes: readonly number[]): { sums: Float64Array; kept: number[]; count: number } {
  const kept = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const keptStrides = stridesOf(kept).map((s, i) => (axes.includes(i) ? 0 : s));
  const target = stridedOffsets(x.shape, keptStrides);
  const sums = new Float64Array(kept.reduce((n, d) => n * d, 1));
  const src = x.data;
  for (let i = 0; i < target.length; i++) sums[target[i]!] += src[i]!;
  const count = axes.reduce((n, a) => n * x.shape[a]!, 1);
  return { sums, kept, count };
}

function finish(x: NDArray, axes: readonly number[], keepDims: boolean, kept: number[], values: Float64Array): NDArray {
  const data = allocData(x.dtype, values.length);
  data.set(values);
  const shape = keepDims ? kept : x.shape.filter((_, i) => !axes.includes(i));
  return { dtype: x.dtype, shape, data };
}

/** Sum over `axes` (normalized, distinct); reduced dims stay as 1 when `keepDims`. */
export function reduceSum(x: NDArray, axes: readonly number[], keepDims: boolean): NDArray {
  const { sums, kept } = sumInto(x, axes);
  return finish(x, axes, keepDims, kept, sums);
}

/** Mean over `axes`; integer dtypes truncate toward zero. */
export function reduceMean(x: NDArray, axes: readonly number[], keepDims: boolean): NDArray {
  const { sums, kept, count } = sumInto(x, axes);
  const round = isFloat(x.dtype) ? (v: number) => v : truncInt;
  for (let i = 0; i < sums.length; i++) sums[i] = round(sums[i]! / count);
  return finish(x, axes, keepDims, kept, sums);
}
