/**
 * Strided reads of row-major arrays. One odometer serves transpose, slice, broadcast and reductions:
 * each is a walk over an output shape with some strides into the source.
 */
import { allocData } from '../ndarray.js';
import { numel } from '../shape.js';
import type { NDArray } from '../types.js';

/** For every element of `outShape` (row-major), the source offset `base + Σ index[d] * strides[d]`. */
export function stridedOffsets(outShape: readonly number[], strides: readonly number[], base = 0): Int32Array {
  const n = numel(outShape);
  const rank = outShape.length;
  const offsets = new Int32Array(n);
  const index = new Int32Array(rank);
  let off = base;
  for (let i = 0; i < n; i++) {
    offsets[i] = off;
    // Advance the odometer: bump the last dim, carry into earlier ones, undoing their stride sums.
    for (let d = rank - 1; d >= 0; d--) {
      off += strides[d]!;
      if (++index[d] < outShape[d]!) break;
      off -= strides[d]! * outShape[d]!;
      index[d] = 0;
    }
  }
  return offsets;
}

/** A new array of `outShape` whose element i is `src.data[offsets[i]]`. */
function gatherOffsets(src: NDArray, outShape: readonly number[], offsets: Int32Array): NDArray {
  const data = allocData(src.dtype, offsets.length);
  const s = src.data;
  for (let i = 0; i < offsets.length; i++) data[i] = s[offsets[i]!]!;
  return { dtype: src.dtype, shape: [...outShape], data };
}

/** Copies the strided view (`outShape`, `strides`, `base`) of `src` into a new contiguous array. */
export function copyStrided(src: NDArray, outShape: readonly number[], strides: readonly number[], base = 0): NDArray {
  return gatherOffsets(src, outShape, stridedOffsets(outShape, strides, base));
}

/** Sizes before, along and after `axis`: the three loops of every single-axis kernel. */
export function aroundAxis(shape: readonly number[], axis: number): { outer: number; size: number; inner: number } {
  return { outer: numel(shape.slice(0, axis)), size: shape[axis]!, inner: numel(shape.slice(axis + 1)) };
}
