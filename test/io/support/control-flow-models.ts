/** Small ONNX models with control-flow nodes (If, Loop, Scan) whose bodies read names of the graph around them. */
import { create, toBinary } from '@bufbuild/protobuf';
import { AttributeProto_AttributeType, AttributeProtoSchema, GraphProtoSchema, ModelProtoSchema, NodeProtoSchema, OperatorSetIdProtoSchema, ValueInfoProtoSchema } from 'onnx-buf';
import type { AttributeProto, GraphProto, NodeProto, TensorProto } from 'onnx-buf';
import { arrayToTensor } from '../../../src/io/onnx/tensor-data.js';
import { ndarray } from '../../../src/ops/ndarray.js';
import type { Dim, DType } from '../../../src/ops/types.js';
import { valueInfo } from './one-node-model.js';

export type Value = [name: string, dtype: DType, shape: Dim[]];

const T = AttributeProto_AttributeType;

export const intAttr = (name: string, i: number): AttributeProto => create(AttributeProtoSchema, { name, type: T.INT, i: BigInt(i) });
export const graphAttr = (name: string, g: GraphProto): AttributeProto => create(AttributeProtoSchema, { name, type: T.GRAPH, g });

export function node(opType: string, input: string[], output: string[], attribute: AttributeProto[] = []): NodeProto {
  return create(NodeProtoSchema, { opType, name: `${opType}_${output[0] || 'node'}`, input, output, attribute });
}

export function floats(name: string, shape: number[], values: number[]): TensorProto {
  return arrayToTensor(name, 'float32', shape, ndarray('float32', shape, values));
}

export function int64(name: string, value: number): TensorProto {
  return arrayToTensor(name, 'int64', [], ndarray('int64', [], [value]));
}

/** A typed value, or a bare name for one the file leaves untyped. */
const info = (v: Value | string) => (typeof v === 'string' ? create(ValueInfoProtoSchema, { name: v }) : valueInfo(...v));

/** A graph (a body, or the main graph) of inputs and outputs, typed or not. */
export function graph(name: string, nodes: NodeProto[], inputs: (Value | string)[], outputs: (Value | string)[], initializer: TensorProto[] = []): GraphProto {
  return create(GraphProtoSchema, {
    name,
    node: nodes,
    input: inputs.map(info),
    output: outputs.map(info),
    initializer,
  });
}

export function model(main: GraphProto, opset = 18): Uint8Array {
  const opsetImport = [create(OperatorSetIdProtoSchema, { domain: '', version: BigInt(opset) })];
  return toBinary(ModelProtoSchema, create(ModelProtoSchema, { irVersion: 8n, opsetImport, graph: main }));
}

/** y = If(cond) then t + w else t · t, where t = -(-x) is computed outside the branches. */
export function ifModel(): Uint8Array {
  const then = graph('then', [node('Add', ['t', 'w'], ['then_out'])], [], [['then_out', 'float32', [3]]]);
  const other = graph('else', [node('Mul', ['t', 't'], ['else_out'])], [], [['else_out', 'float32', [3]]]);
  const main = graph(
    'if_model',
    [node('Neg', ['x'], ['nx']), node('Neg', ['nx'], ['t']), node('If', ['cond'], ['y'], [graphAttr('then_branch', then), graphAttr('else_branch', other)])],
    [
      ['cond', 'bool', []],
      ['x', 'float32', [3]],
    ],
    [['y', 'float32', [3]]],
    [floats('w', [3], [1, 2, 3])],
  );
  return model(main);
}

/**
 * A for loop of M = 3 trips over y (carried) that also stacks every y; its body holds an If on the
 * outer flag whose branches add or subtract the outer step = -(-s): references two scopes out.
 */
export function loopModel(): Uint8Array {
  const then = graph('add_step', [node('Add', ['y_in', 'step'], ['y_then'])], [], [['y_then', 'float32', [2]]]);
  const other = graph('sub_step', [node('Sub', ['y_in', 'step'], ['y_else'])], [], [['y_else', 'float32', [2]]]);
  const body = graph(
    'loop_body',
    [
      node('Identity', ['c_in'], ['c_out']),
      node('If', ['flag'], ['y_out'], [graphAttr('then_branch', then), graphAttr('else_branch', other)]),
      node('Identity', ['y_out'], ['y_scan']),
    ],
    [
      ['i', 'int64', []],
      ['c_in', 'bool', []],
      ['y_in', 'float32', [2]],
    ],
    [
      ['c_out', 'bool', []],
      ['y_out', 'float32', [2]],
      ['y_scan', 'float32', [2]],
    ],
  );
  const main = graph(
    'loop_model',
    [node('Neg', ['s'], ['ns']), node('Neg', ['ns'], ['step']), node('Loop', ['M', '', 'y0'], ['y_final', 'ys'], [graphAttr('body', body)])],
    [
      ['y0', 'float32', [2]],
      ['s', 'float32', [2]],
      ['flag', 'bool', []],
    ],
    [
      ['y_final', 'float32', [2]],
      ['ys', 'float32', [3, 2]],
    ],
    [int64('M', 3)],
  );
  return model(main);
}

/** A running sum over the 4 rows of xs plus an outer bias, with every partial sum stacked (Scan-16). */
export function scanModel(): Uint8Array {
  const body = graph(
    'scan_body',
    [node('Add', ['sum_in', 'row'], ['partial']), node('Add', ['partial', 'bias'], ['sum_out']), node('Identity', ['sum_out'], ['scan_out'])],
    [
      ['sum_in', 'float32', [2]],
      ['row', 'float32', [2]],
    ],
    [
      ['sum_out', 'float32', [2]],
      ['scan_out', 'float32', [2]],
    ],
  );
  const main = graph(
    'scan_model',
    [node('Scan', ['init', 'xs'], ['total', 'sums'], [graphAttr('body', body), intAttr('num_scan_inputs', 1)])],
    [
      ['init', 'float32', [2]],
      ['xs', 'float32', [4, 2]],
    ],
    [
      ['total', 'float32', [2]],
      ['sums', 'float32', [4, 2]],
    ],
    [floats('bias', [2], [0.5, -0.5])],
  );
  return model(main);
}

/**
 * A for loop of M = 3 trips whose body declares no output types, nor y's (as ONNX's expanded Range): y grows by
 * one element a trip (Concat), and every y is stacked.
 */
export function untypedLoopModel(): Uint8Array {
  const body = graph(
    'grow',
    [node('Identity', ['c_in'], ['c_out']), node('Concat', ['y_in', 'one'], ['y_out'], [intAttr('axis', 0)]), node('ReduceSum', ['y_out'], ['y_sum'], [intAttr('keepdims', 1)])],
    [['i', 'int64', []], ['c_in', 'bool', []], 'y_in'],
    ['c_out', 'y_out', 'y_sum'],
  );
  const main = graph(
    'untyped_loop',
    [node('Loop', ['M', '', 'y0'], ['y_final', 'sums'], [graphAttr('body', body)])],
    [['y0', 'float32', [1]]],
    ['y_final', 'sums'],
    [int64('M', 3), floats('one', [1], [1])],
  );
  return model(main);
}
