/** Axis permutations of concrete arrays. */
import { stridesOf } from '../shape.js';
import type { NDArray } from '../types.js';
import { copyStrided } from './strided.js';

/** `items` reordered so that position i holds `items[perm[i]]`. */
export function permute<T>(items: readonly T[], perm: readonly number[]): T[] {
  return perm.map((p) => items[p]!);
}

/** `x` with its axes permuted: output axis i is input axis `perm[i]`. */
export function transpose(x: NDArray, perm: readonly number[]): NDArray {
  return copyStrided(x, permute(x.shape, perm), permute(stridesOf(x.shape), perm));
}
