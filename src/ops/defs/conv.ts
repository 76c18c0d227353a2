/**
 * Convolution and pooling on NCHW tensors: Conv, FusedConv (conv + bias + activation in one pass),
 * MaxPool, AveragePool and GlobalAveragePool. Pads follow ONNX's order [top, left, bottom, right].
 */
import { AttributeError, ShapeError } from '../../errors.js';
import { costFacts, elements } from '../cost.js';
import { ACTIVATIONS, ACTIVATION_NAMES, type Activation } from '../kernels/activations.js';
import { conv2d } from '../kernels/conv2d.js';
import { avgPool2d, maxPool2d, type Pool2dGeometry } from '../kernels/pool2d.js';
import { intsAttr, windowExtent, windowOutDim, windows2d } from '../kernels/window.js';
import { divDims, expectFloat, expectShape, formatShape, numel, numelEstimate } from '../shape.js';
import type { AttrSpec, Attrs, Dim, NDArray, OpDef, TensorType } from '../types.js';

const STRIDES = intsAttr(2, 1, 'step of the window along [H, W]', [1, 1]);
const PADS = intsAttr(4, 0, 'zero padding [top, left, bottom, right] (ONNX order)', [0, 0, 0, 0]);
const DILATIONS = intsAttr(2, 1, 'spacing between window taps along [H, W]', [1, 1]);
const KERNEL_SHAPE = intsAttr(2, 1, 'window size [kH, kW]');
const CEIL_MODE: AttrSpec = { kind: 'bool', default: false, doc: 'round the output size up instead of down' };

const CONV_ATTRS = {
  strides: STRIDES,
  pads: PADS,
  dilations: DILATIONS,
  group: {
    kind: 'int',
    default: 1,
    check: (v) => ((v as number) >= 1 ? undefined : `must be >= 1, got ${String(v)}`),
    doc: 'channel groups: input and output channels split into this many independent convolutions',
  },
} satisfies Record<string, AttrSpec>;

function expectNchw(op: string, input: string, t: TensorType, layout: string): void {
  if (t.shape.length !== 4) {
    throw new ShapeError(`${op}: input "${input}" ${formatShape(t.shape)} must be 4-D ${layout}`, {
      where: op,
      hint: `reshape "${input}" to ${layout}; only 2-D spatial ${op} is supported`,
    });
  }
}

function staticDim(op: string, what: string, d: Dim): number {
  if (typeof d !== 'number') {
    throw new ShapeError(`${op}: ${what} is symbolic ("${d}")`, { where: op, hint: `fix ${what} to a number` });
  }
  return d;
}

function inferConv(op: string, [x, w, b]: readonly (TensorType | undefined)[], attrs: Attrs): TensorType {
  expectFloat(op, 'x', x!);
  expectFloat(op, 'w', w!);
  expectNchw(op, 'x', x!, '[N, C, H, W]');
  expectNchw(op, 'w', w!, '[M, C/group, kH, kW]');
  const [n, c, h, width] = x!.shape as [Dim, Dim, Dim, Dim];
  const [m, , kh, kw] = w!.shape as [Dim, Dim, Dim, Dim];
  const group = attrs.group as number;
  const perGroup = divDims(c, group);
  if (perGroup === undefined) {
    throw new ShapeError(`${op}: channels C=${c} of x ${formatShape(x!.shape)} are not divisible by group=${group}`, {
      where: op,
      hint: 'use a group that divides the input channels',
    });
  }
  if (divDims(m, group) === undefined) {
    throw new ShapeError(`${op}: output channels M=${m} of w ${formatShape(w!.shape)} are not divisible by group=${group}`, {
      where: op,
      hint: 'use a group that divides the output channels',
    });
  }
  const kernel = [staticDim(op, 'kernel height kH', kh), staticDim(op, 'kernel width kW', kw)];
  expectShape(op, 'w', w!, [m, perGroup, ...kernel], `[M, C/group, kH, kW] with C=${c}, group=${group}`);
  if (b) {
    expectFloat(op, 'b', b);
    expectShape(op, 'b', b, [m], 'one bias per output channel M');
  }
  const [wh, ww] = windows2d(kernel, attrs);
  return { dtype: x!.dtype, shape: [n, m, windowOutDim(op, 'H', h, wh), windowOutDim(op, 'W', width, ww)] };
}

