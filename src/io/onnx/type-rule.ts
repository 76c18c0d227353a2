/**
 * The vocabulary of the default domain's type rules (standard-types.ts and the types-*.ts files by op
 * family): what a rule sees of a node, attribute readers, fresh symbolic dims and the broadcast
 * and axis helpers every family shares. The rules follow ONNX's TypeAndShapeInferenceFunction of
 * each op (onnx/defs/<family>/defs.cc), so an op netsat does not model is carried with exact types.
 */
import { ShapeError } from '../../errors.js';
import type { Dim, DType, Shape, TensorType } from '../../ops/types.js';
import type { ContribNode } from './contrib-types.js';
import { MAX_RANK } from './dims.js';
import { dtypeFromOnnx } from './dtypes.js';

/** A node as a default-domain rule sees it: a contrib view plus the opset and names for fresh dims. */
export interface StandardNode extends ContribNode {
  readonly opset: number;
  /** How many inputs the node names, absent optional ones included (variadic ops count them all). */
  readonly inputCount: number;
  /** A dim decided by data at run time: a symbol unique to output `output` and `what`. */
  fresh(output: number, what: string): Dim;
}

/** Output types in order; undefined for an output the rule cannot type (then value_info must). */
export type Rule = (n: StandardNode) => (TensorType | undefined)[];

export const int = (n: StandardNode, name: string, fallback: number): number => {
  const a = n.attr(name);
  return a ? Number(a.i) : fallback;
};
export const ints = (n: StandardNode, name: string): number[] | undefined => {
  const a = n.attr(name);
  return a ? a.ints.map(Number) : undefined;
};
export const text = (n: StandardNode, name: string, fallback: string): string => {
  const a = n.attr(name);
  return a ? new TextDecoder().decode(a.s) : fallback;
};

/** The dtype an int attribute (a TensorProto.DataType code) names; unsupported codes are a typed error. */
export function dtypeAttr(n: StandardNode, name: string, fallback: DType): DType {
  const a = n.attr(name);
  return a ? dtypeFromOnnx(Number(a.i), `${n.name} attribute ${name}`) : fallback;
}

/** Input i's values as integers when it is a constant. */
export function constantInts(n: StandardNode, i: number): number[] | undefined {
  return n.constant(i)?.map(Math.trunc);
}

export const typed = (dtype: DType, shape: Shape): TensorType => ({ dtype, shape });

/** A fresh dim per position, for outputs whose rank is known but whose sizes come from data. */
export function freshShape(n: StandardNode, output: number, rank: number): Dim[] {
  // A rank read from a dim (a shape input's length) may be anything a corrupt file says: check it before allocating.
  if (!Number.isInteger(rank) || rank < 0 || rank > MAX_RANK) {
    throw new ShapeError(`an output of rank ${rank} (more than ${MAX_RANK} dims, or not a count)`, {
      where: n.name,
      hint: 'the file is corrupt or its shape input has the wrong length',
    });
  }
  return Array.from({ length: rank }, (_, i) => n.fresh(output, `d${i}`));
}

/** An axis in [0, rank); a file whose axis is out of range is a ShapeError naming the node. */
export function axisOf(n: StandardNode, axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(a) || a < 0 || a >= rank) {
    throw new ShapeError(`axis ${axis} is out of range for rank ${rank}`, { where: n.name, hint: `use an axis in [${-rank}, ${rank - 1}]` });
  }
  return a;
}

/** One broadcast dim: 1 yields to the other, equal dims stay, two different symbols give a fresh one. */
function broadcastDim(n: StandardNode, a: Dim, b: Dim, position: number): Dim {
  if (a === b || b === 1) return a;
  if (a === 1) return b;
  if (typeof a === 'number' && typeof b === 'number') {
    throw new ShapeError(`inputs do not broadcast: dimension ${position} is ${a} in one and ${b} in another`, {
      where: n.name,
      hint: 'make the sizes equal, or 1 in one of the operands',
    });
  }
  // A symbol against a number > 1 must equal it at run time; two symbols are decided at run time.
  if (typeof a === 'number') return a;
  if (typeof b === 'number') return b;
  return n.fresh(0, `b${position}`);
}

/** Multidirectional (numpy) broadcast of several shapes. */
export function broadcast(n: StandardNode, shapes: readonly Shape[]): Dim[] {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  return Array.from({ length: rank }, (_, i) => {
    let d: Dim = 1;
    for (const s of shapes) d = broadcastDim(n, d, s[s.length - rank + i] ?? 1, i - rank);
    return d;
  });
}
