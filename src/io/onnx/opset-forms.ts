/**
 * The forms of registry ops that differ by the opset written (ONNX's docs/Changelog.md): axes,
 * split sizes and slice bounds as attributes before they became inputs, no negative axes before
 * opset 11, Softmax's 2-D coercion before 13, Gemm's required C before 11, pooling's ceil_mode and
 * dilations only from 10. Each writer emits the form of `e.w.opset`, or refuses one that opset
 * cannot express exactly.
 */
import type { NodeProto } from 'onnx-buf';
import type { Dim } from '../../ops/types.js';
import type { Emit } from './emit.js';
import { dtypeOf, inputType, temp } from './emit.js';
import { OnnxExportError } from './errors.js';
import type { OnnxAttr } from './graph-writer.js';

type Attrs = Record<string, OnnxAttr | undefined>;

/** Refuses a form that the opset written has no way to say. */
export function refuse(e: Emit, what: string, since: number): never {
  throw new OnnxExportError(`${what} needs opset ${since} or later; writing opset ${e.w.opset}`, {
    where: e.layer.name,
    hint: `write opset ${since} or later (--opset ${since})`,
  });
}

/** Negative axes count from the back only from opset 11; before, they are written as positions. */
export function axisAt(e: Emit, axis: number, rank: number): number {
  return e.w.opset < 11 && axis < 0 ? axis + rank : axis;
}

/** Axes as an input from `since` on and as the `axes` attribute before. `rank` is what negative axes count from. */
export function writeWithAxes(e: Emit, opType: string, since: number, axes: readonly number[] | null, rank: number, attrs: Attrs = {}): void {
  const x = e.ins[0]!;
  const at = axes?.map((v) => axisAt(e, v, rank));
  if (e.w.opset >= since) e.w.node(opType, at ? [x, e.w.ints(at)] : [x], e.outs, attrs);
  else e.w.node(opType, [x], e.outs, { ...attrs, axes: at });
}

/**
 * Split sizes: the `split` attribute before 13, an input from 13, `num_outputs` for equal parts from 18.
 * Before 18, parts of a symbolic size are left unsized: ONNX then cuts equal parts, which is what
 * the registry's symbolic split always is (it refuses a symbol that does not divide evenly).
 */
export function writeSplit(e: Emit, split: readonly number[] | null, axis: number, numOutputs: number): void {
  const rank = inputType(e, 0).shape.length;
  const at = axisAt(e, axis, rank);
  const x = e.ins[0]!;
  if (!split && e.w.opset >= 18) {
    e.w.node('Split', [x], e.outs, { axis: at, num_outputs: numOutputs });
    return;
  }
  // Equal parts before 18 are spelled as the sizes of the outputs, which the layer knows when they are numbers.
  const sizes = split ?? staticSizes(e.layer.outputs.map((t) => t.shape[axis < 0 ? axis + rank : axis]!));
  if (!sizes) e.w.node('Split', [x], e.outs, { axis: at });
  else if (e.w.opset >= 13) e.w.node('Split', [x, e.w.ints(sizes)], e.outs, { axis: at });
  else e.w.node('Split', [x], e.outs, { axis: at, split: sizes });
}

function staticSizes(dims: Dim[]): number[] | undefined {
  return dims.every((d): d is number => typeof d === 'number') ? dims : undefined;
}

/** Slice bounds: attributes without steps before 10, inputs from 10. */
export function writeSlice(e: Emit, starts: readonly number[], ends: readonly number[], axes: readonly number[] | null, steps: readonly number[] | null): void {
  const x = e.ins[0]!;
  const rank = inputType(e, 0).shape.length;
  const at = axes?.map((v) => axisAt(e, v, rank)) ?? null;
  if (e.w.opset < 10) {
    if (steps?.some((s) => s !== 1)) refuse(e, 'Slice with steps other than 1', 10);
    e.w.node('Slice', [x], e.outs, { starts, ends, axes: at ?? undefined });
    return;
  }
  const ins = [x, e.w.ints(starts), e.w.ints(ends)];
  if (at || steps) ins.push(e.w.ints(at ?? starts.map((_, i) => i)));
  if (steps) ins.push(e.w.ints(steps));
  e.w.node('Slice', ins, e.outs);
}

/**
 * Softmax over one axis. Before opset 13 ONNX's Softmax flattens to 2-D at `axis`, which is the
 * same only for the last axis; another axis is moved last and back around it.
 */
export function writeSoftmax(e: Emit, raw: number): void {
  const rank = inputType(e, 0).shape.length;
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

/** Gemm's C is required before opset 11; a zero scalar broadcasts to the same result. */
export function gemmInputs(e: Emit, ins: readonly string[]): string[] {
  if (ins[2] || e.w.opset >= 11) return ins[2] ? [...ins] : ins.slice(0, 2);
  return [ins[0]!, ins[1]!, e.w.scalar(dtypeOf(e), 0)];
}

/** ceil_mode and dilations exist from opset 10; before, only their defaults can be written (by leaving them out). */
export function poolVersionAttrs(e: Emit, ceilMode: boolean, dilations: readonly number[] | null | undefined): Attrs {
  if (e.w.opset >= 10) return { ceil_mode: ceilMode ? 1 : 0, dilations: dilations ?? undefined };
  if (ceilMode) refuse(e, 'ceil_mode', 10);
  if (dilations?.some((d) => d !== 1)) refuse(e, 'dilations', 10);
  return {};
}

/** Attributes that became inputs: the attribute, the input it became and the version since which it is one. */
const MOVED: Readonly<Record<string, { attr: string; input: number; since: number }>> = {
  Split: { attr: 'split', input: 1, since: 13 },
  Squeeze: { attr: 'axes', input: 1, since: 13 },
  Unsqueeze: { attr: 'axes', input: 1, since: 13 },
  ReduceSum: { attr: 'axes', input: 1, since: 13 },
  Slice: { attr: 'starts', input: 1, since: 10 },
  Pad: { attr: 'pads', input: 1, since: 11 },
  Clip: { attr: 'min', input: 1, since: 11 },
  TopK: { attr: 'k', input: 1, since: 10 },
  ...Object.fromEntries(
    ['ReduceMean', 'ReduceMax', 'ReduceMin', 'ReduceProd', 'ReduceL1', 'ReduceL2', 'ReduceLogSum', 'ReduceLogSumExp', 'ReduceSumSquare'].map((op) => [
      op,
      { attr: 'axes', input: 1, since: 18 },
    ]),
  ),
};

/**
 * Why a node netsat wrote is in the form of another opset than `opset`, or undefined: the last
 * guard, for writers (the attention decompositions, say) that spell one opset's form.
 */
export function misplacedForm(node: NodeProto, opset: number): string | undefined {
  const moved = MOVED[node.opType];
  if (!moved) return undefined;
  if (opset >= moved.since && node.attribute.some((a) => a.name === moved.attr)) return `${node.opType} takes ${moved.attr} as an input from opset ${moved.since}`;
  if (opset < moved.since && node.input[moved.input]) return `${node.opType} takes ${moved.attr} as an attribute before opset ${moved.since}`;
  return undefined;
}
