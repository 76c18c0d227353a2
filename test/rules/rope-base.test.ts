import { describe, expect, it } from 'vitest';
import { ropeTables } from '../../src/ops/kernels/rotary.js';
import type { NDArray } from '../../src/ops/types.js';
import type { RuleEnv } from '../../src/rules/env.js';
import { evaluate } from '../../src/rules/expr.js';
import { parseRules } from '../../src/rules/parse.js';
import { SKIP } from '../../src/rules/value.js';
import type { Outcome } from '../../src/rules/value.js';

const table = (shape: number[], data: NDArray['data']): NDArray => ({ dtype: 'float32', shape, data });

/** rope_base(?cos, ?sin) on these constants. */
function ropeBase(cos: NDArray, sin: NDArray): Outcome {
  const { rules } = parseRules('rule t: (Relu ?x) => ?x if rope_base(?cos, ?sin)');
  const arrays: Record<string, NDArray> = { '?cos': cos, '?sin': sin };
  const env: RuleEnv = { type: () => undefined, isConstant: () => true, constValue: () => undefined, constArray: (v) => arrays[v], attr: () => undefined };
  return evaluate(rules[0]!.condition!, env);
}

/** Tables [S, R] as the kernel computes them (double angles). */
function exact(positions: number, width: number, base: number): [NDArray, NDArray] {
  const { cos, sin } = ropeTables(positions, width, base);
  return [table([positions, width], cos), table([positions, width], sin)];
}

/** Tables as torch computes them in float32: inv_freq, then position · inv_freq, then cos and sin, each rounded. */
function float32Computed(positions: number, width: number, base: number): [NDArray, NDArray] {
  const f = Math.fround;
  const cos = new Float32Array(positions * width);
  const sin = new Float32Array(positions * width);
  for (let s = 0; s < positions; s++) {
    for (let i = 0; i < width; i++) {
      const angle = f(s * f(1 / f(base ** f((2 * (i % (width / 2))) / width))));
      cos[s * width + i] = Math.cos(angle);
      sin[s * width + i] = Math.sin(angle);
    }
  }
  return [table([positions, width], cos), table([positions, width], sin)];
}

describe('rope_base', () => {
  it.each([10_000, 500_000, 10])('finds base %d of the kernel’s tables', (base) => {
    const b = ropeBase(...exact(16, 64, base)) as number;
    expect(Math.abs(b - base) / base).toBeLessThan(1e-5);
  });

  it('accepts tables computed in float32 over a long context', () => {
    const b = ropeBase(...float32Computed(2048, 128, 500_000)) as number;
    expect(Math.abs(b - 500_000) / 500_000).toBeLessThan(1e-4);
  });

  it('reads leading dims as copies of one table', () => {
    const [cos, sin] = exact(6, 8, 10_000);
    const twice = (t: NDArray) => table([2, 1, 6, 8], Float32Array.from([...t.data, ...t.data]));
    expect(ropeBase(twice(cos), twice(sin))).toBeCloseTo(10_000, 0);
    const other = exact(6, 8, 500)[0];
    expect(ropeBase(table([2, 1, 6, 8], Float32Array.from([...cos.data, ...other.data])), twice(sin))).toBe(SKIP);
  });

  it('gives the default base where the tables do not determine it', () => {
    expect(ropeBase(...exact(1, 8, 123))).toBe(10_000); // one position: every angle is 0
    expect(ropeBase(...exact(5, 2, 123))).toBe(10_000); // R = 2: every angle is s
  });

  it('skips tables that are not RoPE for positions 0..S-1', () => {
    const [cos, sin] = exact(8, 16, 10_000);
    const shifted = exact(9, 16, 10_000).map((t) => table([8, 16], t.data.slice(16))) as [NDArray, NDArray];
    expect(ropeBase(...shifted)).toBe(SKIP); // positions 1..S
    const nudged = Float32Array.from(cos.data);
    nudged[5 * 16 + 7]! += 1e-4;
    expect(ropeBase(table([8, 16], nudged), sin)).toBe(SKIP);
    expect(ropeBase(sin, cos)).toBe(SKIP);
    expect(ropeBase(cos, table([16, 8], sin.data))).toBe(SKIP);
    const interleaved = (t: NDArray) =>
      table(
        [8, 16],
        Float32Array.from(t.data, (_, k) => t.data[k - (k % 16) + ((k % 16) % 2 === 0 ? (k % 16) / 2 : 8 + ((k % 16) - 1) / 2)]!),
      );
    expect(ropeBase(interleaved(cos), interleaved(sin))).toBe(SKIP); // GPT-J's pairing
  });
});
