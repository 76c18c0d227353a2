/**
 * Type rules of the default domain's shape ops: Shape, Size, ConstantOfShape, Range, Reshape,
 * Flatten, (Un)Squeeze, Expand, Tile, Pad, Slice, Concat, Split, Transpose, DepthToSpace and
 * SpaceToDepth. A shape given by a constant input is computed from its value; one computed at run
 * time gives fresh dims where the rank is still known. Spec: onnx/defs/tensor/defs.cc,
 * onnx/defs/generator/defs.cc (ConstantOfShape, Range).
 */
import { ShapeError } from '../../errors.js';
import { addDims, divDims, mulDims } from '../../ops/shape.js';
import type { Dim, TensorType } from '../../ops/types.js';
import { dtypeFromOnnx } from './dtypes.js';
import { axisOf, broadcast, constantInts, freshShape, int, ints, typed } from './type-rule.js';
import type { Rule, StandardNode } from './type-rule.js';

/** The length of a 1-D shape input, when static: the rank of what it describes. */
function lengthOf(t: TensorType | undefined): number | undefined {
  const d = t?.shape[0];
  return typeof d === 'number' ? d : undefined;
}

/** The sum of dims, or a fresh dim where it has no closed form (`a + b`). */
function sumOr(n: StandardNode, dims: readonly Dim[], what: string): Dim {
  return addDims(dims) ?? n.fresh(0, what);
}

const shape: Rule = (n) => {
  const x = n.input(0);
  if (!x) return [];
  const rank = x.shape.length;
  const clamp = (v: number) => Math.min(Math.max(v < 0 ? v + rank : v, 0), rank);
  return [typed('int64', [Math.max(0, clamp(int(n, 'end', rank)) - clamp(int(n, 'start', 0)))])];
};

const size: Rule = () => [typed('int64', [])];

/** ConstantOfShape: the shape input's values (fresh dims when computed), the value attribute's dtype. */
const constantOfShape: Rule = (n) => {
  const value = n.attr('value')?.t;
  const dtype = value ? dtypeFromOnnx(value.dataType, `${n.name} attribute value`) : 'float32';
  const dims = constantInts(n, 0);
  if (dims) return [typed(dtype, dims)];
  const rank = lengthOf(n.input(0));
  return [rank === undefined ? undefined : typed(dtype, freshShape(n, 0, rank))];
};

/** Range: max(ceil((limit - start) / delta), 0) elements when the three are constants. */
const range: Rule = (n) => {
  const start = n.input(0);
  if (!start) return [];
  const [s, l, d] = [n.constant(0)?.[0], n.constant(1)?.[0], n.constant(2)?.[0]];
  const known = s !== undefined && l !== undefined && d !== undefined && d !== 0;
  return [typed(start.dtype, [known ? Math.max(Math.ceil((l - s) / d), 0) : n.fresh(0, 'n')])];
};

/** Reshape to constant dims: 0 copies the input dim (unless allowzero), -1 takes what is left. */
function reshaped(n: StandardNode, x: TensorType, target: readonly number[]): Dim[] {
  const allowZero = int(n, 'allowzero', 0) === 1;
  const dims: Dim[] = target.map((d, i) => (d === 0 && !allowZero ? (x.shape[i] ?? 0) : d));
  const unknown = dims.indexOf(-1);
  if (unknown < 0) return dims;
  const known = mulDims(dims.filter((_, i) => i !== unknown));
  dims[unknown] = divDims(mulDims(x.shape), known) ?? n.fresh(0, `d${unknown}`);
  return dims;
}

const reshape: Rule = (n) => {
  const x = n.input(0);
  if (!x) return [];
  const target = constantInts(n, 1);
  if (target) return [typed(x.dtype, reshaped(n, x, target))];
  const rank = lengthOf(n.input(1));
  return [rank === undefined ? undefined : typed(x.dtype, freshShape(n, 0, rank))];
};

const flatten: Rule = (n) => {
  const x = n.input(0);
  if (!x) return [];
  const rank = x.shape.length;
  const axis = int(n, 'axis', 1);
  const at = axis === rank ? rank : axisOf(n, axis, rank);
  return [typed(x.dtype, [mulDims(x.shape.slice(0, at)), mulDims(x.shape.slice(at))])];
};

