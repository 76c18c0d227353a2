/**
 * Random chains of the ops whose ONNX forms changed between opsets 7 and 21 (Softmax, Slice,
 * Split, Squeeze/Unsqueeze, ReduceSum, ReduceMean, Concat, Gemm), each node written by hand in the
 * form of the chain's opset, independently of netsat's writer: the property test's originals.
 */
import { create, toBinary } from '@bufbuild/protobuf';
import { AttributeProto_AttributeType, AttributeProtoSchema, GraphProtoSchema, ModelProtoSchema, NodeProtoSchema, OperatorSetIdProtoSchema, ValueInfoProtoSchema } from 'onnx-buf';
import type { NodeProto, TensorProto } from 'onnx-buf';
import fc from 'fast-check';
import { arrayToTensor } from '../../../src/io/onnx/tensor-data.js';
import { ndarray } from '../../../src/ops/ndarray.js';
import { valueInfo } from './one-node-model.js';

/** One step: a kind and the random picks it reads (an axis, a start, a choice of form). */
export interface Step {
  kind: 'softmax' | 'slice' | 'split' | 'squeeze' | 'reduceSum' | 'reduceMean' | 'gemm';
  pick: number;
  negative: boolean;
}

export const stepArb: fc.Arbitrary<Step> = fc.record({
  kind: fc.constantFrom('softmax', 'slice', 'split', 'squeeze', 'reduceSum', 'reduceMean', 'gemm'),
  pick: fc.nat(1000),
  negative: fc.boolean(),
});

class Chain {
  readonly nodes: NodeProto[] = [];
  readonly initializers: TensorProto[] = [];
  #n = 0;
  constructor(
    readonly opset: number,
    public name: string,
    public shape: number[],
  ) {}

  fresh(base: string): string {
    return `${base}_${this.#n++}`;
  }

  ints(values: number[]): string {
    const name = this.fresh('c');
    this.initializers.push(arrayToTensor(name, 'int64', [values.length], ndarray('int64', [values.length], values)));
    return name;
  }

  floats(shape: number[], seed: number): string {
    const name = this.fresh('w');
    const count = shape.reduce((a, b) => a * b, 1);
    const values = Array.from({ length: count }, (_, i) => Math.sin(seed + i) / 2);
    this.initializers.push(arrayToTensor(name, 'float32', shape, ndarray('float32', shape, values)));
    return name;
  }

  node(op: string, inputs: string[], attrs: Record<string, number | number[]>, outputs = [this.fresh(op)]): string[] {
    const T = AttributeProto_AttributeType;
    const attribute = Object.entries(attrs).map(([k, v]) =>
      Array.isArray(v) ? create(AttributeProtoSchema, { name: k, type: T.INTS, ints: v.map(BigInt) }) : create(AttributeProtoSchema, { name: k, type: T.INT, i: BigInt(v) }),
    );
    this.nodes.push(create(NodeProtoSchema, { opType: op, name: this.fresh(`${op}_node`), input: inputs, output: outputs, attribute }));
    return outputs;
  }

  /** An axis of the current tensor; negative only where the opset allows it (11 on). */
  axis(s: Step): number {
    const a = s.pick % this.shape.length;
    return s.negative && this.opset >= 11 ? a - this.shape.length : a;
  }

  /** Axes as an input from `since`, as an attribute before. */
  withAxes(op: string, since: number, axes: number[], attrs: Record<string, number> = {}): string {
    return this.opset >= since ? this.node(op, [this.name, this.ints(axes)], attrs)[0]! : this.node(op, [this.name], { ...attrs, axes })[0]!;
  }
}

const position = (axis: number, rank: number) => (axis < 0 ? axis + rank : axis);

function softmax(c: Chain, s: Step): void {
  c.name = c.node('Softmax', [c.name], { axis: c.axis(s) })[0]!;
}

