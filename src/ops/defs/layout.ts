/**
 * Layout ops: constants, and ops that move or select elements without arithmetic (transpose,
 * reshape, concat, split, slice, gather, broadcast). Reshape-like ops keep symbolic dims exact.
 */
import { ShapeError } from '../../errors.js';
import { costFacts, movementCost } from '../cost.js';
import { allocData } from '../ndarray.js';
import {
  addDims,
  broadcastShapes,
  divDims,
  expectDtype,
  expectSameDtype,
  formatShape,
  INT_DTYPES,
  mulDims,
  normalizeAxes,
  normalizeAxis,
  sameDim,
  staticShape,
  stridesOf,
} from '../shape.js';
import type { AttrValue, Attrs, Dim, DType, KernelContext, NDArray, OpDef, Shape, TensorType } from '../types.js';
import { broadcastTo } from '../kernels/broadcast.js';
import { gather } from '../kernels/gather.js';
import { aroundAxis, copyStrided } from '../kernels/strided.js';
import { permute, transpose } from '../kernels/transpose.js';
import { dtypeAttr } from './elementwise.js';

function nonNegative(v: AttrValue): string | undefined {
  return (v as readonly number[]).every((d) => d >= 0) ? undefined : 'sizes must be ≥ 0';
}

/** The kernel of ops that only relabel the shape: a copy of the data under the inferred shape. */
function relabel(op: string) {
  return ([x]: readonly (NDArray | undefined)[], ctx: KernelContext): NDArray[] => [{ dtype: x!.dtype, shape: staticShape(ctx.outputTypes[0]!.shape, op), data: x!.data.slice() }];
}

const CONSTANT: OpDef = {
  name: 'Constant',
  doc: 'A tensor whose data the network holds (a weight or literal).',
  inputs: [],
  outputs: ['output'],
  attributes: {
    dtype: dtypeAttr('element type of the data'),
    shape: { kind: 'ints', check: nonNegative, doc: 'the shape of the data' },
  },
  infer: (_, attrs) => [{ dtype: attrs['dtype'] as DType, shape: [...(attrs['shape'] as number[])] }],
  // Free here: the ops that read the data count its bytes.
  cost: () => costFacts(0, [], []),
};

function transposePerm(rank: number, perm: AttrValue): number[] {
  if (perm === null) return Array.from({ length: rank }, (_, i) => rank - 1 - i);
  const p = perm as number[];
  const seen = new Set(p);
  if (p.length !== rank || seen.size !== rank || p.some((a) => a < 0 || a >= rank)) {
    throw new ShapeError(`Transpose: perm [${p.join(', ')}] is not a permutation of the ${rank} axes`, {
      where: 'Transpose',
      hint: `list each of 0..${rank - 1} exactly once`,
    });
  }
  return p;
}

const TRANSPOSE: OpDef = {
  name: 'Transpose',
  doc: 'Permutes axes: output axis i is input axis perm[i] (reversed when perm is absent).',
  inputs: [{ name: 'data' }],
  outputs: ['transposed'],
  attributes: { perm: { kind: 'ints', default: null, doc: 'a permutation of the axes; absent reverses them' } },
  infer: ([x], attrs) => [{ dtype: x!.dtype, shape: permute(x!.shape, transposePerm(x!.shape.length, attrs['perm']!)) }],
  cost: movementCost,
  kernel: ([x], ctx) => [transpose(x!, transposePerm(x!.shape.length, ctx.attrs['perm']!))],
};

