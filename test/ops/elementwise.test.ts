import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AttributeError, InterpretError, ShapeError } from '../../src/errors.js';
import { ELEMENTWISE_OPS } from '../../src/ops/defs/elementwise.js';
import { erf } from '../../src/ops/kernels/activations.js';
import type { DType } from '../../src/ops/types.js';
import {
  arr,
  broadcastShapesArb,
  expectClose,
  expectThrows,
  infer,
  opNamed,
  random,
  run,
  seedArb,
  shapeArb,
  typeOf,
  itInfersWhatTheKernelsProduce,
  type OpCase,
} from './support/harness.js';

const op = (name: string) => opNamed(ELEMENTWISE_OPS, name);
const f32 = (shape: number[], values: number[]) => arr('float32', shape, values);

const floatDtype = fc.constantFrom<DType>('float32', 'float16');
const numericDtype = fc.constantFrom<DType>('float32', 'float16', 'int32', 'int64');

const unaryCase = (dtypes: fc.Arbitrary<DType>, lo = -3, hi = 3): fc.Arbitrary<OpCase> =>
  fc.tuple(shapeArb(), dtypes, seedArb).map(([s, dt, seed]) => ({ inputs: [random(dt, s, seed, lo, hi)], attrs: {} }));

// Int divisors and exponents stay positive so that every generated case has a value.
const binaryCase = (lo = -3, hi = 3): fc.Arbitrary<OpCase> =>
  fc.tuple(broadcastShapesArb(2), numericDtype, seedArb).map(([[a, b], dt, seed]) => ({
    inputs: [random(dt, a!, seed, -3, 3), random(dt, b!, seed + 1, lo, hi)],
    attrs: {},
  }));

const CASES: Record<string, fc.Arbitrary<OpCase>> = {
  Identity: unaryCase(fc.constantFrom<DType>('float32', 'int64', 'bool')),
  Add: binaryCase(),
  Sub: binaryCase(),
  Mul: binaryCase(),
  Div: binaryCase(1, 3),
  Pow: binaryCase(0, 3),
  Sqrt: unaryCase(floatDtype, 0, 4),
  Reciprocal: unaryCase(floatDtype),
  Neg: unaryCase(numericDtype),
  Exp: unaryCase(floatDtype),
  Log: unaryCase(floatDtype, 0.1, 4),
  Erf: unaryCase(floatDtype),
  Tanh: unaryCase(floatDtype),
  Relu: unaryCase(numericDtype),
  Sigmoid: unaryCase(floatDtype),
  Silu: unaryCase(floatDtype),
  Gelu: fc.tuple(unaryCase(floatDtype), fc.constantFrom('none', 'tanh')).map(([c, approximate]) => ({ ...c, attrs: { approximate } })),
  IsNaN: unaryCase(floatDtype),
  Where: fc.tuple(broadcastShapesArb(3), fc.constantFrom<DType>('float32', 'int32'), seedArb).map(([[c, x, y], dt, seed]) => ({
    inputs: [random('bool', c!, seed), random(dt, x!, seed + 1), random(dt, y!, seed + 2)],
    attrs: {},
  })),
  Cast: fc
    .tuple(unaryCase(fc.constantFrom<DType>('float32', 'int32', 'int64', 'bool')), fc.constantFrom<DType>('float32', 'float16', 'int32', 'int64', 'bool'))
    .map(([c, to]) => ({ ...c, attrs: { to } })),
};

describe('elementwise ops: inference agrees with the kernels', () => {
  itInfersWhatTheKernelsProduce(ELEMENTWISE_OPS, CASES, { numRuns: 60 });
});

