import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AttributeError, ShapeError } from '../../src/errors.js';
import { getOp, resolveAttrs } from '../../src/ops/registry.js';
import type { DType, TensorType } from '../../src/ops/types.js';
import { array, expectClose, inferOp, randomArray, runOp } from '../support/op-run.js';

const dims = (min: number, max: number) => fc.array(fc.integer({ min: 1, max: 4 }), { minLength: min, maxLength: max });
const dtype = fc.constantFrom<DType>('float32', 'float16');

/** A shape that broadcasts to `shape`: a suffix of it with some dims turned to 1. */
const broadcastableTo = (shape: number[]) =>
  fc
    .tuple(fc.integer({ min: 0, max: shape.length }), fc.array(fc.boolean(), { minLength: shape.length, maxLength: shape.length }))
    .map(([drop, ones]) => shape.slice(drop).map((d, i) => (ones[i + drop] ? 1 : d)));

describe('norm ops: inferred types match the kernels', () => {
  it('LayerNorm over dims axis..end', () => {
    const prop = fc.property(dims(1, 4), fc.integer({ min: 0, max: 3 }), fc.boolean(), dtype, fc.nat(), (shape, a, withBias, dt, seed) => {
      const axis = (a % shape.length) - (seed % 2 ? shape.length : 0);
      const norm = shape.slice(axis < 0 ? axis + shape.length : axis);
      const [y] = runOp('LayerNorm', [randomArray(shape, seed, dt), randomArray(norm, seed + 1, dt), withBias ? randomArray(norm, seed + 2, dt) : undefined], { axis });
      expect(y!.data.every(Number.isFinite)).toBe(true);
    });
    fc.assert(prop, { seed: 42, numRuns: 60 });
  });

  it('RMSNorm over the last dim', () => {
    const prop = fc.property(dims(1, 4), dtype, fc.nat(), (shape, dt, seed) => {
      runOp('RMSNorm', [randomArray(shape, seed, dt), randomArray([shape[shape.length - 1]!], seed + 1, dt)]);
    });
    fc.assert(prop, { seed: 42, numRuns: 60 });
  });

  for (const [fused, plain] of [
    ['SkipLayerNorm', 'LayerNorm'],
    ['SkipRMSNorm', 'RMSNorm'],
  ] as const) {
    it(`${fused} = ${plain}(x + skip) and returns the sum, with skip broadcast`, () => {
      const prop = fc.property(
        dims(1, 4).chain((shape) => fc.tuple(fc.constant(shape), broadcastableTo(shape))),
        fc.boolean(),
        fc.nat(),
        ([shape, skipShape], withBias, seed) => {
          const x = randomArray(shape, seed);
          const skip = randomArray(skipShape, seed + 1);
          const d = [shape[shape.length - 1]!];
          const params = [randomArray(d, seed + 2), ...(plain === 'LayerNorm' && withBias ? [randomArray(d, seed + 3)] : [])];
          const [y, sum] = runOp(fused, [x, skip, ...params]);
          const [added] = runOp('Add', [x, skip]);
          expectClose(sum!.data, added!.data, 0);
          const [expected] = runOp(plain, [added!, ...params]);
          expectClose(y!.data, expected!.data, 0);
        },
      );
      fc.assert(prop, { seed: 42, numRuns: 40 });
    });
  }

  it('BatchNorm on channel dim 1', () => {
    const prop = fc.property(dims(2, 4), dtype, fc.nat(), (shape, dt, seed) => {
      const c = [shape[1]!];
      const variance = randomArray(c, seed + 4, dt);
      variance.data.forEach((v, i) => (variance.data[i] = Math.abs(v)));
      runOp('BatchNorm', [randomArray(shape, seed, dt), randomArray(c, seed + 1, dt), randomArray(c, seed + 2, dt), randomArray(c, seed + 3, dt), variance]);
    });
    fc.assert(prop, { seed: 42, numRuns: 40 });
  });

  it('symbolic dims pass through', () => {
    const t = inferOp('SkipRMSNorm', [
      { dtype: 'float16', shape: ['batch', 'seq', 8] },
      { dtype: 'float16', shape: ['batch', 'seq', 8] },
      { dtype: 'float16', shape: [8] },
    ]);
    expect(t).toEqual([
      { dtype: 'float16', shape: ['batch', 'seq', 8] },
      { dtype: 'float16', shape: ['batch', 'seq', 8] },
    ]);
    expect(inferOp('BatchNorm', [{ dtype: 'float32', shape: ['n', 3, 'h', 'w'] }, ...Array(4).fill({ dtype: 'float32', shape: [3] })])[0]!.shape).toEqual(['n', 3, 'h', 'w']);
  });
});

