/**
 * Folding of shape computations on constants at import, as ONNX's data propagation does: exporters
 * compute Reshape and Expand targets at run time (Shape → Slice → Concat, or PyTorch's
 * `Where(Equal(shape, -1), ConstantOfShape(..), shape)`), so without folding a static model gets
 * fresh dims, opaque Reshapes and unfusable attention. Only integer and bool tensors of rank ≤ 1
 * (shape vectors and scalars) are folded, so no float result changes and nothing large is built.
 */
import type { AttributeProto, NodeProto, TensorProto } from 'onnx-buf';
import { ndarray } from '../../ops/ndarray.js';
import type { DType, NDArray } from '../../ops/types.js';
import { dtypeFromOnnx } from './dtypes.js';

/** What folding sees of a node: its inputs' constant values (undefined when computed or absent). */
export interface FoldView {
  readonly node: NodeProto;
  readonly opset: number;
  value(i: number): NDArray | undefined;
  attr(name: string): AttributeProto | undefined;
  tensor(t: TensorProto): NDArray;
}

/** Shape vectors are short; a longer result is left to the run time. */
const MAX_ELEMENTS = 1024;
const FOLDED_DTYPES: ReadonlySet<DType> = new Set(['int64', 'int32', 'bool']);

type Fold = (n: FoldView, inputs: NDArray[]) => NDArray | undefined;

const values = (a: NDArray): number[] => Array.from(a.data, Number);
const intAttr = (n: FoldView, name: string, fallback: number): number => {
  const a = n.attr(name);
  return a ? Number(a.i) : fallback;
};

/** Rank ≤ 1 broadcast of same-length-or-1 vectors; undefined when the lengths do not fit. */
function broadcastLength(inputs: readonly NDArray[]): number[] | undefined {
  const rank = Math.max(...inputs.map((a) => a.shape.length));
  const length = Math.max(...inputs.map((a) => a.shape[0] ?? 1));
  if (inputs.some((a) => a.shape.length === 1 && a.shape[0] !== length && a.shape[0] !== 1)) return undefined;
  return rank === 0 ? [] : [length];
}

function elementwise(dtype: (inputs: NDArray[]) => DType, f: (...xs: number[]) => number): Fold {
  return (_, inputs) => {
    const shape = broadcastLength(inputs);
    if (!shape) return undefined;
    const at = (a: NDArray, i: number) => Number(a.data[a.data.length === 1 ? 0 : i]);
    const out = Array.from({ length: shape[0] ?? 1 }, (_, i) => f(...inputs.map((a) => at(a, i))));
    return ndarray(dtype(inputs), shape, out);
  };
}

const first = (inputs: NDArray[]) => inputs[0]!.dtype;
const bool = () => 'bool' as const;
/** Integer division truncates toward zero, as onnxruntime's C++ kernels do. */
const divide = (a: number, b: number) => Math.trunc(a / b);

/** A 1-D slice with numpy clamping (axes can only be 0 for a vector). */
const slice: Fold = (n, [data, starts, ends, axes, steps]) => {
  if (n.opset < 10 || !data || data.shape.length !== 1 || !starts || !ends) return undefined;
  if (axes && values(axes).some((a) => a !== 0 && a !== -1)) return undefined;
  const length = data.shape[0]!;
  const step = steps ? values(steps)[0]! : 1;
  if (step === 0) return undefined;
  const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v < 0 ? v + length : v, lo), hi);
  const [lo, hi] = step > 0 ? [0, length] : [-1, length - 1];
  const out: number[] = [];
  for (let i = clamp(values(starts)[0]!, lo, hi), end = clamp(values(ends)[0]!, lo, hi); step > 0 ? i < end : i > end; i += step) out.push(values(data)[i]!);
  return ndarray(data.dtype, [out.length], out);
};

const gather: Fold = (n, [data, indices]) => {
  if (data?.shape.length !== 1 || !indices || indices.shape.length > 1 || intAttr(n, 'axis', 0) !== 0) return undefined;
  const length = data.shape[0]!;
  const picked = values(indices).map((i) => values(data)[i < 0 ? i + length : i]);
  return picked.every((v) => v !== undefined) ? ndarray(data.dtype, indices.shape, picked as number[]) : undefined;
};

const concat: Fold = (_, inputs) => {
  if (!inputs.length || inputs.some((a) => a.shape.length !== 1 || a.dtype !== inputs[0]!.dtype)) return undefined;
  const out = inputs.flatMap(values);
  return ndarray(inputs[0]!.dtype, [out.length], out);
};

/** Unsqueeze of a scalar to [1], Squeeze of [1] to a scalar, Reshape within rank ≤ 1. */
function reshapedTo(shape: (x: NDArray) => number[] | undefined): Fold {
  return (_, [x]) => {
    const target = x && shape(x);
    return x && target && target.length <= 1 && (target[0] ?? 1) === x.data.length ? ndarray(x.dtype, target, values(x)) : undefined;
  };
}

