import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AttributeError, ShapeError } from '../../src/errors.js';
import { ACTIVATIONS, ACTIVATION_NAMES } from '../../src/ops/kernels/activations.js';
import { getOp, resolveAttrs } from '../../src/ops/registry.js';
import type { Attrs, TensorType } from '../../src/ops/types.js';
import { array, expectClose, inferOp, randomArray, runOp } from '../support/op-run.js';

const small = (max: number) => fc.integer({ min: 1, max });
const f32 = (shape: (number | string)[]) => ({ dtype: 'float32' as const, shape });

/** Random conv geometry; `fits` says whether the dilated kernel fits the padded input. */
const convCase = fc
  .record({
    n: small(2),
    group: small(2),
    cg: small(2),
    mg: small(2),
    h: small(6),
    w: small(6),
    kh: small(3),
    kw: small(3),
    strides: fc.tuple(small(2), small(2)),
    dilations: fc.tuple(small(2), small(2)),
    pads: fc.tuple(fc.nat(2), fc.nat(2), fc.nat(2), fc.nat(2)),
    bias: fc.boolean(),
    seed: fc.nat(),
  })
  .map((c) => ({
    ...c,
    fits: c.h + c.pads[0] + c.pads[2] >= c.dilations[0] * (c.kh - 1) + 1 && c.w + c.pads[1] + c.pads[3] >= c.dilations[1] * (c.kw - 1) + 1,
  }));

type ConvCase = typeof convCase extends fc.Arbitrary<infer T> ? T : never;

function convInputs(c: ConvCase) {
  const m = c.group * c.mg;
  return [randomArray([c.n, c.group * c.cg, c.h, c.w], c.seed), randomArray([m, c.cg, c.kh, c.kw], c.seed + 1), c.bias ? randomArray([m], c.seed + 2) : undefined];
}

const convAttrs = (c: ConvCase) => ({ strides: c.strides, dilations: c.dilations, pads: c.pads, group: c.group });

describe('conv ops: inferred types match the kernels', () => {
  it('Conv with groups, strides, dilations and asymmetric pads; a window that does not fit is a ShapeError', () => {
    const prop = fc.property(convCase, (c) => {
      if (c.fits) runOp('Conv', convInputs(c), convAttrs(c));
      else expect(() => runOp('Conv', convInputs(c), convAttrs(c))).toThrow(/Conv: window of extent/);
    });
    fc.assert(prop, { seed: 42, numRuns: 80 });
  });

  it('FusedConv = activation(Conv)', () => {
    const prop = fc.property(
      convCase.filter((c) => c.fits),
      fc.constantFrom(...ACTIVATION_NAMES),
      (c, activation) => {
        const [y] = runOp('FusedConv', convInputs(c), { ...convAttrs(c), activation });
        const [conv] = runOp('Conv', convInputs(c), convAttrs(c));
        expectClose(y!.data, Float32Array.from(conv!.data, ACTIVATIONS[activation].fn), 0);
      },
    );
    fc.assert(prop, { seed: 42, numRuns: 40 });
  });

  const poolCase = fc.record({
    n: small(2),
    c: small(2),
    h: small(6),
    w: small(6),
    kernelShape: fc.tuple(small(3), small(3)),
    strides: fc.tuple(small(3), small(3)),
    padFrac: fc.tuple(fc.nat(2), fc.nat(2), fc.nat(2), fc.nat(2)),
    ceilMode: fc.boolean(),
    seed: fc.nat(),
  });
  it('MaxPool picks input elements; AveragePool stays within the input range', () => {
    const prop = fc.property(poolCase, fc.tuple(small(2), small(2)), fc.boolean(), (p, dilations, countIncludePad) => {
      // Pads below the kernel, inputs at least as large as the dilated kernel.
      const [kh, kw] = p.kernelShape;
      const pads = [p.padFrac[0] % kh, p.padFrac[1] % kw, p.padFrac[2] % kh, p.padFrac[3] % kw];
      const x = randomArray([p.n, p.c, Math.max(p.h, kh * dilations[0]), Math.max(p.w, kw * dilations[1])], p.seed);
      const [max] = runOp('MaxPool', [x], { kernelShape: p.kernelShape, strides: p.strides, pads, dilations, ceilMode: p.ceilMode });
      const values = new Set(x.data);
      expect([...max!.data].every((v) => values.has(v))).toBe(true);
      const [avg] = runOp('AveragePool', [x], { kernelShape: p.kernelShape, strides: p.strides, pads, countIncludePad, ceilMode: p.ceilMode });
      expect([...avg!.data].every((v) => Math.abs(v) <= 1 + 1e-6)).toBe(true);
    });
    fc.assert(prop, { seed: 42, numRuns: 80 });
  });

  it('GlobalAveragePool keeps spatial dims as 1', () => {
    const prop = fc.property(fc.array(small(4), { minLength: 3, maxLength: 5 }), fc.nat(), (shape, seed) => {
      const [y] = runOp('GlobalAveragePool', [randomArray(shape, seed)]);
      expect(y!.shape).toEqual([shape[0], shape[1], ...shape.slice(2).map(() => 1)]);
    });
    fc.assert(prop, { seed: 42, numRuns: 40 });
  });

  it('symbolic batch passes; symbolic spatial dims pass a 1x1 stride-1 window only', () => {
    expect(inferOp('Conv', [f32(['n', 4, 8, 8]), f32([6, 2, 3, 3])], { group: 2 })[0]!.shape).toEqual(['n', 6, 6, 6]);
    expect(inferOp('Conv', [f32(['n', 4, 'h', 'w']), f32([6, 4, 1, 1])])[0]!.shape).toEqual(['n', 6, 'h', 'w']);
    expect(() => inferOp('Conv', [f32(['n', 4, 'h', 'w']), f32([6, 4, 3, 3])])).toThrow(/symbolic/);
  });
});