describe('binary arithmetic', () => {
  it('broadcasts a row across a matrix', () => {
    const [y] = run(op('Add'), [f32([2, 3], [1, 2, 3, 4, 5, 6]), f32([3], [10, 20, 30])]);
    expect(y!.shape).toEqual([2, 3]);
    expect([...y!.data]).toEqual([11, 22, 33, 14, 25, 36]);
  });

  it('broadcasts a column against a row into an outer product', () => {
    const [y] = run(op('Mul'), [f32([2, 1], [2, 3]), f32([1, 3], [1, 10, 100])]);
    expect(y!.shape).toEqual([2, 3]);
    expect([...y!.data]).toEqual([2, 20, 200, 3, 30, 300]);
  });

  it('computes Sub, Div and Pow on floats', () => {
    expect([...run(op('Sub'), [f32([2], [5, 1]), f32([2], [2, 4])])[0]!.data]).toEqual([3, -3]);
    expect([...run(op('Div'), [f32([2], [1, -7]), f32([2], [4, 2])])[0]!.data]).toEqual([0.25, -3.5]);
    expect([...run(op('Pow'), [f32([3], [2, 9, 4]), f32([3], [3, 0.5, -1])])[0]!.data]).toEqual([8, 3, 0.25]);
  });

  it('truncates integer division toward zero, as ONNX does', () => {
    for (const dt of ['int32', 'int64'] as const) {
      const [y] = run(op('Div'), [arr(dt, [5], [7, -7, 7, -7, -1]), arr(dt, [5], [2, 2, -2, -2, 2])]);
      expect(y!.dtype).toBe(dt);
      expect([...y!.data]).toEqual([3, -3, -3, 3, 0]);
    }
  });

  it('does int64 shape arithmetic exactly, beyond float32 precision', () => {
    const big = 2 ** 40 + 1;
    const [y] = run(op('Mul'), [arr('int64', [1], [big]), arr('int64', [1], [4])]);
    expect(y!.data[0]).toBe(4 * big);
    const [s] = run(op('Add'), [arr('int64', [2], [big, 3]), arr('int64', [], [-1])]);
    expect([...s!.data]).toEqual([big - 1, 2]);
  });

  it('wraps int32 multiplication like two’s complement', () => {
    const [y] = run(op('Mul'), [arr('int32', [1], [65536 * 3]), arr('int32', [1], [65536])]);
    expect(y!.data[0]).toBe(0);
  });

  it('refuses integer division by zero when computing', () => {
    expectThrows(() => run(op('Div'), [arr('int32', [1], [1]), arr('int32', [1], [0])]), InterpretError, 'division by zero');
  });

  it('broadcasts symbolic dims against 1 and keeps them', () => {
    const [t] = infer(op('Add'), [
      { dtype: 'float32', shape: ['batch', 1, 4] },
      { dtype: 'float32', shape: ['seq', 1] },
    ]);
    expect(t!.shape).toEqual(['batch', 'seq', 4]);
  });

  it('rejects shapes that do not broadcast, naming the op and both shapes', () => {
    expectThrows(
      () =>
        infer(op('Add'), [
          { dtype: 'float32', shape: [2, 3] },
          { dtype: 'float32', shape: [4] },
        ]),
      ShapeError,
      'Add',
      '[2, 3]',
      '[4]',
    );
    expectThrows(
      () =>
        infer(op('Mul'), [
          { dtype: 'float32', shape: ['batch', 3] },
          { dtype: 'float32', shape: ['seq', 3] },
        ]),
      ShapeError,
      'Mul',
      '[batch, 3]',
      '[seq, 3]',
    );
  });

  it('rejects mixed dtypes, naming both', () => {
    expectThrows(
      () =>
        infer(op('Sub'), [
          { dtype: 'float32', shape: [2] },
          { dtype: 'int64', shape: [2] },
        ]),
      ShapeError,
      'Sub',
      'float32',
      'int64',
    );
  });

  it('rejects bool arithmetic', () => {
    expectThrows(
      () =>
        infer(op('Add'), [
          { dtype: 'bool', shape: [2] },
          { dtype: 'bool', shape: [2] },
        ]),
      ShapeError,
      'Add',
      'bool',
    );
  });

  it('rejects unknown attributes', () => {
    expectThrows(
      () =>
        infer(
          op('Add'),
          [
            { dtype: 'float32', shape: [2] },
            { dtype: 'float32', shape: [2] },
          ],
          { axis: 1 },
        ),
      AttributeError,
      'Add',
      'axis',
    );
  });

  it('counts one FLOP per output element and every byte in and out', () => {
    const a = { dtype: 'float32', shape: [2, 3] } as const;
    const b = { dtype: 'float32', shape: [3] } as const;
    const [y] = infer(op('Add'), [a, b]);
    expect(op('Add').cost([a, b], [y!], {})).toEqual({ flops: 6, bytesRead: 36, bytesWritten: 24 });
  });
});

