import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AttributeError, ShapeError } from '../../src/errors.js';
import { ELEMENTWISE_OPS } from '../../src/ops/defs/elementwise.js';
import { LINEAR_OPS } from '../../src/ops/defs/linear.js';
import type { Attrs, CostFacts, NDArray } from '../../src/ops/types.js';
import {
  arr,
  broadcastShapesArb,
  costOf,
  expectClose,
  expectThrows,
  infer,
  opNamed,
  random,
  run,
  SEED,
  seedArb,
  typeOf,
  itInfersWhatTheKernelsProduce,
  type OpCase,
} from './support/harness.js';

const op = (name: string) => opNamed([...LINEAR_OPS, ...ELEMENTWISE_OPS], name);
const f32 = (shape: number[], values: number[]) => arr('float32', shape, values);

/** Gemm and FusedLinear take an optional bias. */
type Case = OpCase<NDArray | undefined>;

const dim = fc.integer({ min: 1, max: 4 });
const batchArb = fc.array(dim, { maxLength: 2 });

/** A plain triple loop over one [m, k] × [k, n] product: the independent reference. */
function naiveMatmul(a: ArrayLike<number>, b: ArrayLike<number>, m: number, k: number, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[i * k + p]! * b[p * n + j]!;
      out.push(s);
    }
  }
  return out;
}

function transpose2(x: NDArray): NDArray {
  const [r, c] = x.shape as [number, number];
  const v: number[] = [];
  for (let j = 0; j < c; j++) for (let i = 0; i < r; i++) v.push(x.data[i * c + j]!);
  return arr(x.dtype, [c, r], v);
}

const ACTIVATION_OPS: Record<string, [string, Attrs] | undefined> = {
  none: undefined,
  relu: ['Relu', {}],
  gelu: ['Gelu', {}],
  gelu_tanh: ['Gelu', { approximate: 'tanh' }],
  silu: ['Silu', {}],
  sigmoid: ['Sigmoid', {}],
  tanh: ['Tanh', {}],
};

const CASES: Record<string, fc.Arbitrary<Case>> = {
  // Rank 1..4 on both sides, with K shared and batch dims broadcasting.
  MatMul: fc.tuple(broadcastShapesArb(2, 2), dim, dim, dim, fc.boolean(), fc.boolean(), seedArb).map(([[ba, bb], m, k, n, vecA, vecB, seed]) => ({
    inputs: [random('float32', vecA ? [k] : [...ba!, m, k], seed), random('float32', vecB ? [k] : [...bb!, k, n], seed + 1)],
    attrs: {},
  })),
  Gemm: fc.tuple(dim, dim, dim, fc.boolean(), fc.boolean(), fc.constantFrom('none', 'n', 'mn', '1n'), seedArb).map(([m, k, n, transA, transB, c, seed]) => ({
    inputs: [
      random('float32', transA ? [k, m] : [m, k], seed),
      random('float32', transB ? [n, k] : [k, n], seed + 1),
      c === 'none' ? undefined : random('float32', c === 'n' ? [n] : c === 'mn' ? [m, n] : [1, n], seed + 2),
    ],
    attrs: { transA, transB, alpha: 0.5, beta: 2 },
  })),
  FusedLinear: fc
    .tuple(batchArb, dim, dim, fc.boolean(), fc.boolean(), fc.constantFrom(...Object.keys(ACTIVATION_OPS)), seedArb)
    .map(([batch, k, n, transB, bias, activation, seed]) => ({
      inputs: [random('float32', [...batch, k], seed), random('float32', transB ? [n, k] : [k, n], seed + 1), bias ? random('float32', [n], seed + 2) : undefined],
      attrs: { activation, transB },
    })),
  SwiGLU: fc.tuple(broadcastShapesArb(2), seedArb).map(([[g, u], seed]) => ({
    inputs: [random('float32', g!, seed), random('float32', u!, seed + 1)],
    attrs: {},
  })),
};

describe('linear ops: inference agrees with the kernels', () => {
  itInfersWhatTheKernelsProduce(LINEAR_OPS, CASES, { numRuns: 100 });
});

