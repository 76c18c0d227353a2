import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AttributeError, ShapeError } from '../../src/errors.js';
import { REDUCE_OPS } from '../../src/ops/defs/reduce.js';
import type { DType } from '../../src/ops/types.js';
import { arr, costOf, expectClose, expectThrows, infer, opNamed, random, run, SEED, seedArb, shapeArb, itInfersWhatTheKernelsProduce, type OpCase } from './support/harness.js';

const op = (name: string) => opNamed(REDUCE_OPS, name);
const f32 = (shape: number[], values: number[]) => arr('float32', shape, values);
const sum = (xs: ArrayLike<number>) => Array.from(xs).reduce((s, v) => s + v, 0);

/** Random axes of a random shape, sometimes negative, sometimes absent (all axes). */
const reduceCase = (dtypes: DType[]): fc.Arbitrary<OpCase> =>
  fc
    .tuple(shapeArb(0, 4), fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }), fc.boolean(), fc.boolean(), fc.constantFrom(...dtypes), seedArb)
    .map(([shape, picked, absent, keepDims, dtype, seed]): OpCase => {
      const axes = shape.flatMap((_, i) => (picked[i] ? [i % 2 ? i - shape.length : i] : []));
      return { inputs: [random(dtype, shape, seed)], attrs: absent ? { keepDims } : { axes, keepDims } };
    });

const CASES: Record<string, fc.Arbitrary<OpCase>> = {
  ReduceSum: reduceCase(['float32', 'int64']),
  ReduceMean: reduceCase(['float32', 'float16', 'int32']),
  Softmax: fc.tuple(shapeArb(1, 4), fc.nat(), seedArb).map(([shape, a, seed]) => ({
    inputs: [random('float32', shape, seed, -5, 5)],
    attrs: { axis: (a % (2 * shape.length)) - shape.length },
  })),
};

describe('reduce ops: inference agrees with the kernels', () => {
  itInfersWhatTheKernelsProduce(REDUCE_OPS, CASES, { numRuns: 150 });
});

describe('ReduceSum and ReduceMean', () => {
  const x = f32([2, 3], [1, 2, 3, 4, 5, 6]);

  it('reduce the given axes, keeping them as 1 by default', () => {
    expect(run(op('ReduceSum'), [x], { axes: [1] })[0]).toMatchObject({ shape: [2, 1], data: new Float32Array([6, 15]) });
    expect(run(op('ReduceSum'), [x], { axes: [-2], keepDims: false })[0]).toMatchObject({ shape: [3], data: new Float32Array([5, 7, 9]) });
    expect(run(op('ReduceMean'), [x], { axes: [0] })[0]).toMatchObject({ shape: [1, 3], data: new Float32Array([2.5, 3.5, 4.5]) });
  });

  it('reduce every axis when axes is absent or empty', () => {
    expect(run(op('ReduceSum'), [x], { keepDims: false })[0]).toMatchObject({ shape: [], data: new Float32Array([21]) });
    expect(run(op('ReduceMean'), [x], { axes: [] })[0]).toMatchObject({ shape: [1, 1], data: new Float32Array([3.5]) });
  });

  it('truncate an integer mean toward zero', () => {
    expect([...run(op('ReduceMean'), [arr('int64', [2, 2], [1, 2, -1, -2])], { axes: [1] })[0]!.data]).toEqual([1, -1]);
  });

  it('preserve the total: the sum over any axes, summed again, is the sum of everything', () => {
    fc.assert(
      fc.property(CASES['ReduceSum']!, (c) => {
        const [y] = run(op('ReduceSum'), c.inputs, c.attrs);
        expectClose([sum(y!.data)], [sum(c.inputs[0]!.data)], 1e-4);
      }),
      { seed: SEED, numRuns: 150 },
    );
  });

  it('keep symbolic dims that are not reduced', () => {
    const t = { dtype: 'float32', shape: ['batch', 'seq', 8] } as const;
    expect(infer(op('ReduceMean'), [t], { axes: [-1] })[0]!.shape).toEqual(['batch', 'seq', 1]);
    expect(infer(op('ReduceSum'), [t], { axes: [1], keepDims: false })[0]!.shape).toEqual(['batch', 8]);
  });

  it('reject bad axes and attributes', () => {
    const t = { dtype: 'float32', shape: [2, 3] } as const;
    expectThrows(() => infer(op('ReduceSum'), [t], { axes: [2] }), ShapeError, 'ReduceSum', 'axis 2');
    expectThrows(() => infer(op('ReduceSum'), [t], { axes: [1, -1] }), ShapeError, 'ReduceSum', 'twice');
    expectThrows(() => infer(op('ReduceMean'), [t], { keepdims: false }), AttributeError, 'ReduceMean', 'keepdims');
  });

  it('count one add per input element, and the division for a mean', () => {
    const t = { dtype: 'float32', shape: [4, 8] } as const;
    expect(costOf(op('ReduceSum'), [t], { axes: [1] })).toEqual({ flops: 32, bytesRead: 128, bytesWritten: 16 });
    expect(costOf(op('ReduceMean'), [t], { axes: [1] }).flops).toBe(36);
  });
});

describe('Softmax', () => {
  it('matches known values', () => {
    expectClose(run(op('Softmax'), [f32([3], [1, 2, 3])])[0]!.data, [0.09003057317038046, 0.24472847105479764, 0.6652409557748219], 1e-6);
  });

  it('sums to 1 along its axis', () => {
    fc.assert(
      fc.property(CASES['Softmax']!, (c) => {
        const x = c.inputs[0]!;
        const axis = ((c.attrs['axis'] as number) + x.shape.length) % x.shape.length;
        const [y] = run(op('Softmax'), [x], c.attrs);
        const moved = run(op('ReduceSum'), [y!], { axes: [axis] })[0]!;
        expectClose(moved.data, new Array(moved.data.length).fill(1), 1e-5);
      }),
      { seed: SEED, numRuns: 150 },
    );
  });

  it('stays finite on huge inputs and works along a non-last axis', () => {
    const [y] = run(op('Softmax'), [f32([2, 2], [1000, 0, 1000, 0])], { axis: 0 });
    expectClose(y!.data, [0.5, 0.5, 0.5, 0.5]);
    const [z] = run(op('Softmax'), [f32([2], [1000, 999])]);
    expectClose(z!.data, [0.7310585786300049, 0.2689414213699951], 1e-6);
  });

  it('needs a float input and an axis in range', () => {
    expectThrows(() => infer(op('Softmax'), [{ dtype: 'int32', shape: [2] }]), ShapeError, 'Softmax', 'int32');
    expectThrows(() => infer(op('Softmax'), [{ dtype: 'float32', shape: [2] }], { axis: 1 }), ShapeError, 'Softmax', 'axis 1');
  });
});
