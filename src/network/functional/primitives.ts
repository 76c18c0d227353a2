/**
 * One builder per primitive op of the registry: `F.matmul(a, b)`, `F.rmsNorm(x, w, {epsilon})`.
 * Each adds one layer to its inputs' network and returns its output(s). Numbers are accepted where
 * a tensor operand is expected and become scalar constants.
 */
import type { DType } from '../../ops/types.js';
import type { Network } from '../network.js';
import type { Tensor } from '../tensor.js';
import type { NameOption, Operand } from './build.js';
import { attrsOf, build, buildLayer } from './build.js';

// ---- constants and identity ----

/** A constant of `dtype` and `shape`; `data` may be left out for shape-only weights. */
export function constant(network: Network, spec: { dtype: DType; shape: readonly number[]; data?: ArrayLike<number>; name?: string }): Tensor {
  return network.addConstant(spec);
}

export const identity = (x: Tensor, o: NameOption = {}): Tensor => build('Identity', [x], {}, o);

// ---- elementwise ----

export const add = (a: Operand, b: Operand, o: NameOption = {}): Tensor => build('Add', [a, b], {}, o);
export const sub = (a: Operand, b: Operand, o: NameOption = {}): Tensor => build('Sub', [a, b], {}, o);
export const mul = (a: Operand, b: Operand, o: NameOption = {}): Tensor => build('Mul', [a, b], {}, o);
export const div = (a: Operand, b: Operand, o: NameOption = {}): Tensor => build('Div', [a, b], {}, o);
export const pow = (a: Operand, b: Operand, o: NameOption = {}): Tensor => build('Pow', [a, b], {}, o);
export const sqrt = (x: Tensor, o: NameOption = {}): Tensor => build('Sqrt', [x], {}, o);
export const reciprocal = (x: Tensor, o: NameOption = {}): Tensor => build('Reciprocal', [x], {}, o);
export const neg = (x: Tensor, o: NameOption = {}): Tensor => build('Neg', [x], {}, o);
export const exp = (x: Tensor, o: NameOption = {}): Tensor => build('Exp', [x], {}, o);
export const log = (x: Tensor, o: NameOption = {}): Tensor => build('Log', [x], {}, o);
export const erf = (x: Tensor, o: NameOption = {}): Tensor => build('Erf', [x], {}, o);
export const tanh = (x: Tensor, o: NameOption = {}): Tensor => build('Tanh', [x], {}, o);
export const relu = (x: Tensor, o: NameOption = {}): Tensor => build('Relu', [x], {}, o);
export const sigmoid = (x: Tensor, o: NameOption = {}): Tensor => build('Sigmoid', [x], {}, o);
export const silu = (x: Tensor, o: NameOption = {}): Tensor => build('Silu', [x], {}, o);
export const gelu = (x: Tensor, o: NameOption & { approximate?: 'none' | 'tanh' } = {}): Tensor => build('Gelu', [x], attrsOf(o), o);
export const where = (condition: Tensor, x: Operand, y: Operand, o: NameOption = {}): Tensor => build('Where', [condition, x, y], {}, o);
export const cast = (x: Tensor, to: DType, o: NameOption = {}): Tensor => build('Cast', [x], { to }, o);

// ---- linear algebra ----

export const matmul = (a: Tensor, b: Tensor, o: NameOption = {}): Tensor => build('MatMul', [a, b], {}, o);

export interface GemmOptions extends NameOption {
  alpha?: number;
  beta?: number;
  transA?: boolean;
  transB?: boolean;
}
export const gemm = (a: Tensor, b: Tensor, c?: Tensor, o: GemmOptions = {}): Tensor => build('Gemm', [a, b, c], attrsOf(o), o);

// ---- layout ----

export const transpose = (x: Tensor, perm?: readonly number[], o: NameOption = {}): Tensor => build('Transpose', [x], perm ? { perm } : {}, o);
export const reshape = (x: Tensor, shape: readonly number[], o: NameOption = {}): Tensor => build('Reshape', [x], { shape }, o);
export const flatten = (x: Tensor, axis = 1, o: NameOption = {}): Tensor => build('Flatten', [x], { axis }, o);
export const concat = (xs: readonly Tensor[], axis: number, o: NameOption = {}): Tensor => build('Concat', xs, { axis }, o);

