/**
 * Normalization ops: LayerNorm, RMSNorm, their fused residual forms SkipLayerNorm and SkipRMSNorm
 * (which also return the residual sum, so the next block can read it without recomputing), and
 * inference-mode BatchNorm.
 */
import { costFacts, elements } from '../cost.js';
import { mapBinary } from '../kernels/map.js';
import { layerNormRows, rmsNormRows } from '../kernels/normalize.js';
import { broadcastShapes, expectFloat, expectShape, formatShape, normalizeAxis, numel, sameShape } from '../shape.js';
import { ShapeError } from '../../errors.js';
import type { AttrSpec, Attrs, KernelContext, NDArray, OpDef, TensorType } from '../types.js';

const epsilon = (value: number): AttrSpec => ({
  kind: 'float',
  default: value,
  check: (v) => ((v as number) >= 0 ? undefined : `epsilon must be >= 0, got ${String(v)}`),
  doc: 'added to the variance before the square root',
});

/** FLOPs per element: LayerNorm = mean (1) + variance (3) + normalize, scale, shift (4). */
const LAYER_NORM_FLOPS = 8;
/** RMSNorm = square and sum (2) + normalize and scale (2). */
const RMS_NORM_FLOPS = 4;

/** Checks x and the affine params normalized over x's last dim; returns x's type. */
function inferLastDim(op: string, x: TensorType, params: readonly [string, TensorType | undefined][]): TensorType {
  expectFloat(op, 'x', x);
  if (x.shape.length === 0) {
    throw new ShapeError(`${op}: x is a scalar; it normalizes over the last dim`, { where: op, hint: 'give x at least one dim' });
  }
  const last = [x.shape[x.shape.length - 1]!];
  for (const [name, t] of params) {
    if (!t) continue;
    expectFloat(op, name, t);
    expectShape(op, name, t, last, "x's last dim");
  }
  return { dtype: x.dtype, shape: x.shape };
}

/** Checks that skip broadcasts to x without growing it (the residual sum has x's shape). */
function checkSkip(op: string, x: TensorType, skip: TensorType): void {
  expectFloat(op, 'skip', skip);
  if (!sameShape(broadcastShapes([x.shape, skip.shape], op), x.shape)) {
    throw new ShapeError(`${op}: skip ${formatShape(skip.shape)} would broadcast x ${formatShape(x.shape)} to a larger shape`, {
      where: op,
      hint: 'skip must have x’s shape or broadcast to it (sizes equal or 1, aligned at the right)',
    });
  }
}

function lastDim(a: NDArray): number {
  return a.shape[a.shape.length - 1]!;
}

function result(x: NDArray, data: Float32Array): NDArray {
  return { dtype: x.dtype, shape: [...x.shape], data };
}

/**
 * SkipLayerNorm and SkipRMSNorm: the residual add, then the plain op's own kernel on the sum with
 * `normAttrs` (so the fused and unfused forms share one copy of the math).
 */
function skipKernel(norm: OpDef, normAttrs: (attrs: Attrs) => Attrs) {
  return ([x, skip, ...params]: readonly (NDArray | undefined)[], ctx: KernelContext): NDArray[] => {
    const sum = mapBinary(x!, skip!, x!.dtype, (a, b) => a + b);
    const [y] = norm.kernel!([sum, ...params], { attrs: normAttrs(ctx.attrs), outputTypes: ctx.outputTypes.slice(0, 1) });
    return [y!, sum];
  };
}

const LayerNorm: OpDef = {
  name: 'LayerNorm',
  doc: 'Normalizes x over dims axis..end to zero mean and unit variance, then scales by weight and adds bias.',
  inputs: [{ name: 'x' }, { name: 'weight' }, { name: 'bias', optional: true }],
  outputs: ['y'],
  attributes: {
    axis: { kind: 'int', default: -1, doc: 'first normalized dim; the normalized dims run from it to the end' },
    epsilon: epsilon(1e-5),
  },
  infer([x, weight, bias], attrs) {
    expectFloat('LayerNorm', 'x', x!);
    const axis = normalizeAxis(attrs.axis as number, x!.shape.length, 'LayerNorm');
    const normalized = x!.shape.slice(axis);
    for (const [name, t] of [
      ['weight', weight],
      ['bias', bias],
    ] as const) {
      if (!t) continue;
      expectFloat('LayerNorm', name, t);
      expectShape('LayerNorm', name, t, normalized, `x's dims from axis ${attrs.axis as number} on`);
    }
    return [{ dtype: x!.dtype, shape: x!.shape }];
  },
  cost: (inputs, outputs) => costFacts((inputs[2] ? LAYER_NORM_FLOPS : LAYER_NORM_FLOPS - 1) * elements(outputs[0]), inputs, outputs),
  kernel([x, weight, bias], { attrs }) {
    const axis = normalizeAxis(attrs.axis as number, x!.shape.length, 'LayerNorm');
    const n = numel(x!.shape.slice(axis));
    const out = new Float32Array(x!.data.length);
    layerNormRows(x!.data, out, n === 0 ? 0 : out.length / n, n, weight!.data, bias?.data, attrs.epsilon as number);
    return [result(x!, out)];
  },
};

