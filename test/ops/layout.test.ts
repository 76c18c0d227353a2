import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AttributeError, InterpretError, ShapeError } from '../../src/errors.js';
import { LAYOUT_OPS } from '../../src/ops/defs/layout.js';
import { outputCount, resolveAttrs } from '../../src/ops/registry.js';
import type { Attrs, DType, NDArray } from '../../src/ops/types.js';
import { arr, costOf, expectThrows, infer, opNamed, random, run, SEED, seedArb, shapeArb, itInfersWhatTheKernelsProduce, type OpCase } from './support/harness.js';
import { rng } from '../../src/interp/random.js';

const op = (name: string) => opNamed(LAYOUT_OPS, name);
const iota = (shape: number[], dtype: DType = 'float32') =>
  arr(
    dtype,
    shape,
    Array.from({ length: shape.reduce((p, d) => p * d, 1) }, (_, i) => i),
  );
const values = (x: NDArray | undefined) => [...x!.data];

/** A shape with an axis of it (rank ≥ 1). */
const shapeAxis = fc.tuple(shapeArb(1, 4), fc.nat(), fc.boolean()).map(([s, a, neg]) => ({ shape: s, axis: neg ? (a % s.length) - s.length : a % s.length }));

/** Random ONNX slice parameters, ends sometimes far past the axis. */
const sliceCase: fc.Arbitrary<OpCase> = fc
  .tuple(shapeArb(1, 4, 5), fc.array(fc.tuple(fc.integer({ min: -7, max: 7 }), fc.integer({ min: -7, max: 7 }), fc.constantFrom(1, 2, -1, -3), fc.boolean())), seedArb)
  .map(([shape, params, seed]) => {
    const axes = [...new Set(params.map((_, i) => i % shape.length))];
    const ps = axes.map((_, i) => params[i]!);
    return {
      inputs: [random('float32', shape, seed)],
      attrs: {
        starts: ps.map((p) => p[0]),
        ends: ps.map((p) => (p[3] ? 2 ** 63 - 1 : p[1])),
        axes: axes.map((a, i) => (i % 2 ? a - shape.length : a)),
        steps: ps.map((p) => p[2]),
      },
    };
  });

/** Reshape targets: consecutive input dims merged, then maybe one -1 and some copied 0s. */
const reshapeCase: fc.Arbitrary<OpCase> = fc
  .tuple(shapeArb(0, 4), fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }), fc.nat(), fc.boolean(), seedArb)
  .map(([shape, cuts, pick, zeros, seed]) => {
    const target: number[] = [];
    shape.forEach((d, i) => {
      if (i > 0 && cuts[i]) target[target.length - 1]! *= d;
      else target.push(d);
    });
    if (target.length > 0 && pick % 2) target[pick % target.length] = -1;
    if (zeros) target.forEach((d, i) => d === shape[i] && (target[i] = 0));
    return { inputs: [random('float32', shape, seed)], attrs: { shape: target } };
  });

