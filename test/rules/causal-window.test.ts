/**
 * causal_window: the window of a constant additive causal mask, checked against the scores it is
 * added to (plain causal 0, a sliding window W, -1 for anything else), so Mistral's mask is told
 * from Llama's and from masks that are neither.
 */
import { describe, expect, it } from 'vitest';
import { ndarray } from '../../src/ops/ndarray.js';
import type { NDArray } from '../../src/ops/types.js';
import { causalWindowFor, isCausalMaskFor, NOT_CAUSAL } from '../../src/rules/causal-mask.js';
import { SKIP, SymbolicDim } from '../../src/rules/value.js';

/** [...lead, s, s]: 0 where query i sees key j (j <= i, and i - j < window when window > 0), -1e9 elsewhere. */
function mask(s: number, window: number, lead: number[] = []): NDArray {
  const reps = lead.reduce((a, b) => a * b, 1);
  const data = Array.from({ length: reps * s * s }, (_, k) => {
    const [i, j] = [Math.floor(k / s) % s, k % s];
    return j <= i && (window === 0 || i - j < window) ? 0 : -1e9;
  });
  return ndarray('float32', [...lead, s, s], data);
}

describe('causal_window', () => {
  it('is 0 for a plain causal mask and W for a sliding window, broadcast or not', () => {
    expect(causalWindowFor(mask(5, 0), [2, 4, 5, 5])).toBe(0);
    expect(causalWindowFor(mask(5, 2), [2, 4, 5, 5])).toBe(2);
    expect(causalWindowFor(mask(5, 1, [1, 1]), [2, 4, 5, 5])).toBe(1);
    expect(causalWindowFor(mask(5, 4, [2, 1]), [2, 4, 5, 5])).toBe(4);
  });

  it('reads a window as long as the sequence as the plain causal mask', () => {
    expect(causalWindowFor(mask(5, 5), [1, 1, 5, 5])).toBe(0);
    expect(isCausalMaskFor(mask(5, 5), [1, 1, 5, 5])).toBe(true);
    expect(isCausalMaskFor(mask(5, 2), [1, 1, 5, 5])).toBe(false);
  });

  it('is -1 for a mask of another length, one that would grow the scores, a zero, or a window with a hole', () => {
    expect(causalWindowFor(mask(4, 2), [1, 1, 5, 5])).toBe(NOT_CAUSAL);
    expect(causalWindowFor(mask(5, 2, [3, 1]), [2, 4, 5, 5])).toBe(NOT_CAUSAL);
    expect(causalWindowFor(ndarray('float32', [1, 1], [0]), [1, 1, 5, 5])).toBe(NOT_CAUSAL);
    const holed = mask(5, 3);
    holed.data[4 * 5 + 3] = -1e9;
    expect(causalWindowFor(holed, [1, 1, 5, 5])).toBe(NOT_CAUSAL);
    const late = mask(5, 3);
    late.data[1 * 5 + 0] = -1e9; // row 1 sees one key, the last row three: no one window
    expect(causalWindowFor(late, [1, 1, 5, 5])).toBe(NOT_CAUSAL);
  });

  it('skips while the sequence length is symbolic', () => {
    expect(causalWindowFor(mask(5, 2), [1, 1, new SymbolicDim('s'), new SymbolicDim('s')])).toBe(SKIP);
  });
});
