/**
 * Whether a constant is the additive causal mask of given scores: added to scores of shape
 * [..., S, S] (broadcasting, never growing them), every [S, S] slice it produces is 0 on and below
 * the diagonal and <= -1e4 above. A mask is only causal for a sequence length: a [1, 1] zero is
 * causal for S = 1 and no mask at all for S > 1, so the check is against the scores' shape.
 */
import { numel } from '../ops/shape.js';
import type { NDArray } from '../ops/types.js';
import { SKIP, SymbolicDim } from './value.js';
import type { Outcome, Value } from './value.js';

/** Above the diagonal a mask must push scores this far down for softmax to give them zero weight. */
const MASKED = -1e4;

/** Whether `mask` broadcasts to `scores` without growing it: true, false, or SKIP (a symbolic dim decides). */
function broadcastsWithoutGrowing(mask: readonly number[], scores: readonly Value[]): boolean | typeof SKIP {
  if (mask.length > scores.length) return false;
  const offset = scores.length - mask.length;
  let unknown = false;
  for (let i = 0; i < mask.length; i++) {
    const m = mask[i]!;
    const s = scores[i + offset]!;
    if (m === 1 || m === s) continue;
    if (s instanceof SymbolicDim) unknown = true;
    else return false;
  }
  return unknown ? SKIP : true;
}

/** True when every [rows, cols] slice of `mask`, broadcast to [s, s], is causal. */
function causalSlices(mask: NDArray, s: number): boolean {
  const rank = mask.shape.length;
  const rows = rank >= 2 ? mask.shape[rank - 2]! : 1;
  const cols = rank >= 1 ? mask.shape[rank - 1]! : 1;
  for (let base = 0; base < numel(mask.shape); base += rows * cols) {
    for (let i = 0; i < s; i++) {
      for (let j = 0; j < s; j++) {
        const v = mask.data[base + (rows === 1 ? 0 : i) * cols + (cols === 1 ? 0 : j)]!;
        if (j <= i ? v !== 0 : v > MASKED) return false;
      }
    }
  }
  return true;
}

/** is_causal_mask(?m, scores): SKIP while the sequence length or a broadcast depends on a symbolic dim. */
export function isCausalMaskFor(mask: NDArray, scores: Value): Outcome {
  if (!Array.isArray(scores) || scores.length < 2) return false;
  const dims = scores as readonly Value[];
  if (!dims.every((d) => d instanceof SymbolicDim || typeof d === 'number')) return SKIP;
  const fits = broadcastsWithoutGrowing(mask.shape, dims);
  if (fits !== true) return fits;
  const [q, k] = [dims[dims.length - 2]!, dims[dims.length - 1]!];
  if (typeof q !== 'number' || typeof k !== 'number') return SKIP;
  // Causal attention here is self-attention: the diagonal is query i with key i.
  return q === k && causalSlices(mask, q);
}