describe('conv ops: known values', () => {
  const nine = array([1, 1, 3, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9]);

  it('1-channel conv with a diagonal kernel, padding 1 and stride 2, plus bias', () => {
    const [y] = runOp('Conv', [nine, array([1, 1, 2, 2], [1, 0, 0, 1]), array([1], [0.5])], { pads: [1, 1, 1, 1], strides: [2, 2] });
    expect(y!.shape).toEqual([1, 1, 2, 2]);
    expect([...y!.data]).toEqual([1.5, 3.5, 7.5, 14.5]);
  });

  it('pads are [top, left, bottom, right]: one column of left padding', () => {
    const [y] = runOp('Conv', [nine, array([1, 1, 1, 2], [1, 10])], { pads: [0, 1, 0, 0] });
    expect([...y!.data]).toEqual([10, 21, 32, 40, 54, 65, 70, 87, 98]);
  });

  it('grouped conv keeps groups apart; dilation spreads taps', () => {
    const x = array([1, 2, 1, 3], [1, 2, 3, 10, 20, 30]);
    const [y] = runOp('Conv', [x, array([2, 1, 1, 1], [1, -1])], { group: 2 });
    expect([...y!.data]).toEqual([1, 2, 3, -10, -20, -30]);
    const [d] = runOp('Conv', [array([1, 1, 1, 3], [1, 2, 3]), array([1, 1, 1, 2], [1, 1])], { dilations: [1, 2] });
    expect([...d!.data]).toEqual([4]);
    const [dh] = runOp('Conv', [array([1, 1, 3, 1], [1, 2, 3]), array([1, 1, 2, 1], [1, 10])], { dilations: [2, 1] });
    expect([...dh!.data]).toEqual([31]);
  });

  it('FusedConv relu clamps negatives', () => {
    const [y] = runOp('FusedConv', [nine, array([1, 1, 1, 1], [-1]), array([1], [5])], { activation: 'relu' });
    expect([...y!.data]).toEqual([4, 3, 2, 1, 0, 0, 0, 0, 0]);
  });

  it('MaxPool: 2x2 stride 2, and padding that never wins', () => {
    const x = array(
      [1, 1, 4, 4],
      Array.from({ length: 16 }, (_, i) => i + 1),
    );
    expect([...runOp('MaxPool', [x], { kernelShape: [2, 2], strides: [2, 2] })[0]!.data]).toEqual([6, 8, 14, 16]);
    const attrs = { kernelShape: [2, 2], strides: [2, 2], pads: [1, 1, 1, 1] };
    expect([...runOp('MaxPool', [nine], attrs)[0]!.data]).toEqual([1, 3, 7, 9]);
    const negative = array([1, 1, 3, 3], [-1, -2, -3, -4, -5, -6, -7, -8, -9]);
    expect([...runOp('MaxPool', [negative], attrs)[0]!.data]).toEqual([-1, -2, -4, -5]);
    const withNaN = array([1, 1, 2, 2], [1, NaN, 3, 4]);
    expect([...runOp('MaxPool', [withNaN], { kernelShape: [2, 2] })[0]!.data]).toEqual([NaN]);
  });

  it('AveragePool with and without countIncludePad', () => {
    const attrs = { kernelShape: [2, 2], strides: [2, 2], pads: [1, 1, 1, 1] };
    expect([...runOp('AveragePool', [nine], attrs)[0]!.data]).toEqual([1, 2.5, 5.5, 7]);
    expect([...runOp('AveragePool', [nine], { ...attrs, countIncludePad: true })[0]!.data]).toEqual([0.25, 1.25, 2.75, 7]);
  });

  it('ceilMode adds the partial last window; its overhang past the input is not counted', () => {
    const x = array(
      [1, 1, 5, 5],
      Array.from({ length: 25 }, (_, i) => i + 1),
    );
    const attrs = { kernelShape: [2, 2], strides: [2, 2], ceilMode: true };
    expect([...runOp('MaxPool', [x], attrs)[0]!.data]).toEqual([7, 9, 10, 17, 19, 20, 22, 24, 25]);
    const avg = runOp('AveragePool', [x], { ...attrs, countIncludePad: true })[0]!;
    expect(avg.shape).toEqual([1, 1, 3, 3]);
    expect([avg.data[0], avg.data[2], avg.data[8]]).toEqual([4, 7.5, 25]);
  });

  it('GlobalAveragePool', () => {
    const [y] = runOp('GlobalAveragePool', [array([1, 2, 2, 2], [1, 2, 3, 4, 10, 20, 30, 40])]);
    expect(y!.shape).toEqual([1, 2, 1, 1]);
    expect([...y!.data]).toEqual([2.5, 25]);
  });
});

