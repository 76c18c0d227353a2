/** Scaled dot-product attention of one head over one sequence, from the shared matmul and softmax. */
import type { TypedData } from '../types.js';
import { matmulInto } from './matmul.js';
import { softmax } from './softmax.js';

/**
 * softmax(q·kᵀ · scale, masked) · v for `length` tokens, where q is contiguous [length, dim] and k, v
 * are contiguous [length, dim] at their offsets. With `causal`, query i sees keys 0..i, and with a
 * `window` W > 0 only keys i-W+1..i; otherwise all.
 * Every query sees itself, so no softmax row is empty. Returns [length, dim].
 */
export function attendHead(
  q: Float32Array,
  k: TypedData,
  kOff: number,
  v: TypedData,
  vOff: number,
  length: number,
  dim: number,
  scale: number,
  causal: boolean,
  window = 0,
): Float32Array {
  const hidden = (i: number, j: number) => causal && (j > i || (window > 0 && i - j >= window));
  const scores = new Float32Array(length * length);
  matmulInto(q, 0, k, kOff, scores, 0, { m: length, k: dim, n: length, transB: true });
  for (let i = 0; i < length; i++) {
    for (let j = 0; j < length; j++) scores[i * length + j] = hidden(i, j) ? -Infinity : scores[i * length + j]! * scale;
  }
  const probs = softmax({ dtype: 'float32', shape: [length, length], data: scores }, 1);
  const out = new Float32Array(length * dim);
  matmulInto(probs.data, 0, v, vOff, out, 0, { m: length, k: length, n: dim });
  return out;
}
