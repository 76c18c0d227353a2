import { describe, expect, it } from 'vitest';
import { ndarray } from '../../src/ops/ndarray.js';
import type { NDArray, TensorType } from '../../src/ops/types.js';
import type { RuleEnv } from '../../src/rules/env.js';
import { evaluate } from '../../src/rules/expr.js';
import { parseRules } from '../../src/rules/parse.js';
import { SKIP, SymbolicDim } from '../../src/rules/value.js';
import type { Outcome } from '../../src/rules/value.js';

function env(types: Record<string, TensorType>, arrays: Record<string, NDArray> = {}, attrs: Record<string, null | number[]> = {}): RuleEnv {
  return { type: (v) => types[v], isConstant: (v) => v in arrays, constValue: () => undefined, constArray: (v) => arrays[v], attr: (v) => attrs[v] };
}

/** The value of expression `text` (written as a rule condition) against `e`. */
function value(text: string, e: RuleEnv = env({})): Outcome {
  const { rules, errors } = parseRules(`rule t: (Relu ?x) => ?x if ${text}`);
  expect(errors).toEqual([]);
  return evaluate(rules[0]!.condition!, e);
}

/** An additive causal mask [..., n, n], or zeros. */
function mask(shape: number[], causal = true): NDArray {
  const n = shape[shape.length - 1]!;
  return ndarray(
    'float32',
    shape,
    Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, k) => (causal && k % n > Math.floor(k / n) % n ? -1e9 : 0)),
  );
}

describe('reshaped and expanded: the shapes the ops produce', () => {
  it('reads 0 as the input dim at that index and infers -1', () => {
    expect(value('reshaped([2 3 8], [0 0 -1 4])')).toEqual([2, 3, 2, 4]);
    expect(value('reshaped([2 3 8], [1 6 2 4])')).toEqual([1, 6, 2, 4]);
    expect(value('reshaped([2 3 8], [0 0 3 4])')).toBe(false);
  });

  it('keeps symbolic dims exact and skips what depends on their values', () => {
    const e = env({ '?x': { dtype: 'float32', shape: ['batch', 'seq', 8] } });
    expect(value('reshaped(shape(?x), [0 0 2 4])', e)).toEqual([new SymbolicDim('batch'), new SymbolicDim('seq'), 2, 4]);
    expect(value('reshaped(shape(?x), [0 0 -1 4])', e)).toEqual([new SymbolicDim('batch'), new SymbolicDim('seq'), 2, 4]);
    expect(value('reshaped(shape(?x), [0 0 3 4]) == [1 1 3 4]', e)).toBe(SKIP);
  });

  it('broadcasts an expand both ways, growing dims of 1', () => {
    expect(value('expanded([2 3 1 5 4], [2 3 2 5 4])')).toEqual([2, 3, 2, 5, 4]);
    expect(value('expanded([2 3 1 5 4], [1 1 2 1 1])')).toEqual([2, 3, 2, 5, 4]);
    expect(value('expanded([1 3 1 5 4], [2 1 2 1 1])')).toEqual([2, 3, 2, 5, 4]);
    expect(value('expanded([2 3], [4 3])')).toBe(false);
  });
});

describe('is_causal_mask against the scores', () => {
  const scores = '[2 4 3 3]';
  const check = (m: NDArray, s = scores) => value(`is_causal_mask(?m, ${s})`, env({ '?m': { dtype: 'float32', shape: m.shape } }, { '?m': m }));

  it('accepts a causal mask of the sequence length that broadcasts to the scores', () => {
    for (const shape of [
      [3, 3],
      [1, 1, 3, 3],
      [2, 1, 3, 3],
      [1, 3, 3],
    ])
      expect(check(mask(shape)), shape.join()).toBe(true);
  });

  it('refuses a [1, 1] zero for a sequence above 1, and accepts it for one position', () => {
    expect(check(mask([1, 1]))).toBe(false);
    expect(check(mask([1, 1]), '[2 4 1 1]')).toBe(true);
  });

  it('refuses wrong sizes, growing shapes, zeros and symbolic sequences', () => {
    expect(check(mask([4, 4]))).toBe(false);
    expect(check(mask([6, 6]))).toBe(false);
    expect(check(mask([3, 1, 3, 3]))).toBe(false);
    expect(check(mask([1, 1, 1, 3, 3]))).toBe(false);
    expect(check(mask([3, 3], false))).toBe(false);
    const symbolic = env({ '?m': { dtype: 'float32', shape: [3, 3] }, '?s': { dtype: 'float32', shape: ['b', 4, 'seq', 'seq'] } }, { '?m': mask([3, 3]) });
    expect(value('is_causal_mask(?m, shape(?s))', symbolic)).toBe(SKIP);
  });
});

describe('list functions on absent attributes', () => {
  const absent = env({}, {}, { '?p': null, '?q': [1, 0, 2] });

  it('skip instead of throwing: a rule cannot tell what an absent list would hold', () => {
    expect(value('len(?p) == 2', absent)).toBe(SKIP);
    expect(value('at(?p, 0) == 2', absent)).toBe(SKIP);
  });

  it('compose reads an absent perm as the reversal of the axes', () => {
    expect(value('compose(?p, ?q)', absent)).toEqual([1, 2, 0]);
    expect(value('compose(?q, ?p)', absent)).toEqual([2, 0, 1]);
    expect(value('compose(?p, ?p)', absent)).toBe(SKIP);
  });

  it('drop gives a list without its first items', () => {
    expect(value('drop([8 4 3 3], 1)')).toEqual([4, 3, 3]);
  });
});
