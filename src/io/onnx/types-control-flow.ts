/**
 * Type rules of the control-flow ops If, Loop and Scan, from their bodies' declared outputs, as
 * ONNX's IfInferenceFunction, LoopInferenceFunction and ScanInferenceFunction (onnx/defs/controlflow)
 * give them: a value that may come from either of two places (a branch, or the initial value of a
 * loop-carried one and the body's) keeps the dims both agree on, and a fresh symbol where they do
 * not; scan outputs stack the body's output along the trip count (Loop) or sequence (Scan).
 */
import type { GraphProto, ValueInfoProto } from 'onnx-buf';
import type { Dim, TensorType } from '../../ops/types.js';
import { OnnxImportError } from './errors.js';
import { axisOf, constantInts, int, ints, typed } from './type-rule.js';
import type { Rule, StandardNode } from './type-rule.js';
import { tensorTypeOf } from './value-info.js';

function malformed(n: StandardNode, what: string): OnnxImportError {
  return new OnnxImportError(what, { where: n.name, hint: 'the control-flow body does not fit its node; the file is corrupt' });
}

function body(n: StandardNode, name: string): GraphProto {
  const g = n.attr(name)?.g;
  if (!g) throw malformed(n, `the attribute ${name} holding the body graph is missing`);
  return g;
}

function expectCounts(n: StandardNode, g: GraphProto, inputs: number | undefined, outputs: number): void {
  if (inputs !== undefined && g.input.length !== inputs) throw malformed(n, `its body ${g.name || '(unnamed)'} takes ${g.input.length} inputs, but the node gives it ${inputs}`);
  if (g.output.length !== outputs) throw malformed(n, `its body ${g.name || '(unnamed)'} makes ${g.output.length} outputs, but the node needs ${outputs}`);
}

/** A body output's type (undefined without a shape); sequences and optionals are refused, since netsat carries tensors only. */
function outputType(n: StandardNode, v: ValueInfoProto, output: number): TensorType | undefined {
  if (v.type && v.type.value.case !== 'tensorType') {
    throw new OnnxImportError(`its body output ${v.name} is a ${v.type.value.case ?? 'value of no type'}, not a tensor`, {
      where: n.name,
      hint: 'netsat carries tensor values only; sequence, map and optional values are not supported',
    });
  }
  return tensorTypeOf(v, (k) => n.fresh(output, `d${k}`));
}

/** What a value has that may be either `a` or `b`: their dims where equal, fresh where not; no shape where the ranks differ. */
function either(n: StandardNode, output: number, a: TensorType | undefined, b: TensorType | undefined): TensorType | undefined {
  if (!a || !b) return undefined;
  if (a.dtype !== b.dtype) throw malformed(n, `output ${output} is ${a.dtype} one way and ${b.dtype} the other`);
  if (a.shape.length !== b.shape.length) return undefined;
  return typed(
    a.dtype,
    a.shape.map((d, k) => (d === b.shape[k] ? d : n.fresh(output, `d${k}`))),
  );
}

const stacked = (outer: Dim, t: TensorType | undefined, axis = 0): TensorType | undefined => t && typed(t.dtype, [...t.shape.slice(0, axis), outer, ...t.shape.slice(axis)]);

const ifRule: Rule = (n) => {
  const [then, other] = [body(n, 'then_branch'), body(n, 'else_branch')];
  expectCounts(n, then, 0, n.outputs);
  expectCounts(n, other, 0, n.outputs);
  return then.output.map((v, i) => either(n, i, outputType(n, v, i), outputType(n, other.output[i]!, i)));
};

/** Inputs: trip count M, condition, N loop-carried values; body (i, cond, carried) → (cond, carried, K scan outputs). */
const loopRule: Rule = (n) => {
  const g = body(n, 'body');
  const carried = n.inputCount - 2;
  if (carried < 0) throw malformed(n, 'Loop takes a trip count and a condition (either may be empty) before its loop-carried values');
  const scans = n.outputs - carried;
  if (scans < 0) throw malformed(n, `it has ${carried} loop-carried inputs but only ${n.outputs} outputs`);
  expectCounts(n, g, 2 + carried, 1 + carried + scans);
  // A for loop (no condition input) runs exactly M times; otherwise the body may stop early.
  const known = n.input(1) ? undefined : constantInts(n, 0)?.[0];
  const trips = known ?? n.fresh(carried, 'trips');
  return g.output.slice(1).map((v, i) => {
    const t = outputType(n, v, i);
    return i < carried ? either(n, i, n.input(2 + i), t) : stacked(trips, t);
  });
};

/** Scan-9 and later: N state values then M scan inputs (num_scan_inputs) sliced along scan_input_axes. */
function scanRule(n: StandardNode): (TensorType | undefined)[] {
  const g = body(n, 'body');
  const m = int(n, 'num_scan_inputs', 0);
  const states = n.inputCount - m;
  if (m < 1 || states < 0) throw malformed(n, `num_scan_inputs is ${m}, but the node has ${n.inputCount} inputs`);
  expectCounts(n, g, n.inputCount, n.outputs);
  const first = n.input(states);
  const inputAxis = first && axisOf(n, ints(n, 'scan_input_axes')?.[0] ?? 0, first.shape.length);
  const sequence = first && inputAxis !== undefined ? first.shape[inputAxis]! : n.fresh(states, 'sequence');
  const outputAxes = ints(n, 'scan_output_axes') ?? [];
  return g.output.map((v, i) => {
    const t = outputType(n, v, i);
    if (i < states) return either(n, i, n.input(i), t);
    return t && stacked(sequence, t, axisOf(n, outputAxes[i - states] ?? 0, t.shape.length + 1));
  });
}

/** Scan-8: an optional sequence_lens, then N states and M scan inputs, all with a leading batch dim. */
function batchedScanRule(n: StandardNode): (TensorType | undefined)[] {
  const g = body(n, 'body');
  const m = int(n, 'num_scan_inputs', 0);
  const states = n.inputCount - 1 - m;
  if (m < 1 || states < 0) throw malformed(n, `num_scan_inputs is ${m}, but the node has ${n.inputCount - 1} inputs after sequence_lens`);
  expectCounts(n, g, n.inputCount - 1, n.outputs);
  const first = n.input(1 + states);
  const [batch, sequence] = [first?.shape[0] ?? n.fresh(0, 'batch'), first?.shape[1] ?? n.fresh(states, 'sequence')];
  return g.output.map((v, i) => {
    const t = outputType(n, v, i);
    if (i < states) return either(n, i, n.input(1 + i), stacked(batch, t));
    return stacked(batch, stacked(sequence, t));
  });
}

export const CONTROL_FLOW_RULES: Readonly<Record<string, Rule>> = {
  If: ifRule,
  Loop: loopRule,
  Scan: (n) => (n.opset < 9 ? batchedScanRule(n) : scanRule(n)),
};
