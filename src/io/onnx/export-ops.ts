/**
 * Registry op → standard ONNX nodes. Attributes the registry keeps on the op but ONNX takes as
 * inputs (Reshape's shape, Slice's starts, ...) become small int64 initializers; fused kinds are
 * decomposed back into the standard ops they stand for.
 */
import { create, fromJson } from '@bufbuild/protobuf';
import type { JsonValue } from '@bufbuild/protobuf';
import { AttributeProtoSchema, NodeProtoSchema } from 'onnx-buf';
import { activation, silu, standardGelu } from './activations.js';
import type { Emit } from './emit.js';
import { dtypeOf, inputType, temp } from './emit.js';
import { directTable } from './direct-ops.js';
import { onnxCodeOf } from './dtypes.js';
import { OnnxExportError } from './errors.js';
import type { OnnxAttr } from './graph-writer.js';
import { writeGptAttention } from './gpt-attention.js';
import { writeRotary } from './rotary.js';

type Exporter = (e: Emit) => void;

function present(ins: readonly string[]): string[] {
  const out = [...ins];
  while (out.length && !out[out.length - 1]) out.pop();
  return out;
}

const a = (e: Emit, key: string) => e.layer.attributes[key];

function same(opType: string, attrs: (e: Emit) => Record<string, OnnxAttr | undefined> = () => ({})): Exporter {
  return (e) => void e.w.node(opType, present(e.ins), e.outs, attrs(e));
}

/** Op forms that take axes as an input from `since` on and as an attribute before. */
function withAxes(opType: string, since: number, axes: readonly number[] | null, e: Emit, inputs: string[], attrs: Record<string, OnnxAttr | undefined> = {}): void {
  if (e.w.opset >= since) e.w.node(opType, axes ? [...inputs, e.w.ints(axes)] : inputs, e.outs, attrs);
  else e.w.node(opType, inputs, e.outs, { ...attrs, axes: axes ?? undefined });
}

function reduce(opType: string, since: number): Exporter {
  return (e) => withAxes(opType, since, a(e, 'axes') as number[] | null, e, [e.ins[0]!], { keepdims: a(e, 'keepDims') ? 1 : 0 });
}

const convAttrs = (e: Emit) => ({
  kernel_shape: inputType(e, 1).shape.slice(2) as number[],
  strides: a(e, 'strides') as number[],
  pads: a(e, 'pads') as number[],
  dilations: a(e, 'dilations') as number[],
  group: a(e, 'group') as number,
});

const poolAttrs = (e: Emit) => ({
  kernel_shape: a(e, 'kernelShape') as number[],
  strides: a(e, 'strides') as number[],
  pads: a(e, 'pads') as number[],
  ceil_mode: a(e, 'ceilMode') ? 1 : 0,
});

/** y = x / sqrt(mean(x²) + eps) · weight over the last dim. */
function rmsNorm(e: Emit, x: string, weight: string, out: string): void {
  const { w } = e;
  const dt = dtypeOf(e);
  const square = w.node('Pow', [x, w.scalar(dt, 2)], temp(e, 'square'))[0]!;
  const mean =
    w.opset >= 18
      ? w.node('ReduceMean', [square, w.ints([-1])], temp(e, 'mean'), { keepdims: 1 })[0]!
      : w.node('ReduceMean', [square], temp(e, 'mean'), { axes: [-1], keepdims: 1 })[0]!;
  const root = w.node('Sqrt', [w.node('Add', [mean, w.scalar(dt, a(e, 'epsilon') as number)], temp(e, 'var'))[0]!], temp(e, 'rms'))[0]!;
  const normed = w.node('Div', [x, root], temp(e, 'normed'))[0]!;
  w.node('Mul', [normed, weight], [out]);
}

function layerNorm(e: Emit, x: string, weight: string, bias: string, out: string): void {
  if (e.w.opset < 17)
    throw new OnnxExportError(`LayerNorm needs opset 17 or later; the model imports opset ${e.w.opset}`, { where: e.layer.name, hint: 'export with a newer opset' });
  e.w.node('LayerNormalization', present([x, weight, bias]), [out], { axis: -1, epsilon: { f: a(e, 'epsilon') as number } });
}