describe('unary math', () => {
  it('computes Sqrt, Reciprocal, Neg, Exp, Log and Tanh', () => {
    const x = f32([3], [0.25, 1, 4]);
    expectClose(run(op('Sqrt'), [x])[0]!.data, [0.5, 1, 2]);
    expectClose(run(op('Reciprocal'), [x])[0]!.data, [4, 1, 0.25]);
    expectClose(run(op('Neg'), [x])[0]!.data, [-0.25, -1, -4]);
    expectClose(run(op('Exp'), [x])[0]!.data, [Math.exp(0.25), Math.E, Math.exp(4)]);
    expectClose(run(op('Log'), [x])[0]!.data, [Math.log(0.25), 0, Math.log(4)]);
    expectClose(run(op('Tanh'), [f32([2], [0, 1])])[0]!.data, [0, 0.7615941559557649]);
  });

  it('computes erf to 1e-13 at known points', () => {
    const known: [number, number][] = [
      [0, 0],
      [0.1, 0.1124629160182849],
      [0.5, 0.5204998778130465],
      [1, 0.8427007929497149],
      [-1.5, -0.9661051464753108],
      [2, 0.9953222650189527],
      [2.9, 0.9999589021219005],
      [3.5, 0.9999992569016276],
      [-4, -0.9999999845827421],
      [10, 1],
    ];
    for (const [x, v] of known) expect(Math.abs(erf(x) - v)).toBeLessThan(1e-13);
    expect(erf(NaN)).toBeNaN();
  });

  it('is continuous where erf switches from series to continued fraction', () => {
    expect(Math.abs(erf(3 - 1e-12) - erf(3))).toBeLessThan(1e-12);
  });

  it('computes Erf as an op in float32', () => {
    expectClose(run(op('Erf'), [f32([2], [1, -2])])[0]!.data, [0.8427007929497149, -0.9953222650189527], 1e-7);
  });

  it('computes Gelu exactly and by its tanh approximation', () => {
    const x = f32([3], [-1, 0, 1]);
    expectClose(run(op('Gelu'), [x])[0]!.data, [-0.15865525393145707, 0, 0.8413447460685429], 1e-7);
    expectClose(run(op('Gelu'), [x], { approximate: 'tanh' })[0]!.data, [-0.15880800939172324, 0, 0.8411919906082768], 1e-7);
  });

  it('computes Sigmoid and Silu without overflow at extreme inputs', () => {
    expectClose(run(op('Sigmoid'), [f32([3], [0, 2, -1000])])[0]!.data, [0.5, 0.8807970779778823, 0]);
    const silu = run(op('Silu'), [f32([3], [1, -1000, 1000])])[0]!.data;
    expectClose(silu, [0.7310585786300049, 0, 1000]);
    expect([...silu].every(Number.isFinite)).toBe(true);
  });

  it('applies Relu to floats and integers', () => {
    expect([...run(op('Relu'), [f32([3], [-2, 0, 3])])[0]!.data]).toEqual([0, 0, 3]);
    expect([...run(op('Relu'), [arr('int64', [2], [-5, 5])])[0]!.data]).toEqual([0, 5]);
  });

  it('rejects integer inputs where the math needs floats', () => {
    expectThrows(() => infer(op('Sqrt'), [{ dtype: 'int64', shape: [2] }]), ShapeError, 'Sqrt', 'int64');
  });

  it('charges transcendental ops more FLOPs than simple ones', () => {
    const t = { dtype: 'float32', shape: [10] } as const;
    expect(op('Exp').cost([t], [t], {}).flops).toBeGreaterThan(op('Neg').cost([t], [t], {}).flops);
    expect(op('Neg').cost([t], [t], {}).flops).toBe(10);
  });

  it('rejects an unknown Gelu approximation', () => {
    expectThrows(() => infer(op('Gelu'), [{ dtype: 'float32', shape: [2] }], { approximate: 'fast' }), AttributeError, 'Gelu', 'approximate');
  });
});

