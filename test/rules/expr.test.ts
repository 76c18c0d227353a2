import { describe, expect, it } from 'vitest';
import type { Attrs, AttrValue, NDArray, TensorType } from '../../src/ops/types.js';
import { APPLIERS } from '../../src/rules/appliers/registry.js';
import type { Pattern } from '../../src/rules/ast.js';
import type { RuleBuilder } from '../../src/rules/builder.js';
import type { RuleEnv } from '../../src/rules/env.js';
import { evaluate, evaluateCondition } from '../../src/rules/expr.js';
import { instantiate } from '../../src/rules/instantiate.js';
import { loadRuleText } from '../../src/rules/load.js';
import { parseRules } from '../../src/rules/parse.js';
import { RuleEvaluationError, sameScalar, SKIP, SymbolicDim } from '../../src/rules/value.js';

/** An env over fixed answers, as the e-graph loader would give from analysis data. */
function env(
  types: Record<string, TensorType | undefined>,
  attrs: Record<string, AttrValue> = {},
  values: Record<string, number> = {},
  arrays: Record<string, NDArray> = {},
): RuleEnv {
  return {
    type: (v) => types[v],
    isConstant: (v) => (v in values || v in arrays ? true : v in types ? false : undefined),
    constValue: (v) => values[v],
    constArray: (v) => arrays[v],
    attr: (v) => attrs[v],
  };
}

function condition(text: string): ReturnType<typeof parseRules>['rules'][number]['condition'] {
  const { rules, errors } = parseRules(`rule t: (Relu ?x) => ?x if ${text}`);
  expect(errors).toEqual([]);
  return rules[0]!.condition;
}

const x: TensorType = { dtype: 'float32', shape: [2, 3, 4] };
const sym: TensorType = { dtype: 'float32', shape: ['batch', 'seq', 8] };

describe('conditions', () => {
  it('evaluate shape functions', () => {
    const e = env({ '?x': x, '?y': { dtype: 'float32', shape: [4] } }, { '?p': [0, 2, 1] }, { '?eps': 1e-5 });
    expect(evaluateCondition(condition('rank(?x) == 3 and dim(?x, -1) == dim(?y, 0) and numel(?x) == 24'), e)).toBe(true);
    expect(evaluateCondition(condition('dtype(?x) == float32 and not is_const(?x) and is_const(?eps)'), e)).toBe(true);
    expect(evaluateCondition(condition('value(?eps) < 1e-4 and ?p == [0 2 1] and len(?p) == rank(?x)'), e)).toBe(true);
    expect(evaluateCondition(condition('compose(?p, ?p) == range(3) and at(?p, -1) == 1 and contains(?p, 2)'), e)).toBe(true);
    expect(evaluateCondition(condition('broadcasts_to(?y, ?x) and not broadcasts_to(?x, ?y) and shape(?x) == [2 3 4]'), e)).toBe(true);
    expect(evaluateCondition(condition('(7 % 3) * 2 - 1 == 1 and sqrt(16) / 2 == 2 and prod([2 3]) == 6 and -dim(?x, 0) == -2'), e)).toBe(true);
  });

  it('skip, not crash, when a shape or value is unknown', () => {
    const e = env({ '?x': undefined });
    expect(evaluateCondition(condition('rank(?x) == 3'), e)).toBe('skip');
    expect(evaluateCondition(condition('value(?x) == 2'), e)).toBe('skip');
    // Three-valued logic: a known false or true operand decides regardless of the unknown one.
    expect(evaluateCondition(condition('rank(?x) == 3 and 1 == 2'), e)).toBe(false);
    expect(evaluateCondition(condition('rank(?x) == 3 or 1 == 1'), e)).toBe(true);
    expect(evaluateCondition(condition('not (rank(?x) == 3)'), e)).toBe('skip');
  });

  it('compare symbolic dims only with themselves', () => {
    const e = env({ '?x': sym, '?y': sym });
    expect(evaluateCondition(condition('dim(?x, 0) == dim(?y, 0) and same_shape(?x, ?y)'), e)).toBe(true);
    expect(evaluateCondition(condition('dim(?x, 0) == dim(?x, 1)'), e)).toBe('skip');
    expect(evaluateCondition(condition('dim(?x, 0) + 1 == 3'), e)).toBe('skip');
    expect(evaluateCondition(condition('dim(?x, -1) == 8'), e)).toBe(true);
    expect(
      evaluate(
        {
          kind: 'call',
          fn: 'dim',
          args: [
            { kind: 'var', name: '?x', span: { start: 0, end: 0 } },
            { kind: 'number', value: 0, span: { start: 0, end: 0 } },
          ],
          span: { start: 0, end: 0 },
        },
        e,
      ),
    ).toEqual(new SymbolicDim('batch'));
  });

  it('refuses ill-typed expressions with a typed error', () => {
    const e = env({ '?x': x });
    expect(() => evaluateCondition(condition('len(3) == 1'), e)).toThrow(RuleEvaluationError);
    expect(() => evaluateCondition(condition('rank(?x) + 1'), e)).toThrow(RuleEvaluationError);
  });

  it('compares scalar constants as float32', () => {
    // biome-ignore lint/suspicious/noApproximativeNumericConstant: the float32 literal an exporter writes
    expect(sameScalar(1.4142135, Math.SQRT2)).toBe(true);
    expect(sameScalar(0.5, 0.5000001)).toBe(false);
    expect(evaluate(condition('1 / 0 == 1')!, env({}))).toBe(SKIP);
  });
});