/** RoPE with the layer's own cos/sin inputs. */
function rotary(e: Emit): void {
  const shape = inputType(e, 0).shape;
  const trig = inputType(e, 1).shape;
  writeRotary(e, e.ins[0]!, e.ins[1]!, e.ins[2]!, shape.length, shape[shape.length - 1] as number, trig[trig.length - 1] as number, a(e, 'interleaved') as boolean, e.outs[0]!);
}

function fusedLinear(e: Emit): void {
  const { w } = e;
  const [x, weight, bias] = e.ins as [string, string, string | undefined];
  const act = a(e, 'activation') as string;
  const out = e.outs[0]!;
  let product: string;
  const last = act === 'none' && !bias;
  if (a(e, 'transB')) {
    if (e.target === 'ort') {
      product = w.node('FusedMatMul', [x, weight], last ? [out] : [temp(e, 'matmul')], { transB: 1, alpha: { f: 1 } }, 'com.microsoft')[0]!;
    } else {
      const wt = w.node('Transpose', [weight], temp(e, 'weight_t'), { perm: [1, 0] })[0]!;
      product = w.node('MatMul', [x, wt], last ? [out] : [temp(e, 'matmul')])[0]!;
    }
  } else {
    product = w.node('MatMul', [x, weight], last ? [out] : [temp(e, 'matmul')])[0]!;
  }
  if (last) return;
  if (bias && e.target === 'ort' && (act === 'gelu' || act === 'gelu_tanh')) {
    // onnxruntime adds the bias inside its GELU kernels.
    w.node(act === 'gelu' ? 'BiasGelu' : 'FastGelu', [product, bias], [out], {}, 'com.microsoft');
    return;
  }
  const biased = bias ? w.node('Add', [product, bias], act === 'none' ? [out] : [temp(e, 'biased')])[0]! : product;
  if (act !== 'none') activation(e, act, biased, out);
}

/**
 * Softmax over one axis. Before opset 13 ONNX's Softmax flattens to 2-D at `axis`, which is the
 * same only for the last axis; another axis is moved last and back around it.
 */
function softmax(e: Emit): void {
  const rank = inputType(e, 0).shape.length;
  const raw = a(e, 'axis') as number;
  const axis = raw < 0 ? raw + rank : raw;
  if (e.w.opset >= 13) {
    e.w.node('Softmax', [e.ins[0]!], e.outs, { axis: raw });
    return;
  }
  if (axis === rank - 1) {
    e.w.node('Softmax', [e.ins[0]!], e.outs, { axis });
    return;
  }
  const perm = Array.from({ length: rank }, (_, i) => i);
  [perm[axis], perm[rank - 1]] = [rank - 1, axis];
  const moved = e.w.node('Transpose', [e.ins[0]!], temp(e, 'axis_last'), { perm })[0]!;
  const normed = e.w.node('Softmax', [moved], temp(e, 'softmax'), { axis: rank - 1 })[0]!;
  e.w.node('Transpose', [normed], e.outs, { perm });
}

function writeOpaque(e: Emit): void {
  const attrs = JSON.parse(a(e, 'attributes') as string) as JsonValue[];
  const name = e.layer.name;
  e.w.nodes.push(
    create(NodeProtoSchema, {
      opType: a(e, 'opType') as string,
      domain: a(e, 'domain') as string,
      name,
      input: [...e.ins],
      output: [...e.outs],
      attribute: attrs.map((j) => fromJson(AttributeProtoSchema, j)),
    }),
  );
  const domain = a(e, 'domain') as string;
  if (domain && domain !== 'ai.onnx') e.w.domains.add(domain);
}

