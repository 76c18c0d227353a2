/**
 * Models of one default-domain node for type-inference tests: graph inputs of given shapes (a string
 * dim is a dim_param), initializers where values are given, outputs named without types (unless a
 * test declares some as value_info), and a run in onnxruntime to compare what it produces.
 */
import { create, toBinary } from '@bufbuild/protobuf';
import {
  AttributeProto_AttributeType,
  AttributeProtoSchema,
  GraphProtoSchema,
  ModelProtoSchema,
  NodeProtoSchema,
  OperatorSetIdProtoSchema,
  TensorShapeProto_DimensionSchema,
  TensorShapeProtoSchema,
  TypeProto_TensorSchema,
  TypeProtoSchema,
  ValueInfoProtoSchema,
} from 'onnx-buf';
import type { TensorProto } from 'onnx-buf';
import { onnxCodeOf } from '../../../src/io/onnx/dtypes.js';
import { arrayToTensor } from '../../../src/io/onnx/tensor-data.js';
import { createSession, seededFeeds, toOrt } from '../../../src/io/onnx/verify-ort.js';
import { ndarray } from '../../../src/ops/ndarray.js';
import type { Dim, DType, NDArray } from '../../../src/ops/types.js';

/** A graph input [name, dtype, dims], or an initializer when values are given. */
export type Input = [name: string, dtype: DType, shape: Dim[]] | [name: string, dtype: DType, shape: number[], values: number[]];
/** An int, ints, a float ({f}), a string ({s}) or a tensor attribute ({t}). */
export type Attr = number | number[] | { f: number } | { floats: number[] } | { s: string } | { t: TensorProto };

function attribute(name: string, v: Attr) {
  const T = AttributeProto_AttributeType;
  if (typeof v === 'number') return create(AttributeProtoSchema, { name, type: T.INT, i: BigInt(v) });
  if (Array.isArray(v)) return create(AttributeProtoSchema, { name, type: T.INTS, ints: v.map(BigInt) });
  if ('f' in v) return create(AttributeProtoSchema, { name, type: T.FLOAT, f: v.f });
  if ('floats' in v) return create(AttributeProtoSchema, { name, type: T.FLOATS, floats: v.floats });
  if ('s' in v) return create(AttributeProtoSchema, { name, type: T.STRING, s: new TextEncoder().encode(v.s) });
  return create(AttributeProtoSchema, { name, type: T.TENSOR, t: v.t });
}

export function valueInfo(name: string, dtype: DType, shape: readonly Dim[]) {
  const dim = shape.map((d) =>
    create(TensorShapeProto_DimensionSchema, { value: typeof d === 'number' ? { case: 'dimValue', value: BigInt(d) } : { case: 'dimParam', value: d } }),
  );
  const tensorType = create(TypeProto_TensorSchema, { elemType: onnxCodeOf(dtype), shape: create(TensorShapeProtoSchema, { dim }) });
  return create(ValueInfoProtoSchema, { name, type: create(TypeProtoSchema, { value: { case: 'tensorType', value: tensorType } }) });
}

/** A constant tensor for an attribute (ConstantOfShape's value). */
export function tensorAttr(dtype: DType, shape: number[], values: number[]): { t: TensorProto } {
  return { t: arrayToTensor('value', dtype, shape, ndarray(dtype, shape, values)) };
}

export interface OneNodeOptions {
  attrs?: Record<string, Attr>;
  opset?: number;
  /** value_info the file declares for some outputs. */
  declared?: ReturnType<typeof valueInfo>[];
}

/** One node of a test graph: op, input names ('' for an absent one), output names, attributes. */
export interface TestNode {
  op: string;
  inputs: string[];
  outputs: string[];
  attrs?: Record<string, Attr>;
}

/** A model of default-domain nodes over graph inputs and initializers; `outputs` are the graph's. */
export function graphModel(nodes: TestNode[], inputs: Input[], outputs: string[], options: Omit<OneNodeOptions, 'attrs'> = {}): Uint8Array {
  const graph = create(GraphProtoSchema, {
    name: nodes[0]?.op ?? 'empty',
    node: nodes.map((n, i) =>
      create(NodeProtoSchema, {
        opType: n.op,
        name: nodes.length === 1 ? n.op : `${n.op}_${i}`,
        input: n.inputs,
        output: n.outputs,
        attribute: Object.entries(n.attrs ?? {}).map(([k, v]) => attribute(k, v)),
      }),
    ),
    input: inputs.filter((i) => i.length === 3).map(([n, d, s]) => valueInfo(n, d, s)),
    initializer: inputs.filter((i) => i.length === 4).map(([n, d, s, v]) => arrayToTensor(n, d, s as number[], ndarray(d, s as number[], v!))),
    output: outputs.map((o) => create(ValueInfoProtoSchema, { name: o })),
    valueInfo: options.declared ?? [],
  });
  const opsets = [create(OperatorSetIdProtoSchema, { domain: '', version: BigInt(options.opset ?? 18) })];
  return toBinary(ModelProtoSchema, create(ModelProtoSchema, { irVersion: 8n, opsetImport: opsets, graph }));
}

/** A model of one default-domain node; absent optional inputs are ''. */
export function oneNode(op: string, inputs: (Input | '')[], outputs: string[], options: OneNodeOptions = {}): Uint8Array {
  const node = { op, inputs: inputs.map((i) => (i === '' ? '' : i[0])), outputs, attrs: options.attrs };
  return graphModel(
    [node],
    inputs.filter((i): i is Input => i !== ''),
    outputs,
    options,
  );
}

/** What onnxruntime produces for each output: its dtype and dims; `feeds` replace seeded inputs (a computed shape, say). */
export async function ortOutputTypes(bytes: Uint8Array, feeds: Readonly<Record<string, NDArray>> = {}): Promise<Record<string, { type: string; dims: readonly number[] }>> {
  const session = await createSession(bytes, 'disabled');
  const given = Object.fromEntries(Object.entries(feeds).map(([k, v]) => [k, toOrt(v)]));
  const got = await session.run({ ...seededFeeds(bytes, { intRange: [0, 3] }), ...given });
  await session.release();
  return Object.fromEntries(Object.entries(got).map(([k, v]) => [k, { type: v.type, dims: v.dims }]));
}
