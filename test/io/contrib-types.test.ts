/**
 * Output types of onnxruntime's contrib ops on import, against onnxruntime itself: one node per
 * model, graph inputs of fixed shapes, every output named; the dims onnxruntime returns must be the
 * types netsat gave the Opaque layer.
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
import { describe, expect, it } from 'vitest';
import { readOnnx } from '../../src/io/onnx/decode.js';
import { onnxCodeOf } from '../../src/io/onnx/dtypes.js';
import { arrayToTensor } from '../../src/io/onnx/tensor-data.js';
import { createSession, seededFeeds } from '../../src/io/onnx/verify-ort.js';
import { ndarray } from '../../src/ops/ndarray.js';
import type { DType } from '../../src/ops/types.js';

type Input = [name: string, dtype: DType, shape: number[]] | [name: string, dtype: DType, shape: number[], values: number[]];
type Attr = number | number[] | { f: number };

function attribute(name: string, v: Attr) {
  const T = AttributeProto_AttributeType;
  if (typeof v === 'number') return create(AttributeProtoSchema, { name, type: T.INT, i: BigInt(v) });
  if (Array.isArray(v)) return create(AttributeProtoSchema, { name, type: T.INTS, ints: v.map(BigInt) });
  return create(AttributeProtoSchema, { name, type: T.FLOAT, f: v.f });
}

function valueInfo(name: string, dtype: DType, shape: number[]) {
  const dim = shape.map((d) => create(TensorShapeProto_DimensionSchema, { value: { case: 'dimValue', value: BigInt(d) } }));
  const tensorType = create(TypeProto_TensorSchema, { elemType: onnxCodeOf(dtype), shape: create(TensorShapeProtoSchema, { dim }) });
  return create(ValueInfoProtoSchema, { name, type: create(TypeProtoSchema, { value: { case: 'tensorType', value: tensorType } }) });
}

/** A model of one com.microsoft node; inputs with values are initializers. Outputs are declared without shapes. */
function oneNode(op: string, inputs: (Input | '')[], outputs: string[], attrs: Record<string, Attr> = {}): Uint8Array {
  const present = inputs.filter((i): i is Input => i !== '');
  const graph = create(GraphProtoSchema, {
    name: op,
    node: [
      create(NodeProtoSchema, {
        opType: op,
        domain: 'com.microsoft',
        name: op,
        input: inputs.map((i) => (i === '' ? '' : i[0])),
        output: outputs,
        attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)),
      }),
    ],
    input: present.filter((i) => i.length === 3).map(([n, d, s]) => valueInfo(n, d, s)),
    initializer: present.filter((i) => i.length === 4).map(([n, d, s, v]) => arrayToTensor(n, d, s, ndarray(d, s, v!))),
    output: outputs.map((o) => create(ValueInfoProtoSchema, { name: o })),
  });
  const opsets = [create(OperatorSetIdProtoSchema, { domain: '', version: 18n }), create(OperatorSetIdProtoSchema, { domain: 'com.microsoft', version: 1n })];
  return toBinary(ModelProtoSchema, create(ModelProtoSchema, { irVersion: 8n, opsetImport: opsets, graph }));
}

async function expectOrtTypes(bytes: Uint8Array): Promise<void> {
  const { network } = readOnnx(bytes);
  const session = await createSession(bytes, 'disabled');
  const got = await session.run(seededFeeds(bytes, { intRange: [0, 4] }));
  await session.release();
  for (const t of network.outputs) {
    expect(got[t.name]!.dims, t.name).toEqual(t.shape);
    expect(got[t.name]!.type, t.name).toBe(t.dtype);
  }
}

const zeros = (n: number) => new Array<number>(n).fill(0);