/** A builder whose handles are s-expression strings: the shape of what an e-graph loader does. */
class TermBuilder implements RuleBuilder<string> {
  op(op: string, inputs: readonly (string | undefined)[], attrs: Attrs, outputIndex = 0): string {
    const attrText = Object.entries(attrs).map(([k, v]) => ` :${k} ${JSON.stringify(v)}`);
    return `(${op}${outputIndex ? `.${outputIndex}` : ''}${inputs.map((i) => ` ${i ?? '_'}`).join('')}${attrText.join('')})`;
  }
  scalar(value: number): string {
    return String(value);
  }
  type(): TensorType | undefined {
    return undefined;
  }
}

describe('building right sides through RuleBuilder', () => {
  it('instantiates patterns with computed attributes and scalar literals', () => {
    const file = loadRuleText('rule r: (Mul ?w (Add ?x ?eps)) => (RMSNorm (Mul ?x 2) ?w :epsilon {value(?eps) * 2})', 'inline');
    const rhs = (file.rules[0]!.rhs as { patterns: readonly Pattern[] }).patterns[0]!;
    const e = env({ '?x': x }, {}, { '?eps': 0.25 });
    const built = instantiate(rhs, { build: new TermBuilder(), env: e, tensor: (v) => v });
    expect(built).toBe('(RMSNorm (Mul ?x 2) ?w :epsilon 0.5)');
    expect(instantiate(rhs, { build: new TermBuilder(), env: env({}), tensor: (v) => v })).toBe(SKIP);
  });

  it('runs the conv + batch-norm applier against any builder', () => {
    const applier = APPLIERS.get('fold_conv_batchnorm')!;
    const attrs = { '?eps': 1e-5, '?strides': [1, 1], '?pads': [0, 0, 0, 0], '?dilations': [1, 1], '?group': 1 };
    const w = { dtype: 'float32', shape: [8, 4, 3, 3] } as const;
    const built = applier.apply({ env: env({ '?w': w }, attrs), build: new TermBuilder(), bound: (v) => (v === '?b' ? undefined : v) });
    expect(built).toEqual([
      '(Conv ?x (Mul ?w (Reshape (Div ?scale (Sqrt (Add ?var 0.00001))) :shape [-1,1,1,1])) (Add (Mul (Neg ?mean) (Div ?scale (Sqrt (Add ?var 0.00001)))) ?shift) :strides [1,1] :pads [0,0,0,0] :dilations [1,1] :group 1)',
    ]);
  });

  it('folds batch norm into a conv of any rank: the scale is reshaped to the weight rank', () => {
    const applier = APPLIERS.get('fold_conv_batchnorm')!;
    const attrs = { '?eps': 1e-5, '?strides': [1], '?pads': [0, 0], '?dilations': [1], '?group': 1 };
    const w = { dtype: 'float32', shape: [8, 4, 3] } as const;
    const [built] = applier.apply({ env: env({ '?w': w }, attrs), build: new TermBuilder(), bound: (v) => (v === '?b' ? undefined : v) })!;
    expect(built).toContain(':shape [-1,1,1])');
    expect(applier.apply({ env: env({}, attrs), build: new TermBuilder(), bound: (v) => v })).toBeUndefined();
  });
});