const RMSNorm: OpDef = {
  name: 'RMSNorm',
  doc: 'x / sqrt(mean(x^2) + epsilon) * weight over the last dim (Llama-style root-mean-square norm).',
  inputs: [{ name: 'x' }, { name: 'weight' }],
  outputs: ['y'],
  attributes: { epsilon: epsilon(1e-6) },
  infer: ([x, weight]) => [inferLastDim('RMSNorm', x!, [['weight', weight]])],
  cost: (inputs, outputs) => costFacts(RMS_NORM_FLOPS * elements(outputs[0]), inputs, outputs),
  kernel([x, weight], { attrs }) {
    const n = lastDim(x!);
    const out = new Float32Array(x!.data.length);
    rmsNormRows(x!.data, out, n === 0 ? 0 : out.length / n, n, weight!.data, attrs.epsilon as number);
    return [result(x!, out)];
  },
};

const SkipLayerNorm: OpDef = {
  name: 'SkipLayerNorm',
  doc: 'Fused residual LayerNorm: sum = x + skip (skip broadcasts to x); outputs [LayerNorm(sum) over the last dim, sum].',
  inputs: [{ name: 'x' }, { name: 'skip' }, { name: 'weight' }, { name: 'bias', optional: true }],
  outputs: ['y', 'sum'],
  attributes: { epsilon: epsilon(1e-5) },
  fused: true,
  infer([x, skip, weight, bias]) {
    const y = inferLastDim('SkipLayerNorm', x!, [
      ['weight', weight],
      ['bias', bias],
    ]);
    checkSkip('SkipLayerNorm', x!, skip!);
    return [y, y];
  },
  // Fused: only the boundary tensors move; the add is one more FLOP per element.
  cost: (inputs, outputs) => costFacts((inputs[3] ? LAYER_NORM_FLOPS + 1 : LAYER_NORM_FLOPS) * elements(outputs[0]), inputs, outputs),
  kernel: skipKernel(LayerNorm, (attrs) => ({ axis: -1, epsilon: attrs.epsilon! })),
};

const SkipRMSNorm: OpDef = {
  name: 'SkipRMSNorm',
  doc: 'Fused residual RMSNorm: sum = x + skip (skip broadcasts to x); outputs [RMSNorm(sum), sum].',
  inputs: [{ name: 'x' }, { name: 'skip' }, { name: 'weight' }],
  outputs: ['y', 'sum'],
  attributes: { epsilon: epsilon(1e-6) },
  fused: true,
  infer([x, skip, weight]) {
    const y = inferLastDim('SkipRMSNorm', x!, [['weight', weight]]);
    checkSkip('SkipRMSNorm', x!, skip!);
    return [y, y];
  },
  cost: (inputs, outputs) => costFacts((RMS_NORM_FLOPS + 1) * elements(outputs[0]), inputs, outputs),
  kernel: skipKernel(RMSNorm, (attrs) => attrs),
};

const BatchNorm: OpDef = {
  name: 'BatchNorm',
  doc: 'Inference batch norm on dim 1 (N, C, ...): (x - mean) / sqrt(var + epsilon) * scale + bias, per channel.',
  inputs: [{ name: 'x' }, { name: 'scale' }, { name: 'bias' }, { name: 'mean' }, { name: 'var' }],
  outputs: ['y'],
  attributes: { epsilon: epsilon(1e-5) },
  infer([x, ...params]) {
    expectFloat('BatchNorm', 'x', x!);
    if (x!.shape.length < 2) {
      throw new ShapeError(`BatchNorm: x ${formatShape(x!.shape)} has rank ${x!.shape.length}; it needs [N, C, ...]`, {
        where: 'BatchNorm',
        hint: 'give x a batch dim and a channel dim (dim 1)',
      });
    }
    const channels = [x!.shape[1]!];
    params.forEach((t, i) => {
      const name = BatchNorm.inputs[i + 1]!.name;
      expectFloat('BatchNorm', name, t!);
      expectShape('BatchNorm', name, t!, channels, "x's channel dim 1");
    });
    return [{ dtype: x!.dtype, shape: x!.shape }];
  },
  // Per channel the four params fold into one multiply-add per element.
  cost: (inputs, outputs) => costFacts(2 * elements(outputs[0]) + 4 * elements(inputs[1]), inputs, outputs),
  kernel([x, scale, bias, mean, variance], { attrs }) {
    const eps = attrs.epsilon as number;
    const channels = x!.shape[1]!;
    const inner = numel(x!.shape.slice(2));
    const out = new Float32Array(x!.data.length);
    for (let base = 0, c = 0; base < out.length; base += inner, c = (c + 1) % channels) {
      const a = scale!.data[c]! / Math.sqrt(variance!.data[c]! + eps);
      const b = bias!.data[c]! - mean!.data[c]! * a;
      for (let i = base; i < base + inner; i++) out[i] = x!.data[i]! * a + b;
    }
    return [result(x!, out)];
  },
};

export const NORM_OPS: OpDef[] = [LayerNorm, RMSNorm, SkipLayerNorm, SkipRMSNorm, BatchNorm];
