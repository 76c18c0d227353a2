/**
 * Registry op → standard ONNX nodes. Attributes the registry keeps on the op but ONNX takes as
 * inputs (Reshape's shape, Slice's starts, ...) become small int64 initializers; fused kinds are
 * decomposed back into the standard ops they stand for.
 */
import { activation, silu, standardGelu } from './activations.js';
import type { Emit } from './emit.js';
import { dtypeOf, inputType, temp } from './emit.js';
import { directTable } from './direct-ops.js';
import { onnxCodeOf } from './dtypes.js';
import { OnnxExportError } from './errors.js';
import type { OnnxAttr } from './graph-writer.js';
import { writeGptAttention } from './gpt-attention.js';
import { writeRotary } from './rotary.js';
import { writeOpaque } from './opaque-node.js';
import { axisAt, gemmInputs, poolVersionAttrs, refuse, writeSlice, writeSoftmax, writeSplit, writeWithAxes } from './opset-forms.js';

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

const rankOf = (e: Emit) => inputType(e, 0).shape.length;

function reduce(opType: string, since: number): Exporter {
  return (e) => writeWithAxes(e, opType, since, a(e, 'axes') as number[] | null, rankOf(e), { keepdims: a(e, 'keepDims') ? 1 : 0 });
}

/** An op with one `axis` attribute counted on its first input's rank. */
function withAxis(opType: string): Exporter {
  return same(opType, (e) => ({ axis: axisAt(e, a(e, 'axis') as number, rankOf(e)) }));
}

/** GptAttention and RotaryEmbedding decompose into the axes-as-inputs forms of opset 13. */
function from13(what: string, write: Exporter): Exporter {
  return (e) => (e.w.opset < 13 ? refuse(e, `${what}'s standard decomposition`, 13) : write(e));
}

const convAttrs = (e: Emit) => ({
  kernel_shape: inputType(e, 1).shape.slice(2) as number[],
  strides: a(e, 'strides') as number[],
  pads: a(e, 'pads') as number[],
  dilations: a(e, 'dilations') as number[],
  group: a(e, 'group') as number,
});

const poolAttrs = (e: Emit, dilations?: number[] | null) => ({
  kernel_shape: a(e, 'kernelShape') as number[],
  strides: a(e, 'strides') as number[],
  pads: a(e, 'pads') as number[],
  ...poolVersionAttrs(e, a(e, 'ceilMode') as boolean, dilations),
});

/** y = x / sqrt(mean(x²) + eps) · weight over the last dim. */
function rmsNorm(e: Emit, x: string, weight: string, out: string): void {
  const { w } = e;
  const dt = dtypeOf(e);
  const square = w.node('Pow', [x, w.scalar(dt, 2)], temp(e, 'square'))[0]!;
  const last = [axisAt(e, -1, rankOf(e))];
  const mean =
    w.opset >= 18
      ? w.node('ReduceMean', [square, w.ints(last)], temp(e, 'mean'), { keepdims: 1 })[0]!
      : w.node('ReduceMean', [square], temp(e, 'mean'), { axes: last, keepdims: 1 })[0]!;
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

export const STANDARD_EXPORTERS: Readonly<Record<string, Exporter>> = {
  ...directTable((op, defaults) => same(op, (e) => Object.fromEntries(Object.keys(defaults).map((k) => [k, a(e, k) as number])))),
  Softmax: (e) => writeSoftmax(e, a(e, 'axis') as number),
  Concat: withAxis('Concat'),
  Gather: withAxis('Gather'),
  Flatten: withAxis('Flatten'),
  Transpose: same('Transpose', (e) => ({ perm: (a(e, 'perm') as number[] | null) ?? undefined })),
  Cast: same('Cast', (e) => ({ to: onnxCodeOf(a(e, 'to') as never) })),
  Gemm: (e) =>
    void e.w.node('Gemm', gemmInputs(e, e.ins), e.outs, {
      alpha: { f: a(e, 'alpha') as number },
      beta: { f: a(e, 'beta') as number },
      transA: a(e, 'transA') ? 1 : 0,
      transB: a(e, 'transB') ? 1 : 0,
    }),
  BatchNorm: same('BatchNormalization', (e) => ({ epsilon: { f: a(e, 'epsilon') as number } })),
  Conv: same('Conv', convAttrs),
  MaxPool: same('MaxPool', (e) => poolAttrs(e, a(e, 'dilations') as number[] | null)),
  AveragePool: same('AveragePool', (e) => ({ ...poolAttrs(e), count_include_pad: a(e, 'countIncludePad') ? 1 : 0 })),
  Reshape: (e) => void e.w.node('Reshape', [e.ins[0]!, e.w.ints(a(e, 'shape') as number[])], e.outs),
  Expand: (e) => void e.w.node('Expand', [e.ins[0]!, e.w.ints(a(e, 'shape') as number[])], e.outs),
  // Unsqueeze's axes count on the output's rank.
  Unsqueeze: (e) => writeWithAxes(e, 'Unsqueeze', 13, a(e, 'axes') as number[], e.layer.outputs[0]!.shape.length),
  Squeeze: (e) => writeWithAxes(e, 'Squeeze', 13, a(e, 'axes') as number[] | null, rankOf(e)),
  ReduceMean: reduce('ReduceMean', 18),
  ReduceSum: reduce('ReduceSum', 13),
  Slice: (e) => {
    const list = (k: string) => a(e, k) as number[] | null;
    writeSlice(e, list('starts')!, list('ends')!, list('axes'), list('steps'));
  },
  Split: (e) => writeSplit(e, a(e, 'split') as number[] | null, a(e, 'axis') as number, a(e, 'numOutputs') as number),
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
  RotaryEmbedding: from13('RotaryEmbedding', rotary),
  GptAttention: from13('GptAttention', writeGptAttention),
  Opaque: writeOpaque,
};