describe('MatMul', () => {
  it('multiplies small known matrices', () => {
    const [y] = run(op('MatMul'), [f32([2, 3], [1, 2, 3, 4, 5, 6]), f32([3, 2], [7, 8, 9, 10, 11, 12])]);
    expect(y!.shape).toEqual([2, 2]);
    expect([...y!.data]).toEqual([58, 64, 139, 154]);
  });

  it('promotes 1-D operands and drops the promoted dims', () => {
    expect(run(op('MatMul'), [f32([3], [1, 2, 3]), f32([3], [4, 5, 6])])[0]).toMatchObject({ shape: [], data: new Float32Array([32]) });
    const [v] = run(op('MatMul'), [f32([2], [1, 1]), f32([2, 3], [1, 2, 3, 4, 5, 6])]);
    expect(v).toMatchObject({ shape: [3], data: new Float32Array([5, 7, 9]) });
    const [w] = run(op('MatMul'), [f32([2, 2], [1, 2, 3, 4]), f32([2], [1, -1])]);
    expect(w).toMatchObject({ shape: [2], data: new Float32Array([-1, -1]) });
  });

  it('broadcasts batch dims: every batch matches the plain triple loop', () => {
    fc.assert(
      fc.property(broadcastShapesArb(2, 3), dim, dim, dim, seedArb, ([ba, bb], m, k, n, seed) => {
        const a = random('float32', [...ba!, m, k], seed);
        const b = random('float32', [...bb!, k, n], seed + 1);
        const [y] = run(op('MatMul'), [a, b]);
        const batch = y!.shape.slice(0, -2);
        const count = batch.reduce((p, d) => p * d, 1);
        // Walk the batch index and locate each operand's matrix by numpy's rules.
        for (let t = 0; t < count; t++) {
          const idx: number[] = [];
          let rest = t;
          for (let d = batch.length - 1; d >= 0; d--) {
            idx[d] = rest % batch[d]!;
            rest = Math.floor(rest / batch[d]!);
          }
          const pick = (shape: readonly number[]) => {
            let off = 0;
            const lead = batch.length - shape.length;
            for (let d = 0; d < shape.length; d++) off = off * shape[d]! + (shape[d] === 1 ? 0 : idx[d + lead]!);
            return off;
          };
          const ma = a.data.subarray(pick(ba!) * m * k, (pick(ba!) + 1) * m * k);
          const mb = b.data.subarray(pick(bb!) * k * n, (pick(bb!) + 1) * k * n);
          expectClose(y!.data.subarray(t * m * n, (t + 1) * m * n), naiveMatmul(ma, mb, m, k, n));
        }
      }),
      { seed: SEED, numRuns: 100 },
    );
  });

  it('keeps symbolic batch dims', () => {
    const [t] = infer(op('MatMul'), [
      { dtype: 'float32', shape: ['batch', 'seq', 64] },
      { dtype: 'float32', shape: [64, 128] },
    ]);
    expect(t!.shape).toEqual(['batch', 'seq', 128]);
  });

  it('rejects different inner dimensions, naming the op and both shapes', () => {
    expectThrows(
      () =>
        infer(op('MatMul'), [
          { dtype: 'float32', shape: [2, 3] },
          { dtype: 'float32', shape: [4, 5] },
        ]),
      ShapeError,
      'MatMul',
      '[2, 3]',
      '[4, 5]',
    );
  });

  it('rejects batch dims that do not broadcast', () => {
    expectThrows(
      () =>
        infer(op('MatMul'), [
          { dtype: 'float32', shape: [2, 3, 4] },
          { dtype: 'float32', shape: [5, 4, 6] },
        ]),
      ShapeError,
      'MatMul',
    );
  });

  it('costs 2·M·N·K FLOPs', () => {
    const a = { dtype: 'float32', shape: [8, 16] } as const;
    const b = { dtype: 'float32', shape: [16, 4] } as const;
    const [y] = infer(op('MatMul'), [a, b]);
    expect(op('MatMul').cost([a, b], [y!], {})).toEqual({ flops: 2 * 8 * 4 * 16, bytesRead: (128 + 64) * 4, bytesWritten: 32 * 4 });
  });

  it('multiplies int64 exactly', () => {
    const [y] = run(op('MatMul'), [arr('int64', [1, 2], [2 ** 40, 3]), arr('int64', [2, 1], [4, 5])]);
    expect(y!.data[0]).toBe(2 ** 42 + 15);
  });
});

describe('Gemm', () => {
  it('computes alpha·op(A)·op(B) + beta·C with transposes and broadcast C', () => {
    fc.assert(
      fc.property(CASES['Gemm']!, (c) => {
        const [a, b, cc] = c.inputs;
        const { transA, transB } = c.attrs as { transA: boolean; transB: boolean };
        const a2 = transA ? transpose2(a!) : a!;
        const b2 = transB ? transpose2(b!) : b!;
        const [m, k] = a2.shape as [number, number];
        const n = b2.shape[1]!;
        const prod = naiveMatmul(a2.data, b2.data, m, k, n);
        const expected = prod.map((v, i) => {
          const col = i % n;
          const row = Math.floor(i / n);
          const cv = !cc ? 0 : cc.shape.length === 1 || cc.shape[0] === 1 ? cc.data[col]! : cc.data[row * n + col]!;
          return 0.5 * v + 2 * cv;
        });
        expectClose(run(op('Gemm'), c.inputs, c.attrs)[0]!.data, expected);
      }),
      { seed: SEED, numRuns: 100 },
    );
  });

  it('rejects a C that would grow the output', () => {
    expectThrows(
      () =>
        infer(op('Gemm'), [
          { dtype: 'float32', shape: [1, 3] },
          { dtype: 'float32', shape: [3, 4] },
          { dtype: 'float32', shape: [2, 4] },
        ]),
      ShapeError,
      'Gemm',
      '[2, 4]',
    );
  });

  it('rejects operands that are not 2-D and mismatched K', () => {
    expectThrows(
      () =>
        infer(op('Gemm'), [
          { dtype: 'float32', shape: [3] },
          { dtype: 'float32', shape: [3, 4] },
        ]),
      ShapeError,
      'Gemm',
      'rank 2',
    );
    expectThrows(
      () =>
        infer(
          op('Gemm'),
          [
            { dtype: 'float32', shape: [2, 3] },
            { dtype: 'float32', shape: [3, 4] },
          ],
          { transA: true },
        ),
      ShapeError,
      'Gemm',
      'K',
    );
  });
});

