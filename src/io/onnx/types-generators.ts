/**
 * Type rules of the default domain's generators and signal ops: Constant in the forms the registry
 * does not read (strings, sparse values), random tensors (shape and dtype
 * from attributes or the input they are "like"), Bernoulli, Multinomial, window functions,
 * MelWeightMatrix, DFT and STFT. Spec: onnx/defs/generator/defs.cc, onnx/defs/math/defs.cc.
 */
import type { AttributeProto } from 'onnx-buf';
import type { Dim, DType } from '../../ops/types.js';
import { dtypeFromOnnx } from './dtypes.js';
import { axisOf, constantInts, dtypeAttr, int, ints, typed } from './type-rule.js';
import type { Rule, StandardNode } from './type-rule.js';

const CONSTANT_SCALARS: readonly (readonly [string, DType])[] = [
  ['value_float', 'float32'],
  ['value_int', 'int64'],
  ['value_string', 'string'],
];
const CONSTANT_LISTS: readonly (readonly [string, DType, (a: AttributeProto) => number])[] = [
  ['value_floats', 'float32', (a) => a.floats.length],
  ['value_ints', 'int64', (a) => a.ints.length],
  ['value_strings', 'string', (a) => a.strings.length],
];

/** Constant: the type of whichever value attribute it holds (a sparse value has its dense shape). */
const constant: Rule = (n) => {
  const tensor = n.attr('value')?.t;
  if (tensor) return [typed(dtypeFromOnnx(tensor.dataType, `${n.name} attribute value`), tensor.dims.map(Number))];
  const sparse = n.attr('sparse_value')?.sparseTensor;
  if (sparse?.values) return [typed(dtypeFromOnnx(sparse.values.dataType, `${n.name} attribute sparse_value`), sparse.dims.map(Number))];
  for (const [name, dtype] of CONSTANT_SCALARS) if (n.attr(name)) return [typed(dtype, [])];
  for (const [name, dtype, length] of CONSTANT_LISTS) {
    const a = n.attr(name);
    if (a) return [typed(dtype, [length(a)])];
  }
  return [];
};

/** RandomNormal / RandomUniform: the shape attribute, the dtype attribute (float32 by default). */
const random: Rule = (n) => {
  const shape = ints(n, 'shape');
  return shape ? [typed(dtypeAttr(n, 'dtype', 'float32'), shape)] : [];
};

/** *Like and Bernoulli: the input's shape, the dtype attribute or the input's. */
const like: Rule = (n) => {
  const x = n.input(0);
  return x ? [typed(dtypeAttr(n, 'dtype', x.dtype), x.shape)] : [];
};

/** Multinomial: [batch, sample_size], int32 unless dtype says int64. */
const multinomial: Rule = (n) => {
  const x = n.input(0);
  return x ? [typed(dtypeAttr(n, 'dtype', 'int32'), [x.shape[0]!, int(n, 'sample_size', 1)])] : [];
};

/** The length a constant scalar input gives, or a fresh dim. */
function lengthInput(n: StandardNode, i: number, what: string): Dim {
  return constantInts(n, i)?.[0] ?? n.fresh(0, what);
}

/** Hann, Hamming and Blackman windows: [size] in output_datatype (float32 by default). */
const window: Rule = (n) => [typed(dtypeAttr(n, 'output_datatype', 'float32'), [lengthInput(n, 0, 'size')])];

/** The count of one-sided frequency bins of an n-point transform, floor(n / 2) + 1. */
function oneSided(n: StandardNode, length: Dim): Dim {
  return typeof length === 'number' ? Math.floor(length / 2) + 1 : n.fresh(0, 'bins');
}

/** MelWeightMatrix(num_mel_bins, dft_length, ...): [dft_length / 2 + 1, num_mel_bins]. */
const melWeightMatrix: Rule = (n) => [typed(dtypeAttr(n, 'output_datatype', 'float32'), [oneSided(n, lengthInput(n, 1, 'dft')), lengthInput(n, 0, 'mel')])];

/** DFT: the signal axis resized to dft_length (one-sided: half plus one), the last dim 2 (complex). */
const dft: Rule = (n) => {
  const x = n.input(0);
  if (!x) return [];
  const rank = x.shape.length;
  const axisValue = n.opset < 20 ? int(n, 'axis', 1) : (constantInts(n, 2)?.[0] ?? -2);
  const axis = axisOf(n, axisValue, rank);
  const length: Dim = n.input(1) ? lengthInput(n, 1, 'dft') : x.shape[axis]!;
  const size = int(n, 'onesided', 0) === 1 ? oneSided(n, length) : length;
  return [
    typed(
      x.dtype,
      x.shape.map((d, i) => (i === axis ? size : i === rank - 1 ? 2 : d)),
    ),
  ];
};

/** STFT: [batch, frames, bins, 2], frames = (length − frame_length) / frame_step + 1. */
const stft: Rule = (n) => {
  const [x, window] = [n.input(0), n.input(2)];
  if (!x) return [];
  const step = constantInts(n, 1)?.[0];
  const frame: Dim | undefined = constantInts(n, 3)?.[0] ?? window?.shape[0];
  const length = x.shape[1];
  const frames = typeof length === 'number' && typeof frame === 'number' && step ? Math.floor((length - frame) / step) + 1 : n.fresh(0, 'frames');
  const bins = frame === undefined ? n.fresh(0, 'bins') : int(n, 'onesided', 1) === 1 ? oneSided(n, frame) : frame;
  return [typed(x.dtype, [x.shape[0]!, frames, bins, 2])];
};

export const GENERATOR_RULES: Readonly<Record<string, Rule>> = {
  Constant: constant,
  RandomNormal: random,
  RandomUniform: random,
  RandomNormalLike: like,
  RandomUniformLike: like,
  Bernoulli: like,
  Multinomial: multinomial,
  HannWindow: window,
  HammingWindow: window,
  BlackmanWindow: window,
  MelWeightMatrix: melWeightMatrix,
  DFT: dft,
  STFT: stft,
};