/** Axes of (Un)Squeeze: an attribute before opset 13, an input since; null when not given. */
function squeezeAxes(n: StandardNode): number[] | null | undefined {
  if (n.opset < 13) return ints(n, 'axes') ?? null;
  return n.input(1) ? constantInts(n, 1) : null;
}

const squeeze: Rule = (n) => {
  const x = n.input(0);
  if (!x) return [];
  const axes = squeezeAxes(n);
  if (axes === undefined) return [];
  if (axes === null) {
    // Without axes every 1 goes; a symbolic dim might be 1, so the result is unknown.
    return [
      x.shape.every((d) => typeof d === 'number')
        ? typed(
            x.dtype,
            x.shape.filter((d) => d !== 1),
          )
        : undefined,
    ];
  }
  const gone = new Set(axes.map((a) => axisOf(n, a, x.shape.length)));
  return [
    typed(
      x.dtype,
      x.shape.filter((_, i) => !gone.has(i)),
    ),
  ];
};

const unsqueeze: Rule = (n) => {
  const x = n.input(0);
  const axes = squeezeAxes(n);
  if (!x || !axes) return [];
  const rank = x.shape.length + axes.length;
  const ones = new Set(axes.map((a) => axisOf(n, a, rank)));
  const rest = [...x.shape];
  return [
    typed(
      x.dtype,
      Array.from({ length: rank }, (_, i) => (ones.has(i) ? 1 : rest.shift()!)),
    ),
  ];
};

/** Expand: the input broadcast against the shape input's values (fresh dims when computed). */
const expand: Rule = (n) => {
  const x = n.input(0);
  if (!x) return [];
  const target = constantInts(n, 1);
  if (target) return [typed(x.dtype, broadcast(n, [x.shape, target]))];
  const rank = lengthOf(n.input(1));
  return [rank === undefined ? undefined : typed(x.dtype, freshShape(n, 0, Math.max(rank, x.shape.length)))];
};

const tile: Rule = (n) => {
  const x = n.input(0);
  if (!x) return [];
  const repeats = constantInts(n, 1);
  return [typed(x.dtype, repeats ? x.shape.map((d, i) => mulDims([d, repeats[i] ?? 1])) : freshShape(n, 0, x.shape.length))];
};

/** Pad: pads an attribute before opset 11, an input since (with optional axes from opset 18). */
const pad: Rule = (n) => {
  const x = n.input(0);
  if (!x) return [];
  const rank = x.shape.length;
  const pads = n.opset < 11 ? (ints(n, 'pads') ?? ints(n, 'paddings')) : constantInts(n, 1);
  const axesGiven = n.opset >= 18 && n.input(3) !== undefined;
  const axes = axesGiven ? constantInts(n, 3) : x.shape.map((_, i) => i);
  if (!pads || !axes) return [typed(x.dtype, freshShape(n, 0, rank))];
  const dims = [...x.shape];
  axes.forEach((a, j) => {
    const i = axisOf(n, a, rank);
    dims[i] = sumOr(n, [dims[i]!, pads[j]!, pads[j + axes.length]!], `d${i}`);
  });
  return [typed(x.dtype, dims)];
};

/** One sliced dim of a static size, as numpy clamps it. */
function slicedLength(dim: number, start: number, end: number, step: number): number {
  const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v < 0 ? v + dim : v, lo), hi);
  const [s, e] = step > 0 ? [clamp(start, 0, dim), clamp(end, 0, dim)] : [clamp(start, -1, dim - 1), clamp(end, -1, dim - 1)];
  return Math.max(0, Math.ceil((e - s) / step));
}

/** Slice's starts, ends, axes and steps: attributes before opset 10, inputs since. */
function sliceParams(n: StandardNode): [number[], number[], number[] | undefined, number[] | undefined] | undefined {
  if (n.opset < 10) {
    const [starts, ends] = [ints(n, 'starts'), ints(n, 'ends')];
    return starts && ends ? [starts, ends, ints(n, 'axes'), undefined] : undefined;
  }
  const [starts, ends] = [constantInts(n, 1), constantInts(n, 2)];
  const axes = n.input(3) ? constantInts(n, 3) : undefined;
  const steps = n.input(4) ? constantInts(n, 4) : undefined;
  if (!starts || !ends || (n.input(3) && !axes) || (n.input(4) && !steps)) return undefined;
  return [starts, ends, axes, steps];
}