describe('IsNaN, Where, Cast and Identity', () => {
  it('marks NaN and nothing else (not ±inf) with a bool of the input shape', () => {
    const [y] = run(op('IsNaN'), [f32([2, 2], [NaN, Infinity, -Infinity, 0])]);
    expect(y!.dtype).toBe('bool');
    expect(y!.shape).toEqual([2, 2]);
    expect([...y!.data]).toEqual([1, 0, 0, 0]);
  });

  it('needs a float input and costs one FLOP per element', () => {
    expectThrows(() => infer(op('IsNaN'), [{ dtype: 'int64', shape: [2] }]), ShapeError, 'IsNaN', 'int64');
    expect(op('IsNaN').cost([{ dtype: 'float32', shape: [8] }], [{ dtype: 'bool', shape: [8] }], {}).flops).toBe(8);
  });

  it('picks from X where the condition holds, broadcasting', () => {
    const [y] = run(op('Where'), [arr('bool', [2, 1], [1, 0]), f32([2], [1, 2]), f32([], [-1])]);
    expect(y!.shape).toEqual([2, 2]);
    expect([...y!.data]).toEqual([1, 2, -1, -1]);
  });

  it('needs a bool condition and matching X/Y dtypes', () => {
    const f = { dtype: 'float32', shape: [2] } as const;
    expectThrows(() => infer(op('Where'), [f, f, f]), ShapeError, 'Where', 'condition');
    expectThrows(() => infer(op('Where'), [{ dtype: 'bool', shape: [2] }, f, { dtype: 'int32', shape: [2] }]), ShapeError, 'float32', 'int32');
  });

  it('casts floats to integers by truncation and anything to bool by nonzero', () => {
    const x = f32([4], [-1.7, -0.2, 0, 2.9]);
    expect([...run(op('Cast'), [x], { to: 'int32' })[0]!.data]).toEqual([-1, 0, 0, 2]);
    expect([...run(op('Cast'), [x], { to: 'int64' })[0]!.data]).toEqual([-1, 0, 0, 2]);
    expect([...run(op('Cast'), [x], { to: 'bool' })[0]!.data]).toEqual([1, 1, 0, 1]);
    const [b] = run(op('Cast'), [arr('bool', [2], [1, 0])], { to: 'float32' });
    expect(b!.dtype).toBe('float32');
    expect([...b!.data]).toEqual([1, 0]);
  });

  it('rejects an unknown target dtype and a missing one', () => {
    expectThrows(() => infer(op('Cast'), [{ dtype: 'float32', shape: [2] }], { to: 'float8' }), AttributeError, 'Cast', 'to');
    expectThrows(() => infer(op('Cast'), [{ dtype: 'float32', shape: [2] }]), AttributeError, 'Cast', '"to"');
  });

  it('returns a copy from Identity, never the input buffer', () => {
    const x = f32([2], [1, 2]);
    const [y] = run(op('Identity'), [x]);
    expect([...y!.data]).toEqual([1, 2]);
    expect(y!.data).not.toBe(x.data);
    expect(op('Identity').cost([typeOf(x)], [typeOf(x)], {}).flops).toBe(0);
  });
});