/** 2 FLOPs per multiply-add over C/group * kH * kW taps per output, plus the bias. */
function convFlops(inputs: readonly (TensorType | undefined)[], out: TensorType): number {
  return elements(out) * (2 * numelEstimate(inputs[1]!.shape.slice(1)) + (inputs[2] ? 1 : 0));
}

const Conv: OpDef = {
  name: 'Conv',
  doc: '2-D grouped convolution of x [N, C, H, W] with w [M, C/group, kH, kW] plus optional bias b [M].',
  inputs: [{ name: 'x' }, { name: 'w' }, { name: 'b', optional: true }],
  outputs: ['y'],
  attributes: CONV_ATTRS,
  infer: (inputs, attrs) => [inferConv('Conv', inputs, attrs)],
  cost: (inputs, outputs) => costFacts(convFlops(inputs, outputs[0]!), inputs, outputs),
  kernel([x, w, b], { attrs, outputTypes }) {
    const [batch, inChannels, height, width] = x!.shape as [number, number, number, number];
    const shape = outputTypes[0]!.shape as number[];
    const [h, wAxis] = windows2d(w!.shape.slice(2), attrs);
    const out = new Float32Array(numel(shape));
    conv2d(
      x!.data,
      w!.data,
      b?.data,
      { batch, inChannels, height, width, outChannels: shape[1]!, group: attrs.group as number, outHeight: shape[2]!, outWidth: shape[3]!, h, w: wAxis },
      out,
    );
    return [{ dtype: x!.dtype, shape, data: out }];
  },
};

const FusedConv: OpDef = {
  name: 'FusedConv',
  doc: 'Conv with its bias and an activation applied in the same pass: activation(conv(x, w) + b).',
  inputs: Conv.inputs,
  outputs: ['y'],
  attributes: {
    ...CONV_ATTRS,
    activation: { kind: 'string', default: 'none', oneOf: ACTIVATION_NAMES, doc: 'applied to every output element' },
  },
  fused: true,
  infer: (inputs, attrs) => [inferConv('FusedConv', inputs, attrs)],
  // Fused: the pre-activation tensor never reaches memory, so only x, w, b and y move.
  cost: (inputs, outputs, attrs) => costFacts(convFlops(inputs, outputs[0]!) + ACTIVATIONS[attrs.activation as Activation].flops * elements(outputs[0]), inputs, outputs),
  kernel(inputs, ctx) {
    const [y] = Conv.kernel!(inputs, ctx);
    const f = ACTIVATIONS[ctx.attrs.activation as Activation].fn;
    const data = y!.data;
    for (let i = 0; i < data.length; i++) data[i] = f(data[i]!);
    return [y!];
  },
};

function inferPool(op: string, x: TensorType, attrs: Attrs): TensorType {
  expectFloat(op, 'x', x);
  expectNchw(op, 'x', x, '[N, C, H, W]');
  const windows = windows2d(attrs.kernelShape as readonly number[], attrs);
  for (const w of windows) {
    // A window lying wholly in padding would pool nothing.
    if (w.padBegin >= windowExtent(w) || w.padEnd >= windowExtent(w)) {
      throw new AttributeError(`${op}: pads [${(attrs.pads as number[]).join(', ')}] must be smaller than the window extent ${windowExtent(w)}`, {
        where: op,
        hint: 'reduce the padding or enlarge kernelShape',
      });
    }
  }
  const [n, c, h, width] = x.shape as [Dim, Dim, Dim, Dim];
  const ceil = attrs.ceilMode as boolean;
  return { dtype: x.dtype, shape: [n, c, windowOutDim(op, 'H', h, windows[0], ceil), windowOutDim(op, 'W', width, windows[1], ceil)] };
}