const CASES: Record<string, fc.Arbitrary<OpCase>> = {
  // Constant has no kernel: the network supplies data of the declared type, which must match inference.
  Constant: fc.tuple(shapeArb(), fc.constantFrom<DType>('float32', 'int64', 'bool')).map(([shape, dtype]) => ({
    inputs: [],
    attrs: { dtype, shape },
  })),
  Transpose: fc.tuple(shapeArb(0, 4), fc.boolean(), seedArb).map(([shape, given, seed]): OpCase => {
    const next = rng(seed);
    const perm = shape.map((_, i) => i).sort(() => (next() < 0.5 ? -1 : 1));
    return { inputs: [random('int32', shape, seed)], attrs: given ? { perm } : {} };
  }),
  Reshape: reshapeCase,
  Flatten: fc.tuple(shapeArb(0, 4), fc.nat(), seedArb).map(([shape, a, seed]) => ({
    inputs: [random('float32', shape, seed)],
    attrs: { axis: (a % (2 * shape.length + 1)) - shape.length },
  })),
  Concat: fc.tuple(shapeAxis, fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 3 }), seedArb).map(([{ shape, axis }, sizes, seed]) => ({
    inputs: sizes.map((s, i) =>
      random(
        'float32',
        shape.map((d, j) => (j === (axis + shape.length) % shape.length ? s : d)),
        seed + i,
      ),
    ),
    attrs: { axis },
  })),
  Split: fc.tuple(shapeAxis, fc.boolean(), fc.integer({ min: 1, max: 3 }), seedArb).map(([{ shape, axis }, explicit, n, seed]): OpCase => {
    const size = shape[(axis + shape.length) % shape.length]!;
    const split = [size - Math.floor(size / 2), Math.floor(size / 2)];
    return { inputs: [random('float32', shape, seed)], attrs: explicit ? { axis, split } : { axis, numOutputs: Math.min(n, size) } };
  }),
  Slice: sliceCase,
  Gather: fc.tuple(shapeAxis, shapeArb(0, 2), fc.constantFrom<DType>('int32', 'int64'), seedArb).map(([{ shape, axis }, ishape, idt, seed]) => {
    const size = shape[(axis + shape.length) % shape.length]!;
    return { inputs: [random('float32', shape, seed), random(idt, ishape, seed + 1, -size, size - 1)], attrs: { axis } };
  }),
  Unsqueeze: fc.tuple(shapeArb(0, 3), fc.uniqueArray(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 2 }), seedArb).map(([shape, raw, seed]) => ({
    inputs: [random('float32', shape, seed)],
    attrs: { axes: raw.map((a) => a % (shape.length + raw.length)).filter((a, i, all) => all.indexOf(a) === i) },
  })),
  Squeeze: fc.tuple(shapeArb(0, 4, 2), fc.boolean(), seedArb).map(
    ([shape, all, seed]): OpCase => ({
      inputs: [random('float32', shape, seed)],
      attrs: all ? {} : { axes: shape.flatMap((d, i) => (d === 1 && i % 2 === 0 ? [i] : [])) },
    }),
  ),
  Expand: fc.tuple(shapeArb(0, 3), fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 4 }), seedArb).map(([shape, other, seed]) => {
    // A target that broadcasts both ways: the input's dims where other has 1, other's where the input has 1.
    const target = other.map((d, i) => {
      const mine = shape[shape.length - other.length + i];
      return mine === undefined || mine === 1 || d === 1 ? d : mine;
    });
    return { inputs: [random('float32', shape, seed)], attrs: { shape: target } };
  }),
  Embedding: fc.tuple(shapeArb(0, 3), dimArb(), dimArb(), seedArb).map(([ishape, v, d, seed]) => ({
    inputs: [random('int64', ishape, seed, 0, v - 1), random('float32', [v, d], seed + 1)],
    attrs: {},
  })),
};

function dimArb() {
  return fc.integer({ min: 1, max: 5 });
}

describe('layout ops: inference agrees with the kernels', () => {
  itInfersWhatTheKernelsProduce(LAYOUT_OPS, CASES, { numRuns: 150, skip: ['Constant'] });

  it('Constant: infers exactly the declared dtype and shape, and has no kernel', () => {
    fc.assert(
      fc.property(CASES['Constant']!, (c) => {
        expect(infer(op('Constant'), [], c.attrs)).toEqual([{ dtype: c.attrs['dtype'], shape: c.attrs['shape'] }]);
      }),
      { seed: SEED, numRuns: 50 },
    );
    expect(op('Constant').kernel).toBeUndefined();
  });
});

describe('Constant', () => {
  it('needs a known dtype and non-negative sizes', () => {
    expectThrows(() => infer(op('Constant'), [], { dtype: 'complex64', shape: [2] }), AttributeError, 'Constant', 'dtype');
    expectThrows(() => infer(op('Constant'), [], { dtype: 'float32', shape: [-1] }), AttributeError, 'Constant', 'shape');
    expectThrows(() => infer(op('Constant'), [], { dtype: 'float32' }), AttributeError, 'Constant', '"shape"');
  });
});

describe('Transpose', () => {
  it('moves elements as the permutation says', () => {
    const [y] = run(op('Transpose'), [iota([2, 3])]);
    expect(y!.shape).toEqual([3, 2]);
    expect(values(y)).toEqual([0, 3, 1, 4, 2, 5]);
    const [z] = run(op('Transpose'), [iota([2, 3, 4])], { perm: [1, 2, 0] });
    expect(z!.shape).toEqual([3, 4, 2]);
    // z[i][j][k] = x[k][i][j] = 12k + 4i + j
    expect(z!.data[(2 * 4 + 1) * 2 + 1]).toBe(12 + 8 + 1);
  });

  it('rejects a perm that is not a permutation', () => {
    expectThrows(() => infer(op('Transpose'), [{ dtype: 'float32', shape: [2, 3] }], { perm: [0, 0] }), ShapeError, 'Transpose', '[0, 0]');
  });

  it('is pure data movement', () => {
    expect(costOf(op('Transpose'), [{ dtype: 'float32', shape: [2, 3] }])).toEqual({ flops: 0, bytesRead: 24, bytesWritten: 24 });
  });
});

