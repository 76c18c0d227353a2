/**
 * ONNX node → registry op, for opsets 7–21 of the default domain. Each op's version-specific form
 * (axes, split sizes or slice bounds as attributes in old opsets, as inputs in new ones) becomes the
 * registry's one form. Inputs that the registry keeps as attributes must be constants here; a node
 * whose form the registry cannot express exactly returns undefined, and the reader keeps it as an
 * Opaque layer.
 */
import type { AttributeProto, NodeProto, TensorProto } from 'onnx-buf';
import type { Tensor } from '../../network/tensor.js';
import { getOp } from '../../ops/registry.js';
import type { AttrValue, Attrs, DType, NDArray } from '../../ops/types.js';
import { directTable } from './direct-ops.js';
import { dtypeFromOnnx } from './dtypes.js';

/** What a converter sees of one node: its resolved inputs, constant input values and attributes. */
export interface NodeView {
  readonly node: NodeProto;
  readonly opset: number;
  input(i: number): Tensor | undefined;
  /** The values of input i when it is a constant with data; undefined when absent or computed. */
  constant(i: number): number[] | undefined;
  attr(name: string): AttributeProto | undefined;
  /** A tensor-valued attribute's data. */
  tensor(t: TensorProto): NDArray;
}

/** A registry op applied to inputs, or a folded constant. */
export type Converted = { op: string; inputs: (Tensor | undefined)[]; attrs: Attrs } | { constant: NDArray };

type Converter = (n: NodeView) => Converted | undefined;

const int = (n: NodeView, name: string, fallback: number): number => {
  const a = n.attr(name);
  return a ? Number(a.i) : fallback;
};
const float = (n: NodeView, name: string, fallback: number): number => n.attr(name)?.f ?? fallback;
const ints = (n: NodeView, name: string): number[] | undefined => n.attr(name)?.ints.map(Number);
const text = (n: NodeView, name: string, fallback: string): string => {
  const a = n.attr(name);
  return a ? new TextDecoder().decode(a.s) : fallback;
};

/** Inputs 0..count-1 as they are. */
function inputs(n: NodeView, count = n.node.input.length): (Tensor | undefined)[] {
  return Array.from({ length: count }, (_, i) => n.input(i));
}

function same(op: string, attrs: (n: NodeView) => Attrs = () => ({})): Converter {
  return (n) => ({ op, inputs: inputs(n), attrs: attrs(n) });
}

/** Axes given as input `i` (opset 13+ for most ops), or by the `axes` attribute in older opsets. */
function axesOf(n: NodeView, i: number): number[] | null | undefined {
  if (n.node.input[i]) return n.constant(i);
  return ints(n, 'axes') ?? null;
}

/** Only plain (NOTSET) padding is expressible; SAME_* depends on shapes the registry does not track here. */
function explicitPads(n: NodeView): boolean {
  const pad = text(n, 'auto_pad', 'NOTSET');
  return pad === 'NOTSET' || pad === 'VALID';
}

function windowAttrs(n: NodeView): Attrs | undefined {
  const kernel = ints(n, 'kernel_shape');
  if ((kernel && kernel.length !== 2) || !explicitPads(n)) return undefined;
  const attrs: Record<string, AttrValue> = {};
  for (const [onnx, ours] of [
    ['strides', 'strides'],
    ['pads', 'pads'],
    ['dilations', 'dilations'],
  ] as const) {
    const v = ints(n, onnx);
    if (v) attrs[ours] = v;
  }
  if (kernel) attrs['kernelShape'] = kernel;
  return attrs;
}

function reduce(op: string): Converter {
  return (n) => {
    const axes = n.opset >= 18 || op === 'ReduceSum' ? axesOf(n, 1) : (ints(n, 'axes') ?? null);
    if (axes === undefined) return undefined;
    // noop_with_empty_axes turns "no axes" into identity, which the registry's reductions do not mean.
    if ((axes === null || axes.length === 0) && int(n, 'noop_with_empty_axes', 0)) return undefined;
    return { op, inputs: [n.input(0)], attrs: { axes, keepDims: int(n, 'keepdims', 1) === 1 } };
  };
}