export interface SplitOptions extends NameOption {
  axis?: number;
  /** Sizes of the parts; when absent, `numOutputs` equal parts. */
  split?: readonly number[];
  numOutputs?: number;
}
export const split = (x: Tensor, o: SplitOptions = {}): Tensor[] => [...buildLayer('Split', [x], attrsOf(o), o).outputs];

export interface SliceOptions extends NameOption {
  starts: readonly number[];
  ends: readonly number[];
  axes?: readonly number[];
  steps?: readonly number[];
}
export const slice = (x: Tensor, o: SliceOptions): Tensor => build('Slice', [x], attrsOf(o), o);
export const gather = (data: Tensor, indices: Tensor, axis = 0, o: NameOption = {}): Tensor => build('Gather', [data, indices], { axis }, o);
export const unsqueeze = (x: Tensor, axes: readonly number[], o: NameOption = {}): Tensor => build('Unsqueeze', [x], { axes }, o);
export const squeeze = (x: Tensor, axes?: readonly number[], o: NameOption = {}): Tensor => build('Squeeze', [x], axes ? { axes } : {}, o);
export const expand = (x: Tensor, shape: readonly number[], o: NameOption = {}): Tensor => build('Expand', [x], { shape }, o);
export const embedding = (indices: Tensor, table: Tensor, o: NameOption = {}): Tensor => build('Embedding', [indices, table], {}, o);

// ---- reductions ----

export interface ReduceOptions extends NameOption {
  keepDims?: boolean;
}
export const reduceMean = (x: Tensor, axes?: readonly number[], o: ReduceOptions = {}): Tensor => build('ReduceMean', [x], { ...attrsOf(o), ...(axes ? { axes } : {}) }, o);
export const reduceSum = (x: Tensor, axes?: readonly number[], o: ReduceOptions = {}): Tensor => build('ReduceSum', [x], { ...attrsOf(o), ...(axes ? { axes } : {}) }, o);
export const softmax = (x: Tensor, axis = -1, o: NameOption = {}): Tensor => build('Softmax', [x], { axis }, o);

// ---- normalization ----

export interface EpsilonOptions extends NameOption {
  epsilon?: number;
}
export const layerNorm = (x: Tensor, weight: Tensor, bias?: Tensor, o: EpsilonOptions & { axis?: number } = {}): Tensor => build('LayerNorm', [x, weight, bias], attrsOf(o), o);
export const rmsNorm = (x: Tensor, weight: Tensor, o: EpsilonOptions = {}): Tensor => build('RMSNorm', [x, weight], attrsOf(o), o);
export const batchNorm = (x: Tensor, scale: Tensor, bias: Tensor, mean: Tensor, variance: Tensor, o: EpsilonOptions = {}): Tensor =>
  build('BatchNorm', [x, scale, bias, mean, variance], attrsOf(o), o);

// ---- convolution and pooling ----

export interface ConvOptions extends NameOption {
  strides?: readonly number[];
  /** [top, left, bottom, right]. */
  pads?: readonly number[];
  dilations?: readonly number[];
  group?: number;
}
export const conv = (x: Tensor, weight: Tensor, bias?: Tensor, o: ConvOptions = {}): Tensor => build('Conv', [x, weight, bias], attrsOf(o), o);

export interface PoolOptions extends NameOption {
  kernelShape: readonly number[];
  strides?: readonly number[];
  pads?: readonly number[];
  ceilMode?: boolean;
}
export const maxPool = (x: Tensor, o: PoolOptions & { dilations?: readonly number[] }): Tensor => build('MaxPool', [x], attrsOf(o), o);
export const averagePool = (x: Tensor, o: PoolOptions & { countIncludePad?: boolean }): Tensor => build('AveragePool', [x], attrsOf(o), o);
export const globalAveragePool = (x: Tensor, o: NameOption = {}): Tensor => build('GlobalAveragePool', [x], {}, o);
