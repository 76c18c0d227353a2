/** Seeded pseudo-random data for the interpreter: the same seed and name always give the same array. */
import { allocData } from '../ops/ndarray.js';
import { isFloating, numel } from '../ops/shape.js';
import type { DType, NDArray } from '../ops/types.js';

/** mulberry32: a small, fast generator with a 32-bit state; good enough for test data. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a of a string mixed with a seed: one stream per (seed, tensor name). */
export function seedFor(seed: number, name: string): number {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export interface RandomOptions {
  /** Floats are uniform in [-floatScale, floatScale). Default 1. */
  floatScale?: number;
  /** Integers are uniform in [intRange[0], intRange[1]). Default [0, 4). */
  intRange?: readonly [number, number];
}

const encoder = new TextEncoder();

/**
 * Seeded random data of `dtype` and `shape`. Integers are drawn in `intRange` clipped to what the
 * type holds (an unsigned type never gets a negative); strings are the decimal digits of such integers.
 */
export function randomArray(dtype: DType, shape: readonly number[], seed: number, options: RandomOptions = {}): NDArray {
  const n = numel(shape);
  const data = allocData(dtype, n);
  const next = rng(seed);
  if (dtype === 'string') {
    const [lo, hi] = options.intRange ?? [0, 4];
    const exact = Array.from({ length: n }, () => encoder.encode(String(lo + Math.floor(next() * (hi - lo)))));
    return { dtype, shape: [...shape], data, exact };
  }
  if (isFloating(dtype)) {
    const scale = options.floatScale ?? 1;
    for (let i = 0; i < n; i++) data[i] = (next() * 2 - 1) * scale;
  } else if (dtype === 'bool') {
    for (let i = 0; i < n; i++) data[i] = next() < 0.5 ? 1 : 0;
  } else {
    const [lo, hi] = clipped(dtype, options.intRange ?? [0, 4]);
    for (let i = 0; i < n; i++) data[i] = lo + Math.floor(next() * (hi - lo));
  }
  return { dtype, shape: [...shape], data };
}

/** What each integer type holds, [min, max), where it is narrower than the draws a caller may ask for. */
const HOLDS: Partial<Record<DType, readonly [number, number]>> = {
  int8: [-(2 ** 7), 2 ** 7],
  int16: [-(2 ** 15), 2 ** 15],
  uint8: [0, 2 ** 8],
  uint16: [0, 2 ** 16],
  uint32: [0, 2 ** 32],
  uint64: [0, Infinity],
};

/** The integers [lo, hi) narrowed to those `dtype` holds, so storage never wraps a draw (an unsigned type gets no negatives). */
function clipped(dtype: DType, [lo, hi]: readonly [number, number]): [number, number] {
  const [min, max] = HOLDS[dtype] ?? [-Infinity, Infinity];
  const from = Math.min(Math.max(lo, min), max - 1);
  return [from, Math.min(Math.max(hi, from + 1), max)];
}
