/** Numerically stable softmax along one axis of a concrete array. */
import { allocData } from '../ndarray.js';
import type { NDArray } from '../types.js';
import { aroundAxis } from './strided.js';

/** softmax(x) along `axis` (already normalized): each slice minus its max, exponentiated, normalized. */
export function softmax(x: NDArray, axis: number): NDArray {
  const { outer, size, inner } = aroundAxis(x.shape, axis);
  const src = x.data;
  const out = allocData(x.dtype, src.length);
  for (let o = 0; o < outer; o++) {
    for (let q = 0; q < inner; q++) {
      const base = o * size * inner + q;
      let max = -Infinity;
      for (let i = 0; i < size; i++) max = Math.max(max, src[base + i * inner]!);
      let sum = 0;
      for (let i = 0; i < size; i++) {
        const e = Math.exp(src[base + i * inner]! - max);
        out[base + i * inner] = e;
        sum += e;
      }
      for (let i = 0; i < size; i++) out[base + i * inner] /= sum;
    }
  }
  return { dtype: x.dtype, shape: [...x.shape], data: out };
}