/** Reshape's target: 0 copies the input dim at that position, one -1 takes what is left. */
function reshapeShape(input: Shape, target: readonly number[]): Dim[] {
  let inferred = -1;
  const out: Dim[] = target.map((t, i) => {
    if (t === 0) {
      if (i >= input.length) {
        throw new ShapeError(`Reshape: 0 at position ${i} copies an input dim, but the input ${formatShape(input)} has rank ${input.length}`, {
          where: 'Reshape',
        });
      }
      return input[i]!;
    }
    if (t === -1) {
      if (inferred >= 0) throw new ShapeError(`Reshape: shape [${target.join(', ')}] has more than one -1`, { where: 'Reshape', hint: 'infer at most one dim' });
      inferred = i;
      return 1;
    }
    if (t < 0) throw new ShapeError(`Reshape: shape [${target.join(', ')}] has the negative size ${t}`, { where: 'Reshape' });
    return t;
  });
  const total = mulDims(input);
  const known = mulDims(out);
  const rest = inferred >= 0 ? divDims(total, known) : undefined;
  if (inferred >= 0 ? rest === undefined : known !== total) {
    throw new ShapeError(
      `Reshape: cannot reshape ${formatShape(input)} (${total} elements) to [${target.join(', ')}] (${known} elements${inferred >= 0 ? ' times the -1 dim' : ''})`,
      { where: 'Reshape', hint: 'the new shape must hold the same number of elements; 0 copies an input dim and -1 infers one' },
    );
  }
  if (rest !== undefined) out[inferred] = rest;
  return out;
}

const RESHAPE: OpDef = {
  name: 'Reshape',
  doc: 'Same data under a new shape; 0 copies an input dim and -1 is inferred.',
  inputs: [{ name: 'data' }],
  outputs: ['reshaped'],
  attributes: { shape: { kind: 'ints', doc: 'the new shape; 0 copies the input dim, -1 is inferred' } },
  infer: ([x], attrs) => [{ dtype: x!.dtype, shape: reshapeShape(x!.shape, attrs['shape'] as number[]) }],
  cost: movementCost,
  kernel: relabel('Reshape'),
};

const FLATTEN: OpDef = {
  name: 'Flatten',
  doc: 'Reshapes to 2-D: the dims before axis multiply into rows, the rest into columns.',
  inputs: [{ name: 'input' }],
  outputs: ['output'],
  attributes: { axis: { kind: 'int', default: 1, doc: 'in [-rank, rank]' } },
  infer([x], attrs) {
    const rank = x!.shape.length;
    const axis = attrs['axis'] as number;
    const a = axis < 0 ? axis + rank : axis;
    if (a < 0 || a > rank) {
      throw new ShapeError(`Flatten: axis ${axis} is out of range for rank ${rank}`, { where: 'Flatten', hint: `use an axis in [${-rank}, ${rank}]` });
    }
    return [{ dtype: x!.dtype, shape: [mulDims(x!.shape.slice(0, a)), mulDims(x!.shape.slice(a))] }];
  },
  cost: movementCost,
  kernel: relabel('Flatten'),
};

const CONCAT: OpDef = {
  name: 'Concat',
  doc: 'Joins its inputs along axis; all other dims must agree.',
  inputs: [{ name: 'inputs', variadic: true, minCount: 1 }],
  outputs: ['concat_result'],
  attributes: { axis: { kind: 'int', doc: 'the axis to join along' } },
  infer(inputs, attrs) {
    const ts = inputs as TensorType[];
    const dtype = expectSameDtype(
      'Concat',
      ts.map((t, i) => [`inputs[${i}]`, t] as const),
    );
    const first = ts[0]!.shape;
    const axis = normalizeAxis(attrs['axis'] as number, first.length, 'Concat');
    for (const t of ts) {
      if (t.shape.length !== first.length || t.shape.some((d, i) => i !== axis && !sameDim(d, first[i]!))) {
        throw new ShapeError(`Concat: shapes ${formatShape(first)} and ${formatShape(t.shape)} differ outside axis ${axis}`, {
          where: 'Concat',
          hint: 'only the concatenation axis may differ',
        });
      }
    }
    const joined = addDims(ts.map((t) => t.shape[axis]!));
    if (joined === undefined) {
      throw new ShapeError(`Concat: cannot add the sizes ${ts.map((t) => t.shape[axis]).join(' + ')} along axis ${axis}`, {
        where: 'Concat',
        hint: 'symbolic sizes add only when they are multiples of the same symbol; bind them to numbers',
      });
    }
    return [{ dtype, shape: first.map((d, i) => (i === axis ? joined : d)) }];
  },
  cost: movementCost,
  kernel(inputs, ctx) {
    const shape = staticShape(ctx.outputTypes[0]!.shape, 'Concat');
    const axis = normalizeAxis(ctx.attrs['axis'] as number, shape.length, 'Concat');
    const { outer, size, inner } = aroundAxis(shape, axis);
    const out = allocData(inputs[0]!.dtype, outer * size * inner);
    let at = 0;
    for (const x of inputs as NDArray[]) {
      const chunk = x.shape[axis]! * inner;
      for (let o = 0; o < outer; o++) out.set(x.data.subarray(o * chunk, (o + 1) * chunk), (o * size + at) * inner);
      at += x.shape[axis]!;
    }
    return [{ dtype: inputs[0]!.dtype, shape, data: out }];
  },
};