/**
 * Before opset 13 Softmax flattens its input to 2-D at `axis` (default 1) and normalizes the rows,
 * which is the registry's softmax over one axis only when `axis` is the last dim.
 */
function softmax(n: NodeView): Converted | undefined {
  if (n.opset >= 13) return { op: 'Softmax', inputs: [n.input(0)], attrs: { axis: int(n, 'axis', -1) } };
  const rank = n.input(0)?.shape.length;
  const axis = int(n, 'axis', 1);
  if (rank === undefined || (axis < 0 ? axis + rank : axis) !== rank - 1) return undefined;
  return { op: 'Softmax', inputs: [n.input(0)], attrs: { axis: -1 } };
}

/**
 * Inference only: the training outputs (and training_mode, from 14) are not modeled. Before opset 9,
 * spatial=0 normalizes per activation (scale of shape [C, D1, ...]), which the registry does not.
 */
function batchNorm(n: NodeView): Converted | undefined {
  if (int(n, 'training_mode', 0) || n.node.output.slice(1).some((o) => o)) return undefined;
  if (n.opset < 9 && int(n, 'spatial', 1) === 0) return undefined;
  return { op: 'BatchNorm', inputs: inputs(n), attrs: { epsilon: float(n, 'epsilon', 1e-5) } };
}

function attributeTensor(n: NodeView): NDArray | undefined {
  const a = n.attr('value') ?? n.attr('value_float') ?? n.attr('value_floats') ?? n.attr('value_int') ?? n.attr('value_ints');
  if (!a) return undefined;
  switch (a.name) {
    case 'value_float':
      return { dtype: 'float32', shape: [], data: Float32Array.of(a.f) };
    case 'value_floats':
      return { dtype: 'float32', shape: [a.floats.length], data: Float32Array.from(a.floats) };
    case 'value_int':
      return { dtype: 'int64', shape: [], data: Float64Array.of(Number(a.i)) };
    case 'value_ints':
      return { dtype: 'int64', shape: [a.ints.length], data: Float64Array.from(a.ints, Number) };
    default:
      return a.t ? n.tensor(a.t) : undefined;
  }
}

