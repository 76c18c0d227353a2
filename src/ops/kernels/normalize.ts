/**
 * Row normalizations shared by the norm ops and their fused Skip* forms: the input is `rows`
 * contiguous rows of `n` elements, the affine weight (and bias) have `n` elements. Statistics are
 * accumulated in float64 so float16/float32 results do not depend on summation order.
 */
import type { TypedData } from '../types.js';

/** out = (x - mean) / sqrt(var + eps) * weight + bias, per row (var is the biased variance). */
export function layerNormRows(x: TypedData, out: Float32Array, rows: number, n: number, weight: TypedData, bias: TypedData | undefined, eps: number): void {
  for (let r = 0, base = 0; r < rows; r++, base += n) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += x[base + i]!;
    const mean = sum / n;
    let sq = 0;
    for (let i = 0; i < n; i++) {
      const d = x[base + i]! - mean;
      sq += d * d;
    }
    const inv = 1 / Math.sqrt(sq / n + eps);
    for (let i = 0; i < n; i++) {
      out[base + i] = (x[base + i]! - mean) * inv * weight[i]! + (bias ? bias[i]! : 0);
    }
  }
}

/** out = x / sqrt(mean(x^2) + eps) * weight, per row. */
export function rmsNormRows(x: TypedData, out: Float32Array, rows: number, n: number, weight: TypedData, eps: number): void {
  for (let r = 0, base = 0; r < rows; r++, base += n) {
    let sq = 0;
    for (let i = 0; i < n; i++) sq += x[base + i]! * x[base + i]!;
    const inv = 1 / Math.sqrt(sq / n + eps);
    for (let i = 0; i < n; i++) out[base + i] = x[base + i]! * inv * weight[i]!;
  }
}