describe("contrib op output types equal onnxruntime's", () => {
  const cases: [string, () => Uint8Array][] = [
    [
      'Attention with qkv_hidden_sizes and a present cache',
      () =>
        oneNode(
          'Attention',
          [
            ['x', 'float32', [2, 5, 16]],
            ['w', 'float32', [16, 40], zeros(640)],
            ['b', 'float32', [40], zeros(40)],
          ],
          ['y', 'present'],
          { num_heads: 2, qkv_hidden_sizes: [16, 16, 8] },
        ),
    ],
    [
      'MultiHeadAttention, 3-D q, k and v of another length',
      () =>
        oneNode(
          'MultiHeadAttention',
          [
            ['q', 'float32', [2, 5, 16]],
            ['k', 'float32', [2, 7, 16]],
            ['v', 'float32', [2, 7, 8]],
          ],
          ['y'],
          { num_heads: 2 },
        ),
    ],
    [
      'MultiHeadAttention, key and value as [B, N, L, H]',
      () =>
        oneNode(
          'MultiHeadAttention',
          [
            ['q', 'float32', [2, 5, 16]],
            ['k', 'float32', [2, 2, 7, 8]],
            ['v', 'float32', [2, 2, 7, 8]],
          ],
          ['y'],
          { num_heads: 2 },
        ),
    ],
    [
      'GroupQueryAttention, separate q, k and v',
      () =>
        oneNode(
          'GroupQueryAttention',
          [['q', 'float32', [1, 4, 16]], ['k', 'float32', [1, 4, 8]], ['v', 'float32', [1, 4, 8]], '', '', ['seqlens', 'int32', [1], [3]], ['total', 'int32', [], [4]]],
          ['y', 'present_k', 'present_v'],
          { num_heads: 2, kv_num_heads: 1 },
        ),
    ],
    [
      'GroupQueryAttention, packed qkv',
      () =>
        oneNode(
          'GroupQueryAttention',
          [['qkv', 'float32', [1, 4, 32]], '', '', '', '', ['seqlens', 'int32', [1], [3]], ['total', 'int32', [], [4]]],
          ['y', 'present_k', 'present_v'],
          { num_heads: 2, kv_num_heads: 1 },
        ),
    ],
    [
      'SkipSimplifiedLayerNormalization, every output',
      () =>
        oneNode(
          'SkipSimplifiedLayerNormalization',
          [
            ['x', 'float32', [2, 3, 8]],
            ['s', 'float32', [2, 3, 8]],
            ['g', 'float32', [8], zeros(8)],
          ],
          ['y', 'mean', 'inv_std', 'sum'],
          { epsilon: { f: 1e-5 } },
        ),
    ],
    [
      'SkipLayerNormalization with beta and bias',
      () =>
        oneNode(
          'SkipLayerNormalization',
          [
            ['x', 'float32', [2, 3, 8]],
            ['s', 'float32', [2, 3, 8]],
            ['g', 'float32', [8], zeros(8)],
            ['beta', 'float32', [8], zeros(8)],
            ['bias', 'float32', [8], zeros(8)],
          ],
          ['y', 'mean', 'inv_std', 'sum'],
        ),
    ],
    [
      'EmbedLayerNormalization',
      () =>
        oneNode(
          'EmbedLayerNormalization',
          [
            ['ids', 'int32', [2, 5]],
            ['seg', 'int32', [2, 5]],
            ['word', 'float32', [4, 8], zeros(32)],
            ['pos', 'float32', [5, 8], zeros(40)],
            ['segw', 'float32', [4, 8], zeros(32)],
            ['g', 'float32', [8], zeros(8)],
            ['beta', 'float32', [8], zeros(8)],
          ],
          ['y', 'mask_index', 'sum'],
        ),
    ],
    [
      'FusedMatMul with transB',
      () =>
        oneNode(
          'FusedMatMul',
          [
            ['a', 'float32', [2, 3, 4]],
            ['b', 'float32', [5, 4]],
          ],
          ['y'],
          { transB: 1 },
        ),
    ],
    ['QuickGelu', () => oneNode('QuickGelu', [['x', 'float32', [3, 4]]], ['y'])],
  ];
  for (const [name, model] of cases) it(name, () => expectOrtTypes(model()));
});