/** Split's part sizes: the `split` list, or `numOutputs` parts of ceil(dim / n) with a smaller last one. */
function splitSizes(dim: Dim, attrs: Attrs): Dim[] {
  const split = attrs['split'] as number[] | null;
  if (split) {
    if (addDims(split) !== dim) {
      throw new ShapeError(`Split: sizes [${split.join(', ')}] add up to ${addDims(split)}, but the axis has size ${dim}`, {
        where: 'Split',
        hint: 'the sizes must add up to the size of the split axis',
      });
    }
    return split;
  }
  const n = attrs['numOutputs'] as number;
  if (typeof dim === 'string') {
    const part = divDims(dim, n);
    if (part === undefined) {
      throw new ShapeError(`Split: the symbolic size ${dim} does not divide into ${n} equal parts`, {
        where: 'Split',
        hint: 'give explicit split sizes, or bind the dimension to a number',
      });
    }
    return new Array<Dim>(n).fill(part);
  }
  const part = Math.ceil(dim / n);
  const last = dim - part * (n - 1);
  // onnxruntime refuses more parts than the axis has elements.
  if (last < 0 || n > dim) {
    throw new ShapeError(`Split: size ${dim} does not split into ${n} parts of ${part}`, { where: 'Split', hint: 'give explicit split sizes' });
  }
  return [...new Array<number>(n - 1).fill(part), last];
}

function splitCount(attrs: Attrs): number {
  const split = attrs['split'] as number[] | null;
  return split ? split.length : (attrs['numOutputs'] as number);
}

const SPLIT: OpDef = {
  name: 'Split',
  doc: 'Cuts its input along axis into parts of the given sizes, or into numOutputs near-equal parts.',
  inputs: [{ name: 'input' }],
  outputs: ['output0', 'output1'],
  outputCount: splitCount,
  attributes: {
    axis: { kind: 'int', default: 0 },
    split: { kind: 'ints', default: null, check: nonNegative, doc: 'the size of each part' },
    numOutputs: { kind: 'int', default: 2, check: (v) => ((v as number) >= 1 ? undefined : 'must be ≥ 1'), doc: 'parts when split is absent' },
  },
  infer([x], attrs) {
    const axis = normalizeAxis(attrs['axis'] as number, x!.shape.length, 'Split');
    return splitSizes(x!.shape[axis]!, attrs).map((size) => ({ dtype: x!.dtype, shape: x!.shape.map((d, i) => (i === axis ? size : d)) }));
  },
  cost: movementCost,
  kernel([x], ctx) {
    const axis = normalizeAxis(ctx.attrs['axis'] as number, x!.shape.length, 'Split');
    const { outer, size, inner } = aroundAxis(x!.shape, axis);
    let at = 0;
    return ctx.outputTypes.map((t) => {
      const shape = staticShape(t.shape, 'Split');
      const chunk = shape[axis]! * inner;
      const out = allocData(x!.dtype, outer * chunk);
      for (let o = 0; o < outer; o++) out.set(x!.data.subarray((o * size + at) * inner, (o * size + at) * inner + chunk), o * chunk);
      at += shape[axis]!;
      return { dtype: x!.dtype, shape, data: out };
    });
  },
};

/** One sliced axis: ONNX's starts/ends/steps resolved against the axis size. */
interface SliceAxis {
  readonly axis: number;
  readonly start: number;
  readonly end: number;
  readonly step: number;
}

