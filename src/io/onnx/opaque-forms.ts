/**
 * A node kept as read (an Opaque layer of the default domain), written at another opset than the
 * one it was read at. Where its op has the same version at both, it is written as it is. Otherwise
 * only moves whose every version step in between ONNX's Changelog.md shows as "an attribute became
 * an input" or "more element types" are converted: the Reduce* axes (an input from 18, ReduceSum
 * aside) and Clip's min/max (inputs from 11). Anything else is refused, since netsat does not know
 * what the op's other versions mean.
 */
import { create } from '@bufbuild/protobuf';
import { AttributeProto_AttributeType, AttributeProtoSchema } from 'onnx-buf';
import type { AttributeProto } from 'onnx-buf';
import type { Emit } from './emit.js';
import { inputType } from './emit.js';
import { OnnxExportError } from './errors.js';
import { opVersionAt } from './op-versions.js';

interface Move {
  /** The version where the attributes became inputs. */
  since: number;
  /** Versions on either side that differ only in element types, between which the move is exact. */
  from: number;
  attrs: readonly { name: string; input: number; kind: 'ints' | 'scalar' }[];
  /** Before this version the op takes floating-point tensors only. */
  floatsBefore?: number;
}

const FLOATS = new Set(['float16', 'float32', 'float64']);

const AXES: Move = { since: 18, from: 13, attrs: [{ name: 'axes', input: 1, kind: 'ints' }] };

const MOVES: Readonly<Record<string, Move>> = {
  ReduceMax: AXES,
  ReduceMin: AXES,
  ReduceProd: AXES,
  ReduceL1: AXES,
  ReduceL2: AXES,
  ReduceLogSum: AXES,
  ReduceLogSumExp: AXES,
  ReduceSumSquare: AXES,
  Clip: {
    since: 11,
    from: 6,
    floatsBefore: 12,
    attrs: [
      { name: 'min', input: 1, kind: 'scalar' },
      { name: 'max', input: 2, kind: 'scalar' },
    ],
  },
};

export interface KeptNode {
  opType: string;
  inputs: string[];
  attributes: AttributeProto[];
}

function refuse(e: Emit, op: string, readOpset: number, why: string): never {
  throw new OnnxExportError(
    `${op} is kept as read at opset ${readOpset} (version ${opVersionAt(op, readOpset) ?? 'none'}), but opset ${e.w.opset} has version ${opVersionAt(op, e.w.opset) ?? 'none'} of it${why}`,
    {
      where: e.layer.name,
      hint: `netsat does not convert ${op} between these versions; write opset ${readOpset} (the default)`,
    },
  );
}

/** Attributes → inputs: each becomes a constant of the input's dtype (scalars) or int64 (lists). */
function toInputs(e: Emit, node: KeptNode, move: Move): KeptNode {
  const inputs = [...node.inputs];
  for (const m of move.attrs) {
    const a = node.attributes.find((x) => x.name === m.name);
    if (!a) continue;
    while (inputs.length < m.input) inputs.push('');
    inputs[m.input] = m.kind === 'ints' ? e.w.ints(a.ints.map(Number)) : e.w.scalar(inputType(e, 0).dtype, a.f);
  }
  return { ...node, inputs, attributes: node.attributes.filter((x) => !move.attrs.some((m) => m.name === x.name)) };
}

/** Inputs → attributes: each must be a constant with data; noop_with_empty_axes has no older form. */
function toAttributes(e: Emit, node: KeptNode, move: Move, readOpset: number): KeptNode {
  const noop = node.attributes.find((x) => x.name === 'noop_with_empty_axes');
  if (noop && noop.i !== 0n) refuse(e, node.opType, readOpset, ': noop_with_empty_axes=1 has no earlier form');
  const attributes = node.attributes.filter((x) => x !== noop);
  for (const m of move.attrs) {
    if (!node.inputs[m.input]) continue;
    const data = e.layer.inputs[m.input]?.producer?.constantData;
    if (!data) refuse(e, node.opType, readOpset, `: its input ${m.input} is computed, and the earlier form takes it as an attribute`);
    const values = Array.from(data.data as ArrayLike<number>, Number);
    const T = AttributeProto_AttributeType;
    attributes.push(
      m.kind === 'ints'
        ? create(AttributeProtoSchema, { name: m.name, type: T.INTS, ints: values.map((v) => BigInt(v)) })
        : create(AttributeProtoSchema, { name: m.name, type: T.FLOAT, f: values[0]! }),
    );
  }
  const first = Math.min(...move.attrs.map((m) => m.input));
  return { ...node, inputs: node.inputs.slice(0, first), attributes };
}

/** The node in the form of `e.w.opset`, or an OnnxExportError where netsat cannot convert it exactly. */
export function keptNodeAt(e: Emit, node: KeptNode, readOpset: number): KeptNode {
  const [then, now] = [opVersionAt(node.opType, readOpset), opVersionAt(node.opType, e.w.opset)];
  if (then === now) return node;
  const move = MOVES[node.opType];
  if (!move || then === undefined || now === undefined || then < move.from || now < move.from) refuse(e, node.opType, readOpset, '');
  if (move.floatsBefore && now < move.floatsBefore && !FLOATS.has(inputType(e, 0).dtype)) refuse(e, node.opType, readOpset, ', which takes floating-point tensors only');
  if (then >= move.since === now >= move.since) return node;
  return now >= move.since ? toInputs(e, node, move) : toAttributes(e, node, move, readOpset);
}