function poolGeometry(x: NDArray, out: readonly number[], attrs: Attrs): Pool2dGeometry {
  const [h, w] = windows2d(attrs.kernelShape as readonly number[], attrs);
  return { planes: x.shape[0]! * x.shape[1]!, height: x.shape[2]!, width: x.shape[3]!, outHeight: out[2]!, outWidth: out[3]!, h, w };
}

/** One FLOP (compare or add) per window tap, plus `extra` per output (the average's divide). */
function poolCost(extra: number) {
  return (inputs: readonly (TensorType | undefined)[], outputs: readonly TensorType[], attrs: Attrs) =>
    costFacts(elements(outputs[0]) * (numel(attrs.kernelShape as number[]) + extra), inputs, outputs);
}

const MaxPool: OpDef = {
  name: 'MaxPool',
  doc: '2-D max pooling of x [N, C, H, W]; padded cells never win.',
  inputs: [{ name: 'x' }],
  outputs: ['y'],
  attributes: { kernelShape: KERNEL_SHAPE, strides: STRIDES, pads: PADS, dilations: DILATIONS, ceilMode: CEIL_MODE },
  infer: ([x], attrs) => [inferPool('MaxPool', x!, attrs)],
  cost: poolCost(0),
  kernel([x], { attrs, outputTypes }) {
    const shape = outputTypes[0]!.shape as number[];
    const out = new Float32Array(numel(shape));
    maxPool2d(x!.data, poolGeometry(x!, shape, attrs), out);
    return [{ dtype: x!.dtype, shape, data: out }];
  },
};

const AveragePool: OpDef = {
  name: 'AveragePool',
  doc: '2-D average pooling of x [N, C, H, W]; padded cells count toward the divisor only with countIncludePad.',
  inputs: [{ name: 'x' }],
  outputs: ['y'],
  attributes: {
    kernelShape: KERNEL_SHAPE,
    strides: STRIDES,
    pads: PADS,
    countIncludePad: { kind: 'bool', default: false, doc: 'divide by the window size including padded cells' },
    ceilMode: CEIL_MODE,
  },
  infer: ([x], attrs) => [inferPool('AveragePool', x!, attrs)],
  cost: poolCost(1),
  kernel([x], { attrs, outputTypes }) {
    const shape = outputTypes[0]!.shape as number[];
    const out = new Float32Array(numel(shape));
    avgPool2d(x!.data, poolGeometry(x!, shape, attrs), attrs.countIncludePad as boolean, out);
    return [{ dtype: x!.dtype, shape, data: out }];
  },
};

const GlobalAveragePool: OpDef = {
  name: 'GlobalAveragePool',
  doc: 'Mean over all spatial dims of x [N, C, ...], keeping them as size 1.',
  inputs: [{ name: 'x' }],
  outputs: ['y'],
  attributes: {},
  infer([x]) {
    expectFloat('GlobalAveragePool', 'x', x!);
    if (x!.shape.length < 3) {
      throw new ShapeError(`GlobalAveragePool: x ${formatShape(x!.shape)} needs [N, C, spatial...] (rank >= 3)`, {
        where: 'GlobalAveragePool',
        hint: 'use ReduceMean for tensors without spatial dims',
      });
    }
    return [{ dtype: x!.dtype, shape: [x!.shape[0]!, x!.shape[1]!, ...x!.shape.slice(2).map(() => 1)] }];
  },
  cost: (inputs, outputs) => costFacts(elements(inputs[0]) + elements(outputs[0]), inputs, outputs),
  kernel([x], { outputTypes }) {
    const inner = numel(x!.shape.slice(2));
    const out = new Float32Array(x!.shape[0]! * x!.shape[1]!);
    for (let p = 0; p < out.length; p++) {
      let sum = 0;
      for (let i = p * inner; i < (p + 1) * inner; i++) sum += x!.data[i]!;
      out[p] = sum / inner;
    }
    return [{ dtype: x!.dtype, shape: outputTypes[0]!.shape as number[], data: out }];
  },
};

export const CONV_OPS: OpDef[] = [Conv, FusedConv, MaxPool, AveragePool, GlobalAveragePool];
