/**
 * Issue J's attention cases: the rules shipped before it rewrote attention over the folded batch
 * ([B, S, H·D] reshaped to [1, B·S, H, D]) and took a [1, 1] zero constant for a causal mask. Both
 * are refused by the shipped conditions, and the strengthened check-rules finds both in the old
 * rules by itself (test/rules/fixtures/incomplete-attention.rules keeps them).
 */
import { describe, expect, it } from 'vitest';
import { verifyWithOrt } from '../../src/io/onnx/verify-ort.js';
import { Network } from '../../src/network/network.js';
import type { Tensor } from '../../src/network/tensor.js';
import { ndarray } from '../../src/ops/ndarray.js';
import type { AttrValue, NDArray } from '../../src/ops/types.js';
import type { Rule } from '../../src/rules/ast.js';
import { checkRules } from '../../src/rules/check-rules.js';
import { evaluateCondition } from '../../src/rules/expr.js';
import { loadRuleFile } from '../../src/rules/load.js';
import { NetworkRuleEnv } from '../../src/rules/network-builder.js';
import { ortVerdict } from '../../src/rules/ort-check.js';

const FIXTURE = 'test/rules/fixtures/incomplete-attention.rules';
const rule = (path: string, name: string): Rule => loadRuleFile(path).rules.find((r) => r.name === name)!;

function causalMask(n: number): NDArray {
  return ndarray(
    'float32',
    [n, n],
    Array.from({ length: n * n }, (_, k) => (k % n > Math.floor(k / n) ? -1e9 : 0)),
  );
}

/** The condition of `r` on q, k, v [B, S, H·D] with the given mask and reshape targets. */
function verdict(r: Rule, qkv: number[], mask: NDArray, attrs: Record<string, AttrValue>): boolean | 'skip' {
  const n = new Network('attention');
  const tensors = new Map<string, Tensor>([
    ['?q', n.addInput('q', 'float32', qkv)],
    ['?k', n.addInput('k', 'float32', qkv)],
    ['?v', n.addInput('v', 'float32', qkv)],
    ['?scale', n.addConstant({ dtype: 'float32', shape: [], data: [0.5] })],
    ['?mask', n.addConstant({ dtype: 'float32', shape: mask.shape, data: mask.data })],
  ]);
  return evaluateCondition(r.condition, new NetworkRuleEnv(tensors, new Map(Object.entries(attrs))));
}

describe('issue J: attention over the folded batch', () => {
  // B = 2, S = 3, H = 2, D = 2, every head reshape to [1, B·S, H, D] and the mask over B·S positions.
  const folded = { '?sq': [1, 6, 2, 2], '?sk': [1, 6, 2, 2], '?sv': [1, 6, 2, 2], '?so': [2, 3, 4] };

  it('was rewritten by the old attention-causal and is refused now', () => {
    expect(verdict(rule(FIXTURE, 'old-attention-causal'), [2, 3, 4], causalMask(6), folded)).toBe(true);
    expect(verdict(rule('rules/fusion-llm.rules', 'attention-causal'), [2, 3, 4], causalMask(6), folded)).toBe(false);
  });

  it('is refused whatever spelling the reshapes use, while the per-item form still matches', () => {
    const causal = rule('rules/fusion-llm.rules', 'attention-causal');
    expect(verdict(causal, [2, 3, 4], causalMask(6), { ...folded, '?sq': [1, -1, 2, 2], '?so': [0, 0, -1] })).toBe(false);
    const perItem = { '?sq': [0, 0, 2, 2], '?sk': [2, -1, 2, 2], '?sv': [2, 3, 2, 2], '?so': [0, 0, -1] };
    expect(verdict(causal, [2, 3, 4], causalMask(3), perItem)).toBe(true);
  });
});

describe('issue J: a [1, 1] zero constant as the causal mask', () => {
  const heads = { '?sq': [0, 0, 2, 2], '?sk': [0, 0, 2, 2], '?sv': [0, 0, 2, 2], '?so': [0, 0, -1] };
  const zero = ndarray('float32', [1, 1], [0]);

  it('passed the old mask check and is refused for a sequence above 1', () => {
    expect(verdict(rule(FIXTURE, 'old-attention-causal'), [1, 3, 4], zero, heads)).toBe(true);
    for (const name of ['attention-causal', 'attention-gqa-causal', 'attention-gqa-rotary-causal']) {
      expect(verdict(rule('rules/fusion-llm.rules', name), [1, 3, 4], zero, heads), name).toBe(false);
    }
  });

  it('is a causal mask for one position', () => {
    expect(verdict(rule('rules/fusion-llm.rules', 'attention-causal'), [2, 1, 4], zero, heads)).toBe(true);
  });
});

describe('the strengthened check-rules on the old attention rule and its halves', () => {
  const report = checkRules([FIXTURE], { seed: 1 });

  it.each(['old-attention-causal', 'mask-unchecked', 'reshapes-unchecked'])('finds a counterexample to %s', (name) => {
    const r = report.results.find((x) => x.rule === name)!;
    expect(r.status).toBe('fail');
    expect(r.counterexample!.problem).toMatch(/values differ|shapes or dtypes differ|does not build/);
  });
});

describe("check-rules' onnxruntime oracle", () => {
  /** One case whose sides the interpreter was told agree: x → Relu and x → Neg. */
  function disagreeing(): Parameters<typeof ortVerdict>[0][number] {
    const side = (op: string) => {
      const n = new Network(op);
      const x = n.addInput('x', 'float32', [2, 3]);
      n.markOutput(n.addLayer(op, [x]).outputs[0]!, 'output_0');
      return n;
    };
    const data = ndarray('float32', [2, 3], [1, -2, 3, -4, 5, -6]);
    const instance = {
      seed: 7,
      letters: new Map(),
      tensors: new Map([['?x', { type: { dtype: 'float32' as const, shape: [2, 3] }, constant: false, data }]]),
      attrs: new Map(),
      varied: new Set<string>(),
      dtype: 'float32' as const,
    };
    return { instance, source: side('Relu'), target: side('Neg'), inputs: { x: data }, rtol: 1e-4, atol: 1e-5 };
  }

  it('contradicts sides that compute different values, independently of the interpreter', async () => {
    const v = await ortVerdict([disagreeing()], verifyWithOrt);
    expect(v.ran).toBe(0);
    expect(v.counterexample!.problem).toMatch(/^onnxruntime: \d+ values differ/);
    expect(v.counterexample!.variables).toEqual(['?x: float32[2, 3]']);
  });
});
