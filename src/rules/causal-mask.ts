/**
 * Whether a constant is the additive causal mask of given scores, and with which sliding window:
 * added to scores of shape [..., S, S] (broadcasting, never growing them), every [S, S] slice it
 * produces is 0 where key j may be seen by query i and <= -1e4 elsewhere. Causal: j <= i; with a
 * window W (Mistral's sliding-window attention), also i - j < W. A mask is only causal for a
 * sequence length: a [1, 1] zero is causal for S = 1 and no mask at all for S > 1, so the check is
 * against the scores' shape.
 */
import { numel } from '../ops/shape.js';
import type { NDArray } from '../ops/types.js';
import { SKIP, SymbolicDim } from './value.js';
import type { Outcome, Value } from './value.js';

/** Above the diagonal a mask must push scores this far down for softmax to give them zero weight. */
const MASKED = -1e4;

/** What causalWindowFor answers for a constant that is no (windowed) causal mask of the scores. */
export const NOT_CAUSAL = -1;

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

/** The mask's [rows, cols] slices, each read broadcast to [s, s]: value(base, i, j). */
function sliceReader(mask: NDArray): { count: number; at: (slice: number, i: number, j: number) => number } {
  const rank = mask.shape.length;
  const rows = rank >= 2 ? mask.shape[rank - 2]! : 1;
  const cols = rank >= 1 ? mask.shape[rank - 1]! : 1;
  const size = rows * cols;
  return {
    count: numel(mask.shape) / size,
    at: (slice, i, j) => mask.data[slice * size + (rows === 1 ? 0 : i) * cols + (cols === 1 ? 0 : j)]!,
  };
}

/** True when every slice of `mask`, broadcast to [s, s], lets query i see exactly the keys `sees(i, j)`. */
function masksExactly(mask: NDArray, s: number, sees: (i: number, j: number) => boolean): boolean {
  const { count, at } = sliceReader(mask);
  for (let slice = 0; slice < count; slice++) {
    for (let i = 0; i < s; i++) {
      for (let j = 0; j < s; j++) {
        const v = at(slice, i, j);
        if (sees(i, j) ? v !== 0 : v > MASKED) return false;
      }
    }
  }
  return true;
}

/** The window the last query row shows (its run of zeros ending on the diagonal), 0 when it sees every key. */
function windowOfLastRow(mask: NDArray, s: number): number {
  const { at } = sliceReader(mask);
  let seen = 0;
  while (seen < s && at(0, s - 1, s - 1 - seen) === 0) seen++;
  return seen === s ? 0 : seen;
}

/**
 * causal_window(?m, scores): 0 for a plain causal mask, W in 1..S-1 for a sliding window of W keys
 * (query i sees i-W+1..i), NOT_CAUSAL otherwise; SKIP while the sequence length or a broadcast
 * depends on a symbolic dim. A window of S or more is the plain causal mask, so it answers 0.
 */
export function causalWindowFor(mask: NDArray, scores: Value): Outcome {
  if (!Array.isArray(scores) || scores.length < 2) return NOT_CAUSAL;
  const dims = scores as readonly Value[];
  if (!dims.every((d) => d instanceof SymbolicDim || typeof d === 'number')) return SKIP;
  const fits = broadcastsWithoutGrowing(mask.shape, dims);
  if (fits === SKIP) return SKIP;
  if (!fits) return NOT_CAUSAL;
  const [q, k] = [dims[dims.length - 2]!, dims[dims.length - 1]!];
  if (typeof q !== 'number' || typeof k !== 'number') return SKIP;
  // Causal attention here is self-attention: the diagonal is query i with key i.
  if (q !== k || numel(mask.shape) === 0) return NOT_CAUSAL;
  const window = windowOfLastRow(mask, q);
  const sees = (i: number, j: number) => j <= i && (window === 0 || i - j < window);
  return masksExactly(mask, q, sees) ? window : NOT_CAUSAL;
}

/** is_causal_mask(?m, scores): a plain causal mask (no window); SKIP as causalWindowFor. */
export function isCausalMaskFor(mask: NDArray, scores: Value): Outcome {
  const window = causalWindowFor(mask, scores);
  return window === SKIP ? SKIP : window === 0;
}