const reshape: Fold = (n, [x, shape]) => {
  if (!x || !shape || shape.data.length > 1) return undefined;
  const target = values(shape).map((d, i) => (d === -1 ? x.data.length : d === 0 && !intAttr(n, 'allowzero', 0) ? (x.shape[i] ?? 0) : d));
  return reshapedTo(() => target)(n, [x]);
};

/** The dims of a shape input of rank ≤ 1 output, when they are sizes a vector may have. */
function vectorDims(shape: NDArray): number[] | undefined {
  const dims = values(shape);
  return dims.length <= 1 && dims.every((d) => d >= 0 && d <= MAX_ELEMENTS) ? dims : undefined;
}

const constantOfShape: Fold = (n, [shape]) => {
  const dims = shape && vectorDims(shape);
  if (!dims) return undefined;
  const a = n.attr('value')?.t;
  const fill = a ? n.tensor(a) : ndarray('float32', [1], [0]);
  return ndarray(fill.dtype, dims, new Array<number>(dims[0] ?? 1).fill(Number(fill.data[0] ?? 0)));
};

const range: Fold = (_, [start, limit, delta]) => {
  if (!start || !limit || !delta) return undefined;
  const [s, l, d] = [values(start)[0]!, values(limit)[0]!, values(delta)[0]!];
  const count = d === 0 ? -1 : Math.max(Math.ceil((l - s) / d), 0);
  if (count < 0 || count > MAX_ELEMENTS) return undefined;
  return ndarray(
    start.dtype,
    [count],
    Array.from({ length: count }, (_, i) => s + i * d),
  );
};

/** Expand: x broadcast against a tensor of the target shape. */
const expand: Fold = (n, [x, shape]) => {
  const dims = shape && vectorDims(shape);
  if (!x || !dims) return undefined;
  const target = ndarray(x.dtype, dims, new Array<number>(dims[0] ?? 1).fill(0));
  return elementwise(first, (v) => v)(n, [x, target]);
};

const cast: Fold = (n, [x]) => {
  const to = n.attr('to');
  if (!x || !to) return undefined;
  const dtype = dtypeFromOnnx(Number(to.i), n.node.name);
  return ndarray(dtype, x.shape, values(x));
};

const FOLDS: Readonly<Record<string, Fold>> = {
  Identity: (_, [x]) => x,
  Cast: cast,
  Add: elementwise(first, (a, b) => a + b),
  Sub: elementwise(first, (a, b) => a - b),
  Mul: elementwise(first, (a, b) => a * b),
  Div: elementwise(first, divide),
  Neg: elementwise(first, (a) => -a),
  Abs: elementwise(first, Math.abs),
  Max: elementwise(first, Math.max),
  Min: elementwise(first, Math.min),
  Equal: elementwise(bool, (a, b) => Number(a === b)),
  Less: elementwise(bool, (a, b) => Number(a < b)),
  Greater: elementwise(bool, (a, b) => Number(a > b)),
  Not: elementwise(bool, (a) => Number(!a)),
  And: elementwise(bool, (a, b) => Number(a && b)),
  Or: elementwise(bool, (a, b) => Number(a || b)),
  Where: elementwise(
    (inputs) => inputs[1]!.dtype,
    (c, x, y) => (c ? x : y),
  ),
  Slice: slice,
  Gather: gather,
  Concat: concat,
  Unsqueeze: reshapedTo((x) => (x.shape.length === 0 ? [1] : undefined)),
  Squeeze: reshapedTo((x) => (x.shape.length === 1 && x.shape[0] === 1 ? [] : undefined)),
  Reshape: reshape,
  ConstantOfShape: constantOfShape,
  Range: range,
  Expand: expand,
};

/**
 * The value of a default-domain node whose inputs are all small integer constants, when it is one
 * of the shape-computation ops and its result is a small integer or bool vector; else undefined.
 */
export function foldShapeValue(n: FoldView): NDArray | undefined {
  const { node } = n;
  if ((node.domain !== '' && node.domain !== 'ai.onnx') || node.output.length !== 1) return undefined;
  const fold = Object.hasOwn(FOLDS, node.opType) ? FOLDS[node.opType] : undefined;
  if (!fold) return undefined;
  const inputs: NDArray[] = [];
  for (let i = 0; i < node.input.length; i++) {
    if (!node.input[i]) continue;
    const v = n.value(i);
    if (!v || v.shape.length > 1 || v.data.length > MAX_ELEMENTS || !FOLDED_DTYPES.has(v.dtype)) return undefined;
    inputs.push(v);
  }
  // A node left without inputs (a corrupt file) has nothing to fold; its type rule reports it.
  if (inputs.length === 0) return undefined;
  // Optional inputs keep their positions for Slice (axes, steps); the others have none absent.
  const positional = node.opType === 'Slice' ? node.input.map((name, i) => (name ? n.value(i) : undefined)) : inputs;
  const out = fold(n, positional as NDArray[]);
  return out && out.shape.length <= 1 && out.data.length <= MAX_ELEMENTS && FOLDED_DTYPES.has(out.dtype) ? out : undefined;
}