describe('norm ops: known values', () => {
  it('RMSNorm of [3, 4] with weight [1, 2]', () => {
    const [y] = runOp('RMSNorm', [array([1, 2], [3, 4]), array([2], [1, 2])], { epsilon: 0 });
    const rms = Math.sqrt(12.5);
    expectClose(y!.data, [3 / rms, (4 / rms) * 2]);
    const [withEps] = runOp('RMSNorm', [array([1, 2], [3, 4]), array([2], [1, 2])], { epsilon: 0.5 });
    expectClose(withEps!.data, [3 / Math.sqrt(13), (4 / Math.sqrt(13)) * 2]);
  });

  it('LayerNorm of [1, 2, 3, 4], and over two dims from axis 0', () => {
    const expected = [-1.3416408, -0.4472136, 0.4472136, 1.3416408];
    const [y] = runOp('LayerNorm', [array([4], [1, 2, 3, 4]), array([4], [1, 1, 1, 1]), array([4], [0, 0, 0, 0])], { epsilon: 0 });
    expectClose(y!.data, expected);
    const [y2] = runOp('LayerNorm', [array([2, 2], [1, 2, 3, 4]), array([2, 2], [1, 1, 1, 1])], { axis: 0, epsilon: 0 });
    expectClose(y2!.data, expected);
    const [y3] = runOp('LayerNorm', [array([4], [1, 2, 3, 4]), array([4], [2, 2, 2, 2]), array([4], [1, 1, 1, 1])], { epsilon: 0 });
    expectClose(
      y3!.data,
      expected.map((v) => 2 * v + 1),
    );
    const [withEps] = runOp('LayerNorm', [array([4], [1, 2, 3, 4]), array([4], [1, 1, 1, 1])], { epsilon: 0.75 });
    expectClose(
      withEps!.data,
      [-1.5, -0.5, 0.5, 1.5].map((v) => v / Math.SQRT2),
    );
  });

  it("SkipRMSNorm's second output is x + skip", () => {
    const x = array([2, 2], [1, 2, 3, 4]);
    const [y, sum] = runOp('SkipRMSNorm', [x, array([2], [10, 20]), array([2], [1, 1])], { epsilon: 0 });
    expect([...sum!.data]).toEqual([11, 22, 13, 24]);
    const r0 = Math.sqrt((11 * 11 + 22 * 22) / 2);
    expectClose(y!.data.subarray(0, 2), [11 / r0, 22 / r0]);
  });

  it('BatchNorm is the identity with mean 0, var 1, scale 1, bias 0, and per-channel otherwise', () => {
    const x = randomArray([2, 3, 2, 2], 7);
    const ones = array([3], [1, 1, 1]);
    const zeros = array([3], [0, 0, 0]);
    const [y] = runOp('BatchNorm', [x, ones, zeros, zeros, ones], { epsilon: 0 });
    expectClose(y!.data, x.data, 0);
    const [z] = runOp('BatchNorm', [array([1, 2, 1], [5, 5]), array([2], [1, 3]), array([2], [0, 1]), array([2], [1, 1]), array([2], [3, 3])], { epsilon: 1 });
    expectClose(z!.data, [2, 7]);
  });
});

describe('norm ops: bad input', () => {
  it('LayerNorm weight that does not match the normalized dims', () => {
    expect(() =>
      inferOp('LayerNorm', [
        { dtype: 'float32', shape: [2, 3, 4] },
        { dtype: 'float32', shape: [3] },
      ]),
    ).toThrow(/LayerNorm: input "weight" has shape \[3\] but must be \[4\]/);
    expect(() =>
      inferOp(
        'LayerNorm',
        [
          { dtype: 'float32', shape: [2, 3, 4] },
          { dtype: 'float32', shape: [4] },
        ],
        { axis: 1 },
      ),
    ).toThrow(/\[3, 4\]/);
  });

  it('a skip that would grow x, a non-float x, a wrong BatchNorm param, a negative epsilon', () => {
    expect(() =>
      inferOp('SkipLayerNorm', [
        { dtype: 'float32', shape: [3, 4] },
        { dtype: 'float32', shape: [2, 3, 4] },
        { dtype: 'float32', shape: [4] },
      ]),
    ).toThrow(ShapeError);
    expect(() =>
      inferOp('RMSNorm', [
        { dtype: 'int32', shape: [4] },
        { dtype: 'float32', shape: [4] },
      ]),
    ).toThrow(/RMSNorm: input "x" must be float/);
    const p = { dtype: 'float32' as const, shape: [3] };
    expect(() => inferOp('BatchNorm', [{ dtype: 'float32', shape: [1, 4, 2] }, p, p, p, p])).toThrow(/BatchNorm: input "scale" has shape \[3\] but must be \[4\]/);
    expect(() => inferOp('RMSNorm', [p, p], { epsilon: -1 })).toThrow(AttributeError);
  });
});

describe('norm ops: cost', () => {
  const cost = (name: string, inputs: TensorType[]) => {
    const op = getOp(name);
    const attrs = resolveAttrs(op);
    return op.cost(inputs, op.infer(inputs, attrs), attrs);
  };

  it('the fused residual norms move only their boundary tensors, fewer bytes than Add then the norm', () => {
    const x: TensorType = { dtype: 'float16', shape: [4, 16, 64] };
    const w: TensorType = { dtype: 'float16', shape: [64] };
    for (const [fused, plain] of [
      ['SkipRMSNorm', 'RMSNorm'],
      ['SkipLayerNorm', 'LayerNorm'],
    ]) {
      const f = cost(fused!, [x, x, w]);
      expect(f.bytesRead).toBe((2 * 4 * 16 * 64 + 64) * 2);
      expect(f.bytesWritten).toBe(2 * 4 * 16 * 64 * 2);
      const add = cost('Add', [x, x]);
      const norm = cost(plain!, [x, w]);
      expect(f.bytesRead + f.bytesWritten).toBeLessThan(add.bytesRead + add.bytesWritten + norm.bytesRead + norm.bytesWritten);
      expect(f.flops).toBe(norm.flops + 4 * 16 * 64);
    }
  });
});