function slicePlan(rank: number, attrs: Attrs): SliceAxis[] {
  const starts = attrs['starts'] as number[];
  const ends = attrs['ends'] as number[];
  const axes = (attrs['axes'] as number[] | null) ?? starts.map((_, i) => i);
  const steps = (attrs['steps'] as number[] | null) ?? starts.map(() => 1);
  if (ends.length !== starts.length || axes.length !== starts.length || steps.length !== starts.length) {
    throw new ShapeError(`Slice: starts, ends, axes and steps must have the same length, got ${starts.length}, ${ends.length}, ${axes.length}, ${steps.length}`, {
      where: 'Slice',
    });
  }
  if (steps.includes(0)) throw new ShapeError('Slice: a step is 0', { where: 'Slice', hint: 'steps must be nonzero' });
  return normalizeAxes(axes, rank, 'Slice').map((axis, i) => ({ axis, start: starts[i]!, end: ends[i]!, step: steps[i]! }));
}

/** Clamps a slice to an axis of `dim` elements (negative indices count from the end); returns first index and count. */
function sliceRange(dim: number, s: SliceAxis): { first: number; count: number } {
  const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);
  const start = s.start < 0 ? s.start + dim : s.start;
  const end = s.end < 0 ? s.end + dim : s.end;
  const [first, last] = s.step > 0 ? [clamp(start, 0, dim), clamp(end, 0, dim)] : [clamp(start, 0, dim - 1), clamp(end, -1, dim - 1)];
  return { first, count: Math.max(0, Math.ceil((last - first) / s.step)) };
}

/** Ends at least this large reach past any axis (exporters write INT32_MAX or INT64_MAX). */
const UNBOUNDED = 2 ** 31 - 1;

function slicedDim(dim: Dim, s: SliceAxis): Dim {
  if (typeof dim === 'number') return sliceRange(dim, s).count;
  if (s.start === 0 && s.step === 1 && s.end >= UNBOUNDED) return dim;
  throw new ShapeError(`Slice: cannot slice the symbolic size ${dim} of axis ${s.axis} with start ${s.start}, end ${s.end}, step ${s.step}`, {
    where: 'Slice',
    hint: 'bind the dimension to a number, or slice the whole axis',
  });
}

const SLICE: OpDef = {
  name: 'Slice',
  doc: 'Takes starts..ends by steps along the given axes (ONNX clamping, negative indices from the end).',
  inputs: [{ name: 'data' }],
  outputs: ['output'],
  attributes: {
    starts: { kind: 'ints' },
    ends: { kind: 'ints', doc: 'exclusive; values past the end are clamped' },
    axes: { kind: 'ints', default: null, doc: 'absent: the first len(starts) axes' },
    steps: { kind: 'ints', default: null, doc: 'absent: all 1' },
  },
  infer([x], attrs) {
    const shape = [...x!.shape];
    for (const s of slicePlan(shape.length, attrs)) shape[s.axis] = slicedDim(shape[s.axis]!, s);
    return [{ dtype: x!.dtype, shape }];
  },
  // Reads only the elements it keeps.
  cost: (_, outputs) => costFacts(0, outputs, outputs),
  kernel([x], ctx) {
    const shape = [...x!.shape];
    const strides = stridesOf(x!.shape);
    let base = 0;
    for (const s of slicePlan(shape.length, ctx.attrs)) {
      const { first, count } = sliceRange(shape[s.axis]!, s);
      base += first * strides[s.axis]!;
      strides[s.axis] = strides[s.axis]! * s.step;
      shape[s.axis] = count;
    }
    return [copyStrided(x!, shape, strides, base)];
  },
};

const GATHER: OpDef = {
  name: 'Gather',
  doc: 'Picks slices of data along axis by integer indices (negative ones count from the end).',
  inputs: [{ name: 'data' }, { name: 'indices' }],
  outputs: ['output'],
  attributes: { axis: { kind: 'int', default: 0 } },
  infer([data, indices], attrs) {
    expectDtype('Gather', 'indices', indices!, INT_DTYPES);
    const axis = normalizeAxis(attrs['axis'] as number, data!.shape.length, 'Gather');
    return [{ dtype: data!.dtype, shape: [...data!.shape.slice(0, axis), ...indices!.shape, ...data!.shape.slice(axis + 1)] }];
  },
  // Reads the indices and only the slices it picks.
  cost: ([, indices], outputs) => costFacts(0, [indices, ...outputs], outputs),
  kernel: ([data, indices], ctx) => [gather(data!, indices!, normalizeAxis(ctx.attrs['axis'] as number, data!.shape.length, 'Gather'))],
};