describe('Reshape', () => {
  it('copies dims with 0 and infers -1', () => {
    const [y] = run(op('Reshape'), [iota([2, 3, 4])], { shape: [0, -1] });
    expect(y!.shape).toEqual([2, 12]);
    expect(values(y)).toEqual(values(iota([24])));
  });

  it('splits and merges symbolic dims exactly', () => {
    const x = { dtype: 'float16', shape: ['batch', 'seq', 4096] } as const;
    expect(infer(op('Reshape'), [x], { shape: [0, 0, 32, 128] })[0]!.shape).toEqual(['batch', 'seq', 32, 128]);
    expect(infer(op('Reshape'), [x], { shape: [-1, 4096] })[0]!.shape).toEqual(['batch*seq', 4096]);
    const merged = { dtype: 'float16', shape: ['batch*seq', 4096] } as const;
    expect(infer(op('Reshape'), [merged], { shape: [-1, 32, 128] })[0]!.shape).toEqual(['batch*seq', 32, 128]);
  });

  it('says clearly when the element count cannot match', () => {
    expectThrows(() => infer(op('Reshape'), [{ dtype: 'float32', shape: [2, 3] }], { shape: [4, 2] }), ShapeError, 'Reshape', '[2, 3]', '[4, 2]');
    expectThrows(() => infer(op('Reshape'), [{ dtype: 'float32', shape: [2, 3] }], { shape: [4, -1] }), ShapeError, 'Reshape', 'same number of elements');
    expectThrows(() => infer(op('Reshape'), [{ dtype: 'float32', shape: ['batch', 6] }], { shape: [-1, 4] }), ShapeError, 'Reshape', '6*batch');
    expectThrows(() => infer(op('Reshape'), [{ dtype: 'float32', shape: [6] }], { shape: [-1, -1] }), ShapeError, 'Reshape', 'more than one -1');
  });
});

describe('Flatten', () => {
  it('folds dims before and after the axis', () => {
    const x = { dtype: 'float32', shape: ['batch', 3, 4] } as const;
    expect(infer(op('Flatten'), [x])[0]!.shape).toEqual(['batch', 12]);
    expect(infer(op('Flatten'), [x], { axis: 0 })[0]!.shape).toEqual([1, '12*batch']);
    expect(infer(op('Flatten'), [x], { axis: -1 })[0]!.shape).toEqual(['3*batch', 4]);
    expectThrows(() => infer(op('Flatten'), [x], { axis: 4 }), ShapeError, 'Flatten', 'axis 4');
  });
});

describe('Concat', () => {
  it('joins along the axis', () => {
    const [y] = run(op('Concat'), [iota([2, 1]), arr('float32', [2, 2], [10, 11, 12, 13])], { axis: 1 });
    expect(y!.shape).toEqual([2, 3]);
    expect(values(y)).toEqual([0, 10, 11, 1, 12, 13]);
  });

  it('adds symbolic sizes that are multiples of one symbol', () => {
    const t = { dtype: 'float32', shape: ['seq', 8] } as const;
    expect(infer(op('Concat'), [t, t], { axis: 0 })[0]!.shape).toEqual(['2*seq', 8]);
    expectThrows(() => infer(op('Concat'), [t, { dtype: 'float32', shape: [3, 8] }], { axis: 0 }), ShapeError, 'Concat', 'seq + 3');
  });

  it('rejects other dims that differ, and a missing axis', () => {
    expectThrows(
      () =>
        infer(
          op('Concat'),
          [
            { dtype: 'float32', shape: [2, 3] },
            { dtype: 'float32', shape: [4, 4] },
          ],
          { axis: 0 },
        ),
      ShapeError,
      'Concat',
      '[2, 3]',
      '[4, 4]',
    );
    expectThrows(() => infer(op('Concat'), [{ dtype: 'float32', shape: [2] }]), AttributeError, 'Concat', 'axis');
  });
});

