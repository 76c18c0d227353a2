/**
 * Type rules of the default domain's indexing, selection and casting ops: Gather, GatherElements,
 * GatherND, OneHot, NonZero, Unique, Compress, Cast, CastLike, EyeLike. Outputs whose size is a
 * count of selected elements get fresh dims. Spec: onnx/defs/tensor/defs.cc.
 */
import { mulDims } from '../../ops/shape.js';
import type { Dim } from '../../ops/types.js';
import { axisOf, constantInts, dtypeAttr, int, typed } from './type-rule.js';
import type { Rule } from './type-rule.js';

/** Gather: data's dims before the axis, the indices' dims, data's dims after it. */
const gather: Rule = (n) => {
  const [data, indices] = [n.input(0), n.input(1)];
  if (!data || !indices) return [];
  const axis = axisOf(n, int(n, 'axis', 0), data.shape.length);
  return [typed(data.dtype, [...data.shape.slice(0, axis), ...indices.shape, ...data.shape.slice(axis + 1)])];
};

/** GatherElements (and its opset-9 name): the indices' shape, data's dtype. */
const gatherElements: Rule = (n) => {
  const [data, indices] = [n.input(0), n.input(1)];
  return data && indices ? [typed(data.dtype, indices.shape)] : [];
};

/** GatherND: the indices' dims but the last, then data's dims past batch_dims + the index length. */
const gatherND: Rule = (n) => {
  const [data, indices] = [n.input(0), n.input(1)];
  const last = indices?.shape.at(-1);
  if (!data || !indices || typeof last !== 'number') return [];
  const batch = int(n, 'batch_dims', 0);
  return [typed(data.dtype, [...indices.shape.slice(0, -1), ...data.shape.slice(batch + last)])];
};

/** OneHot: the indices' shape with `depth` inserted at axis, the values' dtype. */
const oneHot: Rule = (n) => {
  const [indices, values] = [n.input(0), n.input(2)];
  if (!indices || !values) return [];
  const rank = indices.shape.length + 1;
  const axis = axisOf(n, int(n, 'axis', -1), rank);
  const depth: Dim = n.constant(1)?.[0] ?? n.fresh(0, 'depth');
  const dims: Dim[] = [...indices.shape];
  dims.splice(axis, 0, typeof depth === 'number' ? Math.trunc(depth) : depth);
  return [typed(values.dtype, dims)];
};

/** NonZero: int64 [rank, count of non-zeros]. */
const nonZero: Rule = (n) => {
  const x = n.input(0);
  return x ? [typed('int64', [x.shape.length, n.fresh(0, 'nonzero')])] : [];
};

/**
 * Unique: Y has u unique elements (flattened, or slices along axis); indices and counts are [u],
 * inverse_indices one per element of X (or per slice along axis). u is one symbol for all four.
 */
const unique: Rule = (n) => {
  const x = n.input(0);
  if (!x) return [];
  const u = n.fresh(0, 'unique');
  const axisAttr = n.attr('axis');
  const axis = axisAttr ? axisOf(n, Number(axisAttr.i), x.shape.length) : undefined;
  const y = axis === undefined ? [u] : x.shape.map((d, i) => (i === axis ? u : d));
  const inverse = axis === undefined ? mulDims(x.shape) : x.shape[axis]!;
  return [typed(x.dtype, y), typed('int64', [u]), typed('int64', [inverse]), typed('int64', [u])];
};

/** Compress: the kept slices along axis (all elements flattened without one) are a count of true conditions. */
const compress: Rule = (n) => {
  const x = n.input(0);
  if (!x) return [];
  const axisAttr = n.attr('axis');
  if (!axisAttr) return [typed(x.dtype, [n.fresh(0, 'kept')])];
  const axis = axisOf(n, Number(axisAttr.i), x.shape.length);
  return [
    typed(
      x.dtype,
      x.shape.map((d, i) => (i === axis ? n.fresh(0, 'kept') : d)),
    ),
  ];
};

const cast: Rule = (n) => {
  const x = n.input(0);
  return x ? [typed(dtypeAttr(n, 'to', x.dtype), x.shape)] : [];
};

const castLike: Rule = (n) => {
  const [x, like] = [n.input(0), n.input(1)];
  return x && like ? [typed(like.dtype, x.shape)] : [];
};

/** EyeLike: the input's 2-D shape, in the dtype attribute's type or the input's. */
const eyeLike: Rule = (n) => {
  const x = n.input(0);
  return x ? [typed(dtypeAttr(n, 'dtype', x.dtype), x.shape)] : [];
};

/** NonMaxSuppression: int64 [selected boxes, 3], the count decided by the scores. */
const nonMaxSuppression: Rule = (n) => [typed('int64', [n.fresh(0, 'selected'), 3])];

/** CenterCropPad: the input with the dims of `axes` (all by default) set to the shape input's values. */
const centerCropPad: Rule = (n) => {
  const x = n.input(0);
  if (!x) return [];
  const target = constantInts(n, 1);
  const axes = n.attr('axes')?.ints.map(Number) ?? x.shape.map((_, i) => i);
  const dims: Dim[] = [...x.shape];
  axes.forEach((a, j) => {
    const i = axisOf(n, a, x.shape.length);
    dims[i] = target?.[j] ?? n.fresh(0, `d${i}`);
  });
  return [typed(x.dtype, dims)];
};

export const INDEX_RULES: Readonly<Record<string, Rule>> = {
  Gather: gather,
  GatherElements: gatherElements,
  GatherND: gatherND,
  OneHot: oneHot,
  NonZero: nonZero,
  Unique: unique,
  Compress: compress,
  Cast: cast,
  CastLike: castLike,
  EyeLike: eyeLike,
  NonMaxSuppression: nonMaxSuppression,
  CenterCropPad: centerCropPad,
};