const UNSQUEEZE: OpDef = {
  name: 'Unsqueeze',
  doc: 'Inserts size-1 dims at the given axes of the output.',
  inputs: [{ name: 'data' }],
  outputs: ['expanded'],
  attributes: { axes: { kind: 'ints', doc: 'positions in the output, which has rank + len(axes) dims' } },
  infer([x], attrs) {
    const axes = attrs['axes'] as number[];
    const rank = x!.shape.length + axes.length;
    const at = new Set(normalizeAxes(axes, rank, 'Unsqueeze'));
    const rest = x!.shape[Symbol.iterator]();
    const shape = Array.from({ length: rank }, (_, i): Dim => (at.has(i) ? 1 : rest.next().value!));
    return [{ dtype: x!.dtype, shape }];
  },
  cost: movementCost,
  kernel: relabel('Unsqueeze'),
};

const SQUEEZE: OpDef = {
  name: 'Squeeze',
  doc: 'Removes the given size-1 dims, or every dim known to be 1 when axes is absent.',
  inputs: [{ name: 'data' }],
  outputs: ['squeezed'],
  attributes: { axes: { kind: 'ints', default: null } },
  infer([x], attrs) {
    const shape = x!.shape;
    const given = attrs['axes'] as number[] | null;
    const axes = given ? normalizeAxes(given, shape.length, 'Squeeze') : shape.flatMap((d, i) => (d === 1 ? [i] : []));
    for (const a of axes) {
      if (shape[a] !== 1) {
        throw new ShapeError(`Squeeze: axis ${a} of ${formatShape(shape)} has size ${shape[a]}, not 1`, {
          where: 'Squeeze',
          hint: 'squeeze only size-1 axes; Reshape can drop a symbolic dim known to be 1',
        });
      }
    }
    return [{ dtype: x!.dtype, shape: shape.filter((_, i) => !axes.includes(i)) }];
  },
  cost: movementCost,
  kernel: relabel('Squeeze'),
};

const EXPAND: OpDef = {
  name: 'Expand',
  doc: 'Broadcasts the input against shape (both ways, as numpy broadcasting does).',
  inputs: [{ name: 'input' }],
  outputs: ['output'],
  attributes: { shape: { kind: 'ints', check: nonNegative } },
  infer: ([x], attrs) => [{ dtype: x!.dtype, shape: broadcastShapes([x!.shape, attrs['shape'] as number[]], 'Expand') }],
  cost: movementCost,
  kernel: ([x], ctx) => [broadcastTo(x!, staticShape(ctx.outputTypes[0]!.shape, 'Expand'))],
};

const EMBEDDING: OpDef = {
  name: 'Embedding',
  doc: 'Looks up rows of table[V, D] by integer indices: output [...indices.shape, D].',
  inputs: [{ name: 'indices' }, { name: 'table' }],
  outputs: ['output'],
  attributes: {},
  infer([indices, table]) {
    expectDtype('Embedding', 'indices', indices!, INT_DTYPES);
    if (table!.shape.length !== 2) {
      throw new ShapeError(`Embedding: table must be [V, D], got ${formatShape(table!.shape)}`, { where: 'Embedding', hint: 'reshape the table to 2-D' });
    }
    return [{ dtype: table!.dtype, shape: [...indices!.shape, table!.shape[1]!] }];
  },
  // Reads the indices and only the rows it picks.
  cost: ([indices], outputs) => costFacts(0, [indices, ...outputs], outputs),
  kernel: ([indices, table]) => [gather(table!, indices!, 0, 'Embedding')],
};

export const LAYOUT_OPS: OpDef[] = [CONSTANT, TRANSPOSE, RESHAPE, FLATTEN, CONCAT, SPLIT, SLICE, GATHER, UNSQUEEZE, SQUEEZE, EXPAND, EMBEDDING];