describe('Split', () => {
  it('cuts into near-equal parts, the last one smaller', () => {
    const parts = run(op('Split'), [iota([5])]);
    expect(parts.map((p) => p.shape)).toEqual([[3], [2]]);
    expect(parts.map(values)).toEqual([
      [0, 1, 2],
      [3, 4],
    ]);
    expect(run(op('Split'), [iota([7])], { numOutputs: 3 }).map((p) => p.shape[0])).toEqual([3, 3, 1]);
  });

  it('cuts at explicit sizes along any axis', () => {
    const parts = run(op('Split'), [iota([2, 4])], { axis: -1, split: [1, 3] });
    expect(parts.map(values)).toEqual([
      [0, 4],
      [1, 2, 3, 5, 6, 7],
    ]);
    expect(outputCount(op('Split'), resolveAttrs(op('Split'), { split: [1, 1, 2] }))).toBe(3);
    expect(outputCount(op('Split'), resolveAttrs(op('Split'), { numOutputs: 4 }))).toBe(4);
  });

  it('divides symbolic sizes exactly, or says why not', () => {
    const t = { dtype: 'float32', shape: ['2*seq', 8] } as const;
    expect(infer(op('Split'), [t]).map((p) => p.shape)).toEqual([
      ['seq', 8],
      ['seq', 8],
    ]);
    expectThrows(() => infer(op('Split'), [t], { numOutputs: 3 }), ShapeError, 'Split', '2*seq');
    expectThrows(() => infer(op('Split'), [{ dtype: 'float32', shape: [5] }], { split: [2, 2] }), ShapeError, 'Split', 'add up to 4');
  });
});

describe('Slice', () => {
  const x = iota([6]);
  const slice = (attrs: Attrs) => values(run(op('Slice'), [x], attrs)[0]);

  it('follows ONNX clamping with negative indices, big ends and negative steps', () => {
    expect(slice({ starts: [1], ends: [4] })).toEqual([1, 2, 3]);
    expect(slice({ starts: [-2], ends: [2 ** 31 - 1] })).toEqual([4, 5]);
    expect(slice({ starts: [-100], ends: [2] })).toEqual([0, 1]);
    expect(slice({ starts: [0], ends: [-1], steps: [2] })).toEqual([0, 2, 4]);
    expect(slice({ starts: [-1], ends: [-(2 ** 63)], steps: [-1] })).toEqual([5, 4, 3, 2, 1, 0]);
    expect(slice({ starts: [4], ends: [0], steps: [-2] })).toEqual([4, 2]);
    expect(slice({ starts: [10], ends: [20] })).toEqual([]);
    expect(slice({ starts: [3], ends: [1] })).toEqual([]);
  });

  it('slices the named axes only', () => {
    const [y] = run(op('Slice'), [iota([3, 4])], { starts: [1], ends: [3], axes: [-1] });
    expect(y!.shape).toEqual([3, 2]);
    expect(values(y)).toEqual([1, 2, 5, 6, 9, 10]);
  });

  it('clamps a negative-step start into the axis, as the ONNX spec says (numpy would give nothing)', () => {
    expect(values(run(op('Slice'), [iota([1])], { starts: [-2], ends: [-2], steps: [-2] })[0])).toEqual([0]);
  });

  it('agrees on 1-D with stepping through indices one by one', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 6 }), fc.integer({ min: -9, max: 9 }), fc.integer({ min: -9, max: 9 }), fc.constantFrom(1, 2, 3, -1, -2), (n, s, e, step) => {
        const start = s < 0 ? s + n : s;
        const end = e < 0 ? e + n : e;
        const expected: number[] = [];
        // Walk from the start in steps, keeping the indices that lie inside both the axis and the bounds.
        const from = step > 0 ? Math.max(start, 0) : Math.min(Math.max(start, 0), n - 1);
        for (let i = from; step > 0 ? i < end : i > end; i += step) if (i >= 0 && i < n) expected.push(i);
        expect(values(run(op('Slice'), [iota([n])], { starts: [s], ends: [e], steps: [step] })[0])).toEqual(expected);
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('keeps a symbolic axis sliced whole and refuses to guess a partial one', () => {
    const t = { dtype: 'float32', shape: ['batch', 'seq', 8] } as const;
    expect(infer(op('Slice'), [t], { starts: [0, 2], ends: [2 ** 63 - 1, 6], axes: [1, 2] })[0]!.shape).toEqual(['batch', 'seq', 4]);
    expectThrows(() => infer(op('Slice'), [t], { starts: [1], ends: [3], axes: [1] }), ShapeError, 'Slice', 'seq');
  });

  it('rejects inconsistent parameters', () => {
    const t = { dtype: 'float32', shape: [4] } as const;
    expectThrows(() => infer(op('Slice'), [t], { starts: [0, 1], ends: [2] }), ShapeError, 'Slice', 'same length');
    expectThrows(() => infer(op('Slice'), [t], { starts: [0], ends: [2], steps: [0] }), ShapeError, 'Slice', 'step');
  });

  it('reads only the elements it keeps', () => {
    expect(costOf(op('Slice'), [{ dtype: 'float32', shape: [100] }], { starts: [0], ends: [10] }).bytesRead).toBe(40);
  });
});

