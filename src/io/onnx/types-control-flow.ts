/**
 * Output types of the control-flow ops If, Loop and Scan, as ONNX's IfInferenceFunction,
 * LoopInferenceFunction and ScanInferenceFunction (onnx/defs/controlflow) give them, from their
 * bodies typed on the types the node gives the body's inputs (the reader imports each body for
 * that): a value that may come from either of two places (a branch, or the initial value of a
 * loop-carried one and the body's) keeps the dims both agree on, and a fresh symbol where they do
 * not; scan outputs stack the body's output along the trip count (Loop) or sequence (Scan).
 */
import type { GraphProto } from 'onnx-buf';
import { formatShape } from '../../ops/shape.js';
import type { Dim, TensorType } from '../../ops/types.js';
import { OnnxImportError } from './errors.js';
import { axisOf, constantInts, int, ints, typed } from './type-rule.js';
import type { StandardNode } from './type-rule.js';

function malformed(n: StandardNode, what: string): OnnxImportError {
  return new OnnxImportError(what, { where: n.name, hint: 'the control-flow body does not fit its node; the file is corrupt' });
}

function body(n: StandardNode, name: string): GraphProto {
  const g = n.attr(name)?.g;
  if (!g) throw malformed(n, `the attribute ${name} holding the body graph is missing`);
  checkTensorOutputs(n, g);
  return g;
}

function expectCounts(n: StandardNode, g: GraphProto, inputs: number, outputs: number): void {
  if (g.input.length !== inputs) throw malformed(n, `its body ${g.name || '(unnamed)'} takes ${g.input.length} inputs, but the node gives it ${inputs}`);
  if (g.output.length !== outputs) throw malformed(n, `its body ${g.name || '(unnamed)'} makes ${g.output.length} outputs, but the node needs ${outputs}`);
}

/** Types a body whose inputs have these types: its outputs' types, undefined where unknown. */
export type BodyTyper = (body: GraphProto, inputs: readonly (TensorType | undefined)[]) => (TensorType | undefined)[];

/** Sequences and optionals are refused: netsat carries tensors only. */
function checkTensorOutputs(n: StandardNode, g: GraphProto): void {
  for (const v of g.output) {
    if (v.type && v.type.value.case !== 'tensorType') {
      throw new OnnxImportError(`its body output ${v.name} is a ${v.type.value.case ?? 'value of no type'}, not a tensor`, {
        where: n.name,
        hint: 'netsat carries tensor values only; sequence, map and optional values are not supported',
      });
    }
  }
}

/**
 * What a value has that may be either `a` or `b`: their dims where equal, fresh where not. ONNX lets
 * the two differ in rank (the value then has no shape); every netsat value has one rank, so that is refused.
 */
function either(n: StandardNode, output: number, a: TensorType | undefined, b: TensorType | undefined): TensorType | undefined {
  if (!a || !b) return undefined;
  if (a.dtype !== b.dtype) throw malformed(n, `output ${output} is ${a.dtype} one way and ${b.dtype} the other`);
  if (a.shape.length !== b.shape.length) {
    throw new OnnxImportError(`output ${output} is ${formatShape(a.shape)} one way and ${formatShape(b.shape)} the other: its rank depends on the data`, {
      where: n.name,
      hint: 'netsat carries values of one rank: make both branches (or every pass of the loop) give the same rank, with a Reshape or Unsqueeze in one of them',
    });
  }
  return typed(
    a.dtype,
    a.shape.map((d, k) => (d === b.shape[k] ? d : n.fresh(output, `d${k}`))),
  );
}

const stacked = (outer: Dim, t: TensorType | undefined, axis = 0): TensorType | undefined => t && typed(t.dtype, [...t.shape.slice(0, axis), outer, ...t.shape.slice(axis)]);

const sameType = (a: TensorType | undefined, b: TensorType | undefined) => a?.dtype === b?.dtype && a?.shape.join() === b?.shape.join();

/**
 * Loop-carried values (body inputs and outputs from `offset` on): typed from their initial values;
 * where one pass of the body changes a type, the body is typed again on both merged, as the value
 * may be either. Returns the carried values' types and the last pass's outputs.
 */
function carry(n: StandardNode, initial: (TensorType | undefined)[], offset: number, pass: (carried: (TensorType | undefined)[]) => (TensorType | undefined)[]) {
  const first = pass(initial);
  const merged = initial.map((t, i) => either(n, i, t, first[offset + i]));
  const outputs = merged.every((t, i) => sameType(t, initial[i])) ? first : pass(merged);
  return { carried: merged.map((t, i) => either(n, i, t, outputs[offset + i])), outputs };
}

function ifTypes(n: StandardNode, typeBody: BodyTyper): (TensorType | undefined)[] {
  const [then, other] = [body(n, 'then_branch'), body(n, 'else_branch')];
  expectCounts(n, then, 0, n.outputs);
  expectCounts(n, other, 0, n.outputs);
  const [a, b] = [typeBody(then, []), typeBody(other, [])];
  return a.map((t, i) => either(n, i, t, b[i]));
}