/** The unfused chain FusedLinear replaces: MatMul, then Add (bias), then the activation op. */
function unfused(x: NDArray, w: NDArray, bias: NDArray | undefined, activation: string, transB: boolean): { value: NDArray; cost: CostFacts[] } {
  const weight = transB ? transpose2(w) : w;
  const steps: [string, NDArray[], Attrs][] = [];
  let y = run(op('MatMul'), [x, weight])[0]!;
  steps.push(['MatMul', [x, weight], {}]);
  if (bias) {
    steps.push(['Add', [y, bias], {}]);
    y = run(op('Add'), [y, bias])[0]!;
  }
  const act = ACTIVATION_OPS[activation];
  if (act) {
    steps.push([act[0], [y], act[1]]);
    y = run(op(act[0]), [y], act[1])[0]!;
  }
  const cost = steps.map(([name, ins, attrs]) => costOf(op(name), ins.map(typeOf), attrs));
  return { value: y, cost };
}

describe('FusedLinear', () => {
  it('equals MatMul, Add and the activation op applied in turn, and costs their FLOPs with fewer bytes', () => {
    fc.assert(
      fc.property(CASES['FusedLinear']!, (c) => {
        const [x, w, bias] = c.inputs;
        const { activation, transB } = c.attrs as { activation: string; transB: boolean };
        const ref = unfused(x!, w!, bias, activation, transB);
        const [y] = run(op('FusedLinear'), c.inputs, c.attrs);
        expectClose(y!.data, ref.value.data);
        const fusedCost = costOf(
          op('FusedLinear'),
          c.inputs.map((t) => t && typeOf(t)),
          c.attrs,
        );
        expect(fusedCost.flops).toBe(ref.cost.reduce((s, k) => s + k.flops, 0));
        const unfusedBytes = ref.cost.reduce((s, k) => s + k.bytesRead + k.bytesWritten, 0);
        expect(fusedCost.bytesRead + fusedCost.bytesWritten).toBeLessThanOrEqual(unfusedBytes);
        if (ref.cost.length > 1) expect(fusedCost.bytesRead + fusedCost.bytesWritten).toBeLessThan(unfusedBytes);
      }),
      { seed: SEED, numRuns: 100 },
    );
  });

  it('computes a known relu(x·W + b)', () => {
    const x = f32([1, 2], [1, 2]);
    const w = f32([2, 2], [1, -1, 1, -1]); // [K, N]
    const [y] = run(op('FusedLinear'), [x, w, f32([2], [0.5, 0.5])], { activation: 'relu' });
    expect([...y!.data]).toEqual([3.5, 0]);
  });

  it('is marked fused, and keeps symbolic rows', () => {
    expect(op('FusedLinear').fused).toBe(true);
    expect(op('MatMul').fused).toBeFalsy();
    const [t] = infer(
      op('FusedLinear'),
      [
        { dtype: 'float16', shape: ['batch', 'seq', 64] },
        { dtype: 'float16', shape: [256, 64] },
        { dtype: 'float16', shape: [256] },
      ],
      { transB: true, activation: 'gelu' },
    );
    expect(t).toEqual({ dtype: 'float16', shape: ['batch', 'seq', 256] });
  });

  it('rejects a bias of the wrong size and an unknown activation', () => {
    expectThrows(
      () =>
        infer(op('FusedLinear'), [
          { dtype: 'float32', shape: [2, 3] },
          { dtype: 'float32', shape: [3, 4] },
          { dtype: 'float32', shape: [3] },
        ]),
      ShapeError,
      'FusedLinear',
      'bias',
    );
    expectThrows(
      () =>
        infer(
          op('FusedLinear'),
          [
            { dtype: 'float32', shape: [2, 3] },
            { dtype: 'float32', shape: [3, 4] },
          ],
          { activation: 'swish' },
        ),
      AttributeError,
      'FusedLinear',
      'activation',
    );
  });
});

describe('SwiGLU', () => {
  it('equals Silu(gate) · up', () => {
    fc.assert(
      fc.property(CASES['SwiGLU']!, (c) => {
        const [g, u] = c.inputs;
        const ref = run(op('Mul'), [run(op('Silu'), [g!])[0]!, u!])[0]!;
        expectClose(run(op('SwiGLU'), c.inputs)[0]!.data, ref.data);
      }),
      { seed: SEED, numRuns: 100 },
    );
  });

  it('is fused and rejects gate/up that do not broadcast', () => {
    expect(op('SwiGLU').fused).toBe(true);
    expectThrows(
      () =>
        infer(op('SwiGLU'), [
          { dtype: 'float32', shape: [2, 8] },
          { dtype: 'float32', shape: [2, 4] },
        ]),
      ShapeError,
      'SwiGLU',
      '[2, 8]',
      '[2, 4]',
    );
  });
});
