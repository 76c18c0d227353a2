/**
 * Rotary position embedding (RoPE) on rows of features, shared by RotaryEmbedding and GptAttention.
 * Feature a of each rotated pair turns with feature b: out[a] = x[a]·cos[a] − x[b]·sin[a],
 * out[b] = x[b]·cos[b] + x[a]·sin[b], i.e. out = x·cos + rotate(x)·sin. Rotate-half pairs i with
 * i + R/2 (GPT-NeoX, Llama); interleaved pairs 2i with 2i + 1 (GPT-J).
 */
import type { TypedData } from '../types.js';

/**
 * Copies `width` features from src[srcOff..] to dst[dstOff..], rotating the first `rotaryDim` of them
 * with cos/sin read at trig[trigOff..trigOff + rotaryDim).
 */
export function rotateInto(
  src: TypedData,
  srcOff: number,
  dst: Float32Array,
  dstOff: number,
  width: number,
  cos: TypedData,
  sin: TypedData,
  trigOff: number,
  rotaryDim: number,
  interleaved: boolean,
): void {
  const half = rotaryDim / 2;
  for (let i = 0; i < half; i++) {
    const a = interleaved ? 2 * i : i;
    const b = interleaved ? 2 * i + 1 : i + half;
    const xa = src[srcOff + a]!;
    const xb = src[srcOff + b]!;
    dst[dstOff + a] = xa * cos[trigOff + a]! - xb * sin[trigOff + a]!;
    dst[dstOff + b] = xb * cos[trigOff + b]! + xa * sin[trigOff + b]!;
  }
  for (let i = rotaryDim; i < width; i++) dst[dstOff + i] = src[srcOff + i]!;
}

/**
 * cos and sin tables [positions, rotaryDim] for rotate-half RoPE at positions 0..positions-1: the
 * angle of feature i at position p is p · base^(−2(i mod R/2)/R), both halves sharing frequencies.
 */
export function ropeTables(positions: number, rotaryDim: number, base: number): { cos: Float32Array; sin: Float32Array } {
  const half = rotaryDim / 2;
  const cos = new Float32Array(positions * rotaryDim);
  const sin = new Float32Array(positions * rotaryDim);
  for (let p = 0; p < positions; p++) {
    for (let i = 0; i < half; i++) {
      const angle = p * base ** ((-2 * i) / rotaryDim);
      const c = Math.cos(angle);
      const s = Math.sin(angle);
      cos[p * rotaryDim + i] = cos[p * rotaryDim + i + half] = c;
      sin[p * rotaryDim + i] = sin[p * rotaryDim + i + half] = s;
    }
  }
  return { cos, sin };
}