/** Inputs: trip count M, condition, N loop-carried values; body (i, cond, carried) → (cond, carried, K scan outputs). */
function loopTypes(n: StandardNode, typeBody: BodyTyper): (TensorType | undefined)[] {
  const g = body(n, 'body');
  const count = n.inputCount - 2;
  if (count < 0) throw malformed(n, 'Loop takes a trip count and a condition (either may be empty) before its loop-carried values');
  const scans = n.outputs - count;
  if (scans < 0) throw malformed(n, `it has ${count} loop-carried inputs but only ${n.outputs} outputs`);
  expectCounts(n, g, 2 + count, 1 + count + scans);
  const initial = Array.from({ length: count }, (_, i) => n.input(2 + i));
  const { carried, outputs } = carry(n, initial, 1, (c) => typeBody(g, [typed('int64', []), typed('bool', []), ...c]));
  // A for loop (no condition input) runs exactly M times; otherwise the body may stop early.
  const known = n.input(1) ? undefined : constantInts(n, 0)?.[0];
  const trips = known ?? n.fresh(count, 'trips');
  return [...carried, ...outputs.slice(1 + count).map((t) => stacked(trips, t))];
}

/** The type of one slice of `t` along `axis` (a scan input as its body sees it). */
const sliced = (t: TensorType | undefined, axis: number): TensorType | undefined =>
  t &&
  typed(
    t.dtype,
    t.shape.filter((_, k) => k !== axis),
  );

/** Scan-9 and later: N state values then M scan inputs (num_scan_inputs) sliced along scan_input_axes. */
function scanTypes(n: StandardNode, typeBody: BodyTyper): (TensorType | undefined)[] {
  const g = body(n, 'body');
  const m = int(n, 'num_scan_inputs', 0);
  const states = n.inputCount - m;
  if (m < 1 || states < 0) throw malformed(n, `num_scan_inputs is ${m}, but the node has ${n.inputCount} inputs`);
  expectCounts(n, g, n.inputCount, n.outputs);
  const inputAxes = ints(n, 'scan_input_axes') ?? [];
  const scanned = Array.from({ length: m }, (_, k) => {
    const t = n.input(states + k);
    return t && { type: t, axis: axisOf(n, inputAxes[k] ?? 0, t.shape.length) };
  });
  const slices = scanned.map((s) => s && sliced(s.type, s.axis));
  const sequence = scanned[0] ? scanned[0].type.shape[scanned[0].axis]! : n.fresh(states, 'sequence');
  const initial = Array.from({ length: states }, (_, i) => n.input(i));
  const { carried, outputs } = carry(n, initial, 0, (c) => typeBody(g, [...c, ...slices]));
  const outputAxes = ints(n, 'scan_output_axes') ?? [];
  return [...carried, ...outputs.slice(states).map((t, k) => t && stacked(sequence, t, axisOf(n, outputAxes[k] ?? 0, t.shape.length + 1)))];
}

/** Scan-8: an optional sequence_lens, then N states and M scan inputs, all with a leading batch dim. */
function batchedScanTypes(n: StandardNode, typeBody: BodyTyper): (TensorType | undefined)[] {
  const g = body(n, 'body');
  const m = int(n, 'num_scan_inputs', 0);
  const states = n.inputCount - 1 - m;
  if (m < 1 || states < 0) throw malformed(n, `num_scan_inputs is ${m}, but the node has ${n.inputCount - 1} inputs after sequence_lens`);
  expectCounts(n, g, n.inputCount - 1, n.outputs);
  const first = n.input(1 + states);
  const [batch, sequence] = [first?.shape[0] ?? n.fresh(0, 'batch'), first?.shape[1] ?? n.fresh(states, 'sequence')];
  const slices = Array.from({ length: m }, (_, k) => sliced(sliced(n.input(1 + states + k), 0), 0));
  const initial = Array.from({ length: states }, (_, i) => sliced(n.input(1 + i), 0));
  const { carried, outputs } = carry(n, initial, 0, (c) => typeBody(g, [...c, ...slices]));
  return [...carried.map((t) => stacked(batch, t)), ...outputs.slice(states).map((t) => stacked(batch, stacked(sequence, t)))];
}

const RULES: Readonly<Record<string, (n: StandardNode, typeBody: BodyTyper) => (TensorType | undefined)[]>> = {
  If: ifTypes,
  Loop: loopTypes,
  Scan: (n, typeBody) => (n.opset < 9 ? batchedScanTypes(n, typeBody) : scanTypes(n, typeBody)),
};

/** Output types of a default-domain If, Loop or Scan; undefined for any other node. */
export function controlFlowOutputTypes(domain: string, opType: string, n: StandardNode, typeBody: BodyTyper): (TensorType | undefined)[] | undefined {
  if (domain !== '' && domain !== 'ai.onnx') return undefined;
  return Object.hasOwn(RULES, opType) ? RULES[opType]!(n, typeBody) : undefined;
}