const slice: Rule = (n) => {
  const x = n.input(0);
  if (!x) return [];
  const params = sliceParams(n);
  if (!params) return [typed(x.dtype, freshShape(n, 0, x.shape.length))];
  const [starts, ends, axes, steps] = params;
  const dims = [...x.shape];
  starts.forEach((start, j) => {
    const i = axisOf(n, axes?.[j] ?? j, x.shape.length);
    const [end, step, d] = [ends[j]!, steps?.[j] ?? 1, dims[i]!];
    const whole = start === 0 && step === 1 && end >= 2 ** 31 - 1;
    dims[i] = typeof d === 'number' ? slicedLength(d, start, end, step) : whole ? d : n.fresh(0, `d${i}`);
  });
  return [typed(x.dtype, dims)];
};

const concat: Rule = (n) => {
  const inputs = Array.from({ length: n.inputCount }, (_, i) => n.input(i)).filter((t): t is TensorType => t !== undefined);
  const first = inputs[0];
  if (!first) return [];
  const axis = axisOf(n, int(n, 'axis', 0), first.shape.length);
  if (inputs.some((t) => t.shape.length !== first.shape.length)) {
    throw new ShapeError(`Concat's inputs have ranks ${inputs.map((t) => t.shape.length).join(', ')}`, { where: n.name, hint: 'Concat joins tensors of one rank' });
  }
  const dims = [...first.shape];
  dims[axis] = sumOr(
    n,
    inputs.map((t) => t.shape[axis]!),
    'concat',
  );
  return [typed(first.dtype, dims)];
};

/** Split sizes: the split attribute (before 13) or input, else equal parts (the last smaller from opset 18). */
function splitSizes(n: StandardNode, dim: Dim): Dim[] | undefined {
  const given = n.opset < 13 ? ints(n, 'split') : n.input(1) ? constantInts(n, 1) : undefined;
  if (given) return given;
  if (n.opset >= 13 && n.input(1)) return undefined;
  const parts = n.outputs;
  if (typeof dim !== 'number') return Array.from({ length: parts }, () => divDims(dim, parts) ?? n.fresh(0, 'part'));
  const each = Math.ceil(dim / parts);
  return Array.from({ length: parts }, (_, i) => (i < parts - 1 ? each : dim - each * (parts - 1)));
}

const split: Rule = (n) => {
  const x = n.input(0);
  if (!x) return [];
  const axis = axisOf(n, int(n, 'axis', 0), x.shape.length);
  const sizes = splitSizes(n, x.shape[axis]!);
  return Array.from({ length: n.outputs }, (_, o) => {
    const dims = [...x.shape];
    dims[axis] = sizes?.[o] ?? n.fresh(o, 'part');
    return typed(x.dtype, dims);
  });
};

const transpose: Rule = (n) => {
  const x = n.input(0);
  if (!x) return [];
  const perm = ints(n, 'perm') ?? x.shape.map((_, i) => x.shape.length - 1 - i);
  return [
    typed(
      x.dtype,
      perm.map((p) => x.shape[axisOf(n, p, x.shape.length)]!),
    ),
  ];
};

/** DepthToSpace / SpaceToDepth: channels divided (multiplied) by b², height and width multiplied (divided) by b. */
function blocks(toSpace: boolean): Rule {
  return (n) => {
    const x = n.input(0);
    if (x?.shape.length !== 4) return [];
    const b = int(n, 'blocksize', 1);
    const [batch, c, h, w] = x.shape as [Dim, Dim, Dim, Dim];
    const down = (d: Dim, k: number, what: string) => divDims(d, k) ?? n.fresh(0, what);
    return [typed(x.dtype, toSpace ? [batch, down(c, b * b, 'c'), mulDims([h, b]), mulDims([w, b])] : [batch, mulDims([c, b * b]), down(h, b, 'h'), down(w, b, 'w')])];
  };
}

export const SHAPE_RULES: Readonly<Record<string, Rule>> = {
  Shape: shape,
  Size: size,
  ConstantOfShape: constantOfShape,
  Range: range,
  Reshape: reshape,
  Flatten: flatten,
  Squeeze: squeeze,
  Unsqueeze: unsqueeze,
  Expand: expand,
  Tile: tile,
  Pad: pad,
  Slice: slice,
  Concat: concat,
  Split: split,
  Transpose: transpose,
  DepthToSpace: blocks(true),
  SpaceToDepth: blocks(false),
};