function slice(c: Chain, s: Step): void {
  const axis = c.axis(s);
  const dim = c.shape[position(axis, c.shape.length)]!;
  if (dim < 2) return;
  if (c.opset < 10) c.name = c.node('Slice', [c.name], { starts: [1], ends: [dim], axes: [axis] })[0]!;
  else c.name = c.node('Slice', [c.name, c.ints([1]), c.ints([dim]), c.ints([axis])], {})[0]!;
  c.shape[position(axis, c.shape.length)] = dim - 1;
}

/** Splits in two along an axis and concatenates the halves swapped, so the shape stays. */
function split(c: Chain, s: Step): void {
  const axis = c.axis(s);
  const dim = c.shape[position(axis, c.shape.length)]!;
  if (dim < 2) return;
  const sizes = dim % 2 === 0 && s.pick % 2 === 0 ? null : [1, dim - 1];
  const outs = [c.fresh('part'), c.fresh('part')];
  if (c.opset < 13) c.node('Split', [c.name], sizes ? { axis, split: sizes } : { axis }, outs);
  else if (sizes) c.node('Split', [c.name, c.ints(sizes)], { axis }, outs);
  else c.node('Split', [c.name], c.opset >= 18 ? { axis, num_outputs: 2 } : { axis }, outs);
  c.name = c.node('Concat', [outs[1]!, outs[0]!], { axis })[0]!;
}

function squeeze(c: Chain, s: Step): void {
  const rank = c.shape.length;
  const at = s.pick % (rank + 1);
  const axis = s.negative && c.opset >= 11 ? at - rank - 1 : at;
  c.name = c.withAxes('Unsqueeze', 13, [axis]);
  c.name = c.withAxes('Squeeze', 13, [axis]);
}

function reduce(c: Chain, s: Step, op: string, since: number): void {
  if (c.shape.length < 2) return;
  const axis = c.axis(s);
  c.name = c.withAxes(op, since, [axis], { keepdims: 1 });
  c.shape[position(axis, c.shape.length)] = 1;
}

/** Flattens to 2-D and multiplies by a weight, with or without C (C is required before opset 11). */
function gemm(c: Chain, s: Step): void {
  const rows = c.shape[0]!;
  const cols = c.shape.slice(1).reduce((a, b) => a * b, 1);
  const flat = c.node('Flatten', [c.name], { axis: 1 })[0]!;
  const out = 1 + (s.pick % 4);
  const inputs = [flat, c.floats([cols, out], s.pick)];
  if (c.opset < 11 || s.negative) inputs.push(c.floats([out], s.pick + 1));
  const product = c.node('Gemm', inputs, {})[0]!;
  c.name = c.node('Reshape', [product, c.ints([rows, out, 1])], {})[0]!;
  c.shape = [rows, out, 1];
}

const STEPS: Record<Step['kind'], (c: Chain, s: Step) => void> = {
  softmax,
  slice,
  split,
  squeeze,
  reduceSum: (c, s) => reduce(c, s, 'ReduceSum', 13),
  reduceMean: (c, s) => reduce(c, s, 'ReduceMean', 18),
  gemm,
};

/** A model of `steps` on a float32 [2, 3, 4] input, every node in the form of `opset`. */
export function versionedChain(opset: number, steps: readonly Step[]): Uint8Array {
  const c = new Chain(opset, 'x', [2, 3, 4]);
  for (const s of steps) STEPS[s.kind](c, s);
  const output = c.node('Identity', [c.name], {}, ['y'])[0]!;
  const graph = create(GraphProtoSchema, {
    name: `chain_${opset}`,
    node: c.nodes,
    initializer: c.initializers,
    input: [valueInfo('x', 'float32', [2, 3, 4])],
    output: [create(ValueInfoProtoSchema, { name: output })],
  });
  const opsets = [create(OperatorSetIdProtoSchema, { domain: '', version: BigInt(opset) })];
  return toBinary(ModelProtoSchema, create(ModelProtoSchema, { irVersion: 8n, opsetImport: opsets, graph }));
}