describe('Gather and Embedding', () => {
  it('gathers along an axis with negative indices', () => {
    const [y] = run(op('Gather'), [iota([2, 3]), arr('int64', [2, 2], [0, -1, 2, 1])], { axis: 1 });
    expect(y!.shape).toEqual([2, 2, 2]);
    expect(values(y)).toEqual([0, 2, 2, 1, 3, 5, 5, 4]);
  });

  it('fails on an out-of-range index when computing', () => {
    expectThrows(() => run(op('Gather'), [iota([3]), arr('int32', [1], [3])]), InterpretError, 'Gather', 'index 3');
    expectThrows(() => run(op('Embedding'), [arr('int32', [1], [-5]), iota([4, 2])]), InterpretError, 'Embedding', '-5');
  });

  it('needs integer indices', () => {
    expectThrows(
      () =>
        infer(op('Gather'), [
          { dtype: 'float32', shape: [3] },
          { dtype: 'float32', shape: [1] },
        ]),
      ShapeError,
      'Gather',
      'indices',
    );
  });

  it('looks up embedding rows, keeping symbolic index dims', () => {
    const [y] = run(op('Embedding'), [arr('int64', [3], [2, 0, 2]), iota([3, 2])]);
    expect(y!.shape).toEqual([3, 2]);
    expect(values(y)).toEqual([4, 5, 0, 1, 4, 5]);
    const [t] = infer(op('Embedding'), [
      { dtype: 'int64', shape: ['batch', 'seq'] },
      { dtype: 'float16', shape: [32000, 64] },
    ]);
    expect(t).toEqual({ dtype: 'float16', shape: ['batch', 'seq', 64] });
  });

  it('charges an embedding for the rows it reads, not the whole table', () => {
    const c = costOf(op('Embedding'), [
      { dtype: 'int64', shape: [4] },
      { dtype: 'float32', shape: [1000, 8] },
    ]);
    expect(c).toEqual({ flops: 0, bytesRead: 4 * 8 + 4 * 8 * 4, bytesWritten: 4 * 8 * 4 });
  });
});

describe('Unsqueeze, Squeeze and Expand', () => {
  it('inserts and removes size-1 dims', () => {
    const t = { dtype: 'float32', shape: ['batch', 4] } as const;
    expect(infer(op('Unsqueeze'), [t], { axes: [0, -1] })[0]!.shape).toEqual([1, 'batch', 4, 1]);
    expect(infer(op('Squeeze'), [{ dtype: 'float32', shape: [1, 'seq', 1, 3] }])[0]!.shape).toEqual(['seq', 3]);
    expect(infer(op('Squeeze'), [{ dtype: 'float32', shape: [1, 2, 1] }], { axes: [-1] })[0]!.shape).toEqual([1, 2]);
    const [y] = run(op('Unsqueeze'), [iota([2])], { axes: [1] });
    expect(y).toMatchObject({ shape: [2, 1], data: new Float32Array([0, 1]) });
  });

  it('refuses to squeeze a dim that is not 1, and repeated axes', () => {
    expectThrows(() => infer(op('Squeeze'), [{ dtype: 'float32', shape: [1, 'seq'] }], { axes: [1] }), ShapeError, 'Squeeze', 'seq');
    expectThrows(() => infer(op('Unsqueeze'), [{ dtype: 'float32', shape: [2] }], { axes: [0, -3] }), ShapeError, 'Unsqueeze', 'twice');
  });

  it('expands both ways', () => {
    const [y] = run(op('Expand'), [iota([3, 1])], { shape: [2, 1, 4] });
    expect(y!.shape).toEqual([2, 3, 4]);
    expect(values(y)).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2]);
    expectThrows(() => infer(op('Expand'), [{ dtype: 'float32', shape: [3] }], { shape: [4] }), ShapeError, 'Expand', '[3]', '[4]');
  });
});