export const STANDARD_EXPORTERS: Readonly<Record<string, Exporter>> = {
  ...directTable((op, defaults) => same(op, (e) => Object.fromEntries(Object.keys(defaults).map((k) => [k, a(e, k) as number])))),
  Softmax: softmax,
  Transpose: same('Transpose', (e) => ({ perm: (a(e, 'perm') as number[] | null) ?? undefined })),
  Cast: same('Cast', (e) => ({ to: onnxCodeOf(a(e, 'to') as never) })),
  Gemm: same('Gemm', (e) => ({ alpha: { f: a(e, 'alpha') as number }, beta: { f: a(e, 'beta') as number }, transA: a(e, 'transA') ? 1 : 0, transB: a(e, 'transB') ? 1 : 0 })),
  BatchNorm: same('BatchNormalization', (e) => ({ epsilon: { f: a(e, 'epsilon') as number } })),
  Conv: same('Conv', convAttrs),
  MaxPool: same('MaxPool', (e) => ({ ...poolAttrs(e), dilations: a(e, 'dilations') as number[] })),
  AveragePool: same('AveragePool', (e) => ({ ...poolAttrs(e), count_include_pad: a(e, 'countIncludePad') ? 1 : 0 })),
  Reshape: (e) => void e.w.node('Reshape', [e.ins[0]!, e.w.ints(a(e, 'shape') as number[])], e.outs),
  Expand: (e) => void e.w.node('Expand', [e.ins[0]!, e.w.ints(a(e, 'shape') as number[])], e.outs),
  Unsqueeze: (e) => withAxes('Unsqueeze', 13, a(e, 'axes') as number[], e, [e.ins[0]!]),
  Squeeze: (e) => withAxes('Squeeze', 13, a(e, 'axes') as number[] | null, e, [e.ins[0]!]),
  ReduceMean: reduce('ReduceMean', 18),
  ReduceSum: reduce('ReduceSum', 13),
  Slice: (e) => {
    const list = (k: string) => a(e, k) as number[] | null;
    const starts = list('starts')!;
    const ins = [e.ins[0]!, e.w.ints(starts), e.w.ints(list('ends')!)];
    if (list('axes') || list('steps')) ins.push(e.w.ints(list('axes') ?? starts.map((_, i) => i)));
    if (list('steps')) ins.push(e.w.ints(list('steps')!));
    e.w.node('Slice', ins, e.outs);
  },
  Split: (e) => {
    const split = a(e, 'split') as number[] | null;
    const axis = a(e, 'axis') as number;
    if (split) e.w.node('Split', [e.ins[0]!, e.w.ints(split)], e.outs, { axis });
    else if (e.w.opset >= 18) e.w.node('Split', [e.ins[0]!], e.outs, { axis, num_outputs: a(e, 'numOutputs') as number });
    else e.w.node('Split', [e.ins[0]!, e.w.ints(e.layer.outputs.map((t) => t.shape[axis < 0 ? axis + t.shape.length : axis] as number))], e.outs, { axis });
  },
  Embedding: (e) => void e.w.node('Gather', [e.ins[1]!, e.ins[0]!], e.outs, { axis: 0 }),
  LayerNorm: (e) => {
    if ((a(e, 'axis') as number) !== -1 && (a(e, 'axis') as number) !== inputType(e, 0).shape.length - 1) {
      e.w.node('LayerNormalization', present(e.ins), e.outs, { axis: a(e, 'axis') as number, epsilon: { f: a(e, 'epsilon') as number } });
    } else layerNorm(e, e.ins[0]!, e.ins[1]!, e.ins[2] ?? '', e.outs[0]!);
  },
  Gelu: (e) => standardGelu(e, e.ins[0]!, e.outs[0]!, a(e, 'approximate') as 'none' | 'tanh'),
  Silu: (e) => silu(e, e.ins[0]!, e.outs[0]!),
  SwiGLU: (e) => {
    const gate = temp(e, 'silu');
    silu(e, e.ins[0]!, gate);
    e.w.node('Mul', [gate, e.ins[1]!], e.outs);
  },
  RMSNorm: (e) => rmsNorm(e, e.ins[0]!, e.ins[1]!, e.outs[0]!),
  SkipRMSNorm: (e) => {
    e.w.node('Add', [e.ins[0]!, e.ins[1]!], [e.outs[1]!]);
    rmsNorm(e, e.outs[1]!, e.ins[2]!, e.outs[0]!);
  },
  SkipLayerNorm: (e) => {
    e.w.node('Add', [e.ins[0]!, e.ins[1]!], [e.outs[1]!]);
    layerNorm(e, e.outs[1]!, e.ins[2]!, e.ins[3] ?? '', e.outs[0]!);
  },
  FusedLinear: fusedLinear,
  FusedConv: (e) => {
    const act = a(e, 'activation') as string;
    if (act === 'none') {
      e.w.node('Conv', present(e.ins), e.outs, convAttrs(e));
      return;
    }
    const conv = e.w.node('Conv', present(e.ins), temp(e, 'conv'), convAttrs(e))[0]!;
    activation(e, act, conv, e.outs[0]!);
  },
  RotaryEmbedding: rotary,
  GptAttention: writeGptAttention,
  Opaque: writeOpaque,
};