describe('conv ops: bad input', () => {
  it('group not dividing the channels names the op and the numbers', () => {
    expect(() => inferOp('Conv', [f32([1, 3, 4, 4]), f32([2, 1, 3, 3])], { group: 2 })).toThrow(/Conv: channels C=3 .* not divisible by group=2/);
    expect(() => inferOp('FusedConv', [f32([1, 4, 4, 4]), f32([3, 2, 3, 3])], { group: 2 })).toThrow(/FusedConv: output channels M=3 .* group=2/);
  });

  it('a wrong weight or bias shape, a 3-D input', () => {
    expect(() => inferOp('Conv', [f32([1, 3, 8, 8]), f32([4, 2, 3, 3])])).toThrow(/Conv: input "w" has shape \[4, 2, 3, 3\] but must be \[4, 3, 3, 3\]/);
    expect(() => inferOp('Conv', [f32([1, 3, 8, 8]), f32([4, 3, 3, 3]), f32([3])])).toThrow(/input "b" has shape \[3\] but must be \[4\]/);
    expect(() => inferOp('Conv', [f32([3, 8, 8]), f32([4, 3, 3, 3])])).toThrow(ShapeError);
  });

  it('bad window attributes', () => {
    expect(() => inferOp('MaxPool', [f32([1, 1, 4, 4])], { kernelShape: [2, 2], pads: [2, 0, 0, 0] })).toThrow(AttributeError);
    expect(() => inferOp('AveragePool', [f32([1, 1, 4, 4])], { kernelShape: [2] })).toThrow(/kernelShape: needs 2 values/);
    expect(() => inferOp('Conv', [f32([1, 1, 4, 4]), f32([1, 1, 1, 1])], { strides: [0, 1] })).toThrow(AttributeError);
    expect(() => inferOp('FusedConv', [f32([1, 1, 4, 4]), f32([1, 1, 1, 1])], { activation: 'swish' })).toThrow(AttributeError);
  });
});

describe('conv ops: cost', () => {
  const cost = (name: string, inputs: TensorType[], given: Attrs = {}) => {
    const op = getOp(name);
    const attrs = resolveAttrs(op, given);
    return op.cost(inputs, op.infer(inputs, attrs), attrs);
  };
  const x = f32([2, 4, 8, 8]);
  const w = f32([6, 2, 3, 3]);
  const b = f32([6]);

  it('Conv counts a multiply-add per tap and output, plus the bias', () => {
    const outputs = 2 * 6 * 6 * 6;
    expect(cost('Conv', [x, w, b], { group: 2 }).flops).toBe(outputs * (2 * 2 * 3 * 3 + 1));
  });

  it('FusedConv moves fewer bytes than Conv then Relu, for the same FLOPs', () => {
    const fused = cost('FusedConv', [x, w, b], { group: 2, activation: 'relu' });
    const conv = cost('Conv', [x, w, b], { group: 2 });
    const relu = cost('Relu', [f32([2, 6, 6, 6])]);
    expect(fused.bytesRead).toBe(conv.bytesRead);
    expect(fused.bytesWritten).toBe(conv.bytesWritten);
    expect(fused.bytesRead + fused.bytesWritten).toBeLessThan(conv.bytesRead + conv.bytesWritten + relu.bytesRead + relu.bytesWritten);
    expect(fused.flops).toBe(conv.flops + relu.flops);
  });
});