const CONVERTERS: Readonly<Record<string, Converter>> = {
  ...directTable((op, defaults) => same(op, (n) => Object.fromEntries(Object.entries(defaults).map(([k, d]) => [k, int(n, k, d)])))),
  Softmax: softmax,
  BatchNormalization: batchNorm,
  Gelu: same('Gelu', (n) => ({ approximate: text(n, 'approximate', 'none') })),
  Transpose: same('Transpose', (n) => ({ perm: ints(n, 'perm') ?? null })),
  Gemm: same('Gemm', (n) => ({
    alpha: float(n, 'alpha', 1),
    beta: float(n, 'beta', 1),
    transA: int(n, 'transA', 0) === 1,
    transB: int(n, 'transB', 0) === 1,
  })),
  Cast: (n) => {
    const to = n.attr('to');
    let dtype: DType;
    try {
      dtype = dtypeFromOnnx(Number(to?.i ?? 0), n.node.name);
    } catch {
      return undefined;
    }
    return { op: 'Cast', inputs: [n.input(0)], attrs: { to: dtype } };
  },
  LayerNormalization: (n) =>
    n.node.output.slice(1).some((o) => o) ? undefined : { op: 'LayerNorm', inputs: inputs(n), attrs: { axis: int(n, 'axis', -1), epsilon: float(n, 'epsilon', 1e-5) } },
  Conv: (n) => {
    const attrs = windowAttrs(n);
    if (!attrs) return undefined;
    const { kernelShape: _, ...rest } = attrs;
    return { op: 'Conv', inputs: inputs(n), attrs: { ...rest, group: int(n, 'group', 1) } };
  },
  MaxPool: (n) => {
    const attrs = windowAttrs(n);
    if (!attrs || n.node.output[1] || int(n, 'storage_order', 0)) return undefined;
    return { op: 'MaxPool', inputs: [n.input(0)], attrs: { ...attrs, ceilMode: int(n, 'ceil_mode', 0) === 1 } };
  },
  AveragePool: (n) => {
    const attrs = windowAttrs(n);
    if (!attrs || n.attr('dilations')) return undefined;
    return { op: 'AveragePool', inputs: [n.input(0)], attrs: { ...attrs, ceilMode: int(n, 'ceil_mode', 0) === 1, countIncludePad: int(n, 'count_include_pad', 0) === 1 } };
  },
  Reshape: (n) => {
    const shape = n.constant(1);
    // allowzero=1 makes a 0 mean an empty dim, while the registry's 0 copies the input dim.
    if (!shape || (int(n, 'allowzero', 0) === 1 && shape.includes(0))) return undefined;
    return { op: 'Reshape', inputs: [n.input(0)], attrs: { shape } };
  },
  Expand: (n) => {
    const shape = n.constant(1);
    return shape ? { op: 'Expand', inputs: [n.input(0)], attrs: { shape } } : undefined;
  },
  Unsqueeze: (n) => {
    const axes = axesOf(n, 1);
    return axes ? { op: 'Unsqueeze', inputs: [n.input(0)], attrs: { axes } } : undefined;
  },
  Squeeze: (n) => {
    const axes = axesOf(n, 1);
    return axes === undefined ? undefined : { op: 'Squeeze', inputs: [n.input(0)], attrs: { axes } };
  },
  Slice: (n) => {
    // Before opset 10 the bounds are attributes and there are no steps.
    if (n.opset < 10) {
      const [starts, ends] = [ints(n, 'starts'), ints(n, 'ends')];
      return starts && ends ? { op: 'Slice', inputs: [n.input(0)], attrs: { starts, ends, axes: ints(n, 'axes') ?? null, steps: null } } : undefined;
    }
    const [starts, ends] = [n.constant(1), n.constant(2)];
    const axes = n.node.input[3] ? n.constant(3) : null;
    const steps = n.node.input[4] ? n.constant(4) : null;
    if (!starts || !ends || axes === undefined || steps === undefined) return undefined;
    return { op: 'Slice', inputs: [n.input(0)], attrs: { starts, ends, axes, steps } };
  },
  Split: (n) => {
    // The sizes are the `split` attribute before opset 13, the second input from 13 on.
    const split = n.opset < 13 ? (ints(n, 'split') ?? null) : n.node.input[1] ? n.constant(1) : null;
    if (split === undefined) return undefined;
    const attrs: Record<string, AttrValue> = { axis: int(n, 'axis', 0), split };
    if (!split) attrs['numOutputs'] = int(n, 'num_outputs', n.node.output.length);
    return { op: 'Split', inputs: [n.input(0)], attrs };
  },
  ReduceMean: reduce('ReduceMean'),
  ReduceSum: reduce('ReduceSum'),
  Constant: (n) => {
    const constant = attributeTensor(n);
    return constant ? { constant } : undefined;
  },
  Shape: (n) => {
    // A static shape folds to a constant, so the Reshape/Expand it feeds can be read as attributes.
    const dims = n.input(0)?.shape;
    if (!dims || dims.some((d) => typeof d !== 'number')) return undefined;
    const rank = dims.length;
    const clamp = (v: number) => Math.min(Math.max(v < 0 ? v + rank : v, 0), rank);
    const kept = (dims as number[]).slice(clamp(int(n, 'start', 0)), clamp(int(n, 'end', rank)));
    return { constant: { dtype: 'int64', shape: [kept.length], data: Float64Array.from(kept) } };
  },
};

/**
 * Every optional input slot of the op, absent ones as undefined: a Gemm without C has three slots,
 * as the network builders make it, so rules that spell the absent input (`_`, or leave it out) match.
 */
function allSlots(c: Converted): Converted {
  if ('constant' in c) return c;
  const def = getOp(c.op);
  if (def.inputs.some((i) => i.variadic) || c.inputs.length >= def.inputs.length) return c;
  return { ...c, inputs: [...c.inputs, ...new Array<undefined>(def.inputs.length - c.inputs.length)] };
}

/** The registry form of a default-domain node, or undefined when it must stay opaque. */
export function convertNode(n: NodeView): Converted | undefined {
  if (n.node.domain !== '' && n.node.domain !== 'ai.onnx') return undefined;
  const converted = CONVERTERS[n.node.opType]?.(n);
  return converted && allSlots(converted);
}
