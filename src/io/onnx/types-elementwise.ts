/**
 * Type rules of the default domain's elementwise ops: unary maps, broadcasting binary and variadic
 * ops, comparisons and logic (bool results), Where, and the ops whose output is shaped like their
 * first input (normalizations, softmaxes, scatters, cumulative sums). Spec: onnx/defs/math,
 * logical, nn, tensor and quantization defs.cc.
 */
import type { Dim, TensorType } from '../../ops/types.js';
import { dtypeFromOnnx } from './dtypes.js';
import { axisOf, broadcast, dtypeAttr, int, typed } from './type-rule.js';
import type { Rule, StandardNode } from './type-rule.js';

/** Every named input's type, absent ones skipped. */
function present(n: StandardNode): TensorType[] {
  return Array.from({ length: n.inputCount }, (_, i) => n.input(i)).filter((t): t is TensorType => t !== undefined);
}

/** Output 0 has input 0's type. */
const sameAsInput: Rule = (n) => [n.input(0)];

/** Output 0 has input 0's shape and bool elements (IsNaN, IsInf, Not). */
const boolLike: Rule = (n) => {
  const x = n.input(0);
  return [x && typed('bool', x.shape)];
};

/** All inputs broadcast; the dtype is input 0's (Add, Max, Pow, PRelu, ...). */
const broadcasting: Rule = (n) => {
  const inputs = present(n);
  return inputs.length
    ? [
        typed(
          inputs[0]!.dtype,
          broadcast(
            n,
            inputs.map((t) => t.shape),
          ),
        ),
      ]
    : [];
};

/** Comparisons: broadcast to bool. */
const comparison: Rule = (n) => {
  const inputs = present(n);
  return inputs.length
    ? [
        typed(
          'bool',
          broadcast(
            n,
            inputs.map((t) => t.shape),
          ),
        ),
      ]
    : [];
};

/** Where(condition, x, y): the three shapes broadcast, x's dtype. */
const where: Rule = (n) => {
  const x = n.input(1);
  return x
    ? [
        typed(
          x.dtype,
          broadcast(
            n,
            present(n).map((t) => t.shape),
          ),
        ),
      ]
    : [];
};

/** Dropout: output like the data; the mask (when asked for) of the same shape, bool from opset 10 and the data's dtype before. */
const dropout: Rule = (n) => {
  const x = n.input(0);
  return x ? [x, typed(n.opset < 10 ? x.dtype : 'bool', x.shape)] : [];
};

/** The shape a normalization's saved statistics have: the normalized dims (axis..) set to 1. */
function reducedFrom(n: StandardNode, x: TensorType, axis: number): Dim[] {
  const from = axisOf(n, axis, x.shape.length);
  return x.shape.map((d, i) => (i >= from ? 1 : d));
}

/** LayerNormalization: Y like X; Mean and InvStdDev in stash_type (float32 by default). */
const layerNorm: Rule = (n) => {
  const x = n.input(0);
  if (!x) return [];
  const stats = typed(dtypeAttr(n, 'stash_type', 'float32'), reducedFrom(n, x, int(n, 'axis', -1)));
  return [x, stats, stats];
};

/**
 * BatchNormalization: Y like X; in training, running mean and variance typed like the inputs they
 * update, and (opsets 7-13) the saved mean and variance, [C] like the scale.
 */
const batchNorm: Rule = (n) => [n.input(0), n.input(3), n.input(4), n.input(1), n.input(1)];

/** DequantizeLinear: x's shape in the scale's dtype (float32 before opset 19 allowed no other). */
const dequantize: Rule = (n) => {
  const [x, scale] = [n.input(0), n.input(1)];
  return x ? [typed(scale?.dtype ?? 'float32', x.shape)] : [];
};

/** QuantizeLinear: x's shape in the zero point's dtype, else output_dtype, else uint8. */
const quantize: Rule = (n) => {
  const x = n.input(0);
  if (!x) return [];
  const zero = n.input(2);
  // output_dtype 0 (its default) means the zero point's type, or uint8 without one.
  return [typed(zero?.dtype ?? dtypeFromOnnx(int(n, 'output_dtype', 0) || UINT8, n.name), x.shape)];
};

/** DynamicQuantizeLinear: y uint8 like x, its scale (float32) and zero point (uint8) scalars. */
const dynamicQuantize: Rule = (n) => {
  const x = n.input(0);
  return x ? [typed('uint8', x.shape), typed('float32', []), typed('uint8', [])] : [];
};

const UINT8 = 2;

const UNARY = [
  'Abs',
  'Acos',
  'Acosh',
  'Asin',
  'Asinh',
  'Atan',
  'Atanh',
  'BitwiseNot',
  'Ceil',
  'Celu',
  'Clip',
  'Cos',
  'Cosh',
  'CumSum',
  'Elu',
  'Erf',
  'Exp',
  'Floor',
  'Gelu',
  'HardSigmoid',
  'HardSwish',
  'Hardmax',
  'Identity',
  'InstanceNormalization',
  'GroupNormalization',
  'LRN',
  'LeakyRelu',
  'Log',
  'LogSoftmax',
  'LpNormalization',
  'MeanVarianceNormalization',
  'Mish',
  'Neg',
  'Reciprocal',
  'Relu',
  'ReverseSequence',
  'Round',
  'Scatter',
  'ScatterElements',
  'ScatterND',
  'Selu',
  'Shrink',
  'Sigmoid',
  'Sign',
  'Sin',
  'Sinh',
  'Softmax',
  'Softplus',
  'Softsign',
  'Sqrt',
  'Tan',
  'Tanh',
  'ThresholdedRelu',
  'Trilu',
];
const BROADCASTING = ['Add', 'Sub', 'Mul', 'Div', 'Mod', 'Pow', 'PRelu', 'BitShift', 'BitwiseAnd', 'BitwiseOr', 'BitwiseXor', 'And', 'Or', 'Xor', 'Max', 'Min', 'Mean', 'Sum'];
const COMPARISONS = ['Equal', 'Greater', 'Less', 'GreaterOrEqual', 'LessOrEqual'];

export const ELEMENTWISE_RULES: Readonly<Record<string, Rule>> = {
  ...Object.fromEntries(UNARY.map((op) => [op, sameAsInput])),
  ...Object.fromEntries(BROADCASTING.map((op) => [op, broadcasting])),
  ...Object.fromEntries(COMPARISONS.map((op) => [op, comparison])),
  IsNaN: boolLike,
  IsInf: boolLike,
  Not: boolLike,
  Where: where,
  Dropout: dropout,
  LayerNormalization: layerNorm,
  BatchNormalization: batchNorm,
  DequantizeLinear: dequantize,
  QuantizeLinear: quantize,
  DynamicQuantizeLinear: dynamicQuantize,
};
