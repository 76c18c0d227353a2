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
