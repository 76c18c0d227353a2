/**
 * Every element type onnxruntime supports is carried exactly: a model with an input, a constant
 * and ops of that type imports, writes back with the constant's bytes unchanged (whether the file
 * held them in raw_data or in the typed fields), and optimize() verifies it: in the reference
 * interpreter where its kernels take the type, in onnxruntime where they do not.
 */
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import type { MessageInitShape } from '@bufbuild/protobuf';
import fc from 'fast-check';
import type { NodeProto, TensorProto } from 'onnx-buf';
import {
  AttributeProto_AttributeType,
  AttributeProtoSchema,
  GraphProtoSchema,
  ModelProtoSchema,
  NodeProtoSchema,
  OperatorSetIdProtoSchema,
  TensorProtoSchema,
  TensorShapeProto_DimensionSchema,
  TensorShapeProtoSchema,
  TypeProto_TensorSchema,
  TypeProtoSchema,
  ValueInfoProtoSchema,
} from 'onnx-buf';
import { describe, expect, it } from 'vitest';
import { readOnnx } from '../../src/io/onnx/decode.js';
import { onnxCodeOf, onnxElementBytes } from '../../src/io/onnx/dtypes.js';
import { writeOnnx } from '../../src/io/onnx/export.js';
import type { DType } from '../../src/ops/types.js';
import { DTYPES } from '../../src/ops/types.js';
import { Network } from '../../src/network/network.js';
import type { NetworkJSON } from '../../src/network/serialize.js';
import { optimize } from '../../src/optimize.js';
import { UnverifiableError } from '../../src/verifiable.js';

const SHAPE = [2, 3];
const COUNT = 6;

/** A constant as the test means it: the exact elements (little-endian bytes, or byte strings) and the TensorProto fields that hold them. */
interface Constant {
  readonly exact: Uint8Array | Uint8Array[];
  readonly fields: MessageInitShape<typeof TensorProtoSchema>;
}

const bytesOf = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength).slice();
const ints = (min: number, max: number) => fc.array(fc.integer({ min, max }), { minLength: COUNT, maxLength: COUNT });
const bigs = (min: bigint, max: bigint) => fc.array(fc.bigInt(min, max), { minLength: COUNT, maxLength: COUNT });
const noNaN = <T>(values: fc.Arbitrary<T>) => fc.array(values, { minLength: COUNT, maxLength: COUNT });

/** The spec's typed field for each type, with values spanning the whole type (bits of half floats, uint64 above 2^53). */
function typedFields(dtype: Exclude<DType, 'string'>): fc.Arbitrary<Constant> {
  const int32Field = (min: number, max: number, pack: (v: number[]) => ArrayBufferView) => ints(min, max).map((v) => ({ exact: bytesOf(pack(v)), fields: { int32Data: v } }));
  switch (dtype) {
    case 'float32':
      return noNaN(fc.float({ noNaN: true })).map((v) => ({ exact: bytesOf(Float32Array.from(v)), fields: { floatData: v } }));
    case 'float64':
      return noNaN(fc.double({ noNaN: true })).map((v) => ({ exact: bytesOf(Float64Array.from(v)), fields: { doubleData: v } }));
    case 'int64':
      return bigs(-(2n ** 63n), 2n ** 63n - 1n).map((v) => ({ exact: bytesOf(BigInt64Array.from(v)), fields: { int64Data: v } }));
    case 'uint64':
      return bigs(0n, 2n ** 64n - 1n).map((v) => ({ exact: bytesOf(BigUint64Array.from(v)), fields: { uint64Data: v } }));
    case 'uint32':
      return bigs(0n, 2n ** 32n - 1n).map((v) => ({ exact: bytesOf(Uint32Array.from(v, Number)), fields: { uint64Data: v } }));
    case 'int32':
      return int32Field(-(2 ** 31), 2 ** 31 - 1, (v) => Int32Array.from(v));
    case 'int16':
      return int32Field(-(2 ** 15), 2 ** 15 - 1, (v) => Int16Array.from(v));
    case 'int8':
      return int32Field(-128, 127, (v) => Int8Array.from(v));
    case 'uint16':
    case 'float16':
    case 'bfloat16':
      return int32Field(0, 2 ** 16 - 1, (v) => Uint16Array.from(v));
    case 'uint8':
      return int32Field(0, 255, (v) => Uint8Array.from(v));
    case 'bool':
      return int32Field(0, 1, (v) => Uint8Array.from(v));
  }
}

/** Any bytes in raw_data (NaN payloads, uint64 above 2^53), bools 0 or 1. */
function rawData(dtype: Exclude<DType, 'string'>): fc.Arbitrary<Constant> {
  const n = COUNT * onnxElementBytes(dtype);
  return fc.uint8Array({ minLength: n, maxLength: n }).map((b) => {
    const exact = dtype === 'bool' ? b.map((x) => x & 1) : b;
    return { exact, fields: { rawData: exact.slice() } };
  });
}

function constantOf(dtype: DType): fc.Arbitrary<Constant> {
  if (dtype === 'string') {
    return fc.array(fc.uint8Array({ maxLength: 6 }), { minLength: COUNT, maxLength: COUNT }).map((s) => ({ exact: s, fields: { stringData: s.map((x) => x.slice()) } }));
  }
  return fc.oneof(rawData(dtype), typedFields(dtype));
}

function valueInfo(name: string, dtype: DType, shape: readonly number[]) {
  const dim = shape.map((d) => create(TensorShapeProto_DimensionSchema, { value: { case: 'dimValue', value: BigInt(d) } }));
  const tensorType = create(TypeProto_TensorSchema, { elemType: onnxCodeOf(dtype), shape: create(TensorShapeProtoSchema, { dim }) });
  return create(ValueInfoProtoSchema, { name, type: create(TypeProtoSchema, { value: { case: 'tensorType', value: tensorType } }) });
}

/** onnxruntime's Add takes every numeric type; bfloat16 stays on Concat, since onnxruntime-node cannot feed or fetch it. */
const ADDS = (dtype: DType) => !['bool', 'string', 'bfloat16'].includes(dtype);

/** x (input) and c (the constant) concatenated, then added to itself where the type has an Add. */
function model(dtype: DType, c: Constant): Uint8Array {
  const axis = create(AttributeProtoSchema, { name: 'axis', type: AttributeProto_AttributeType.INT, i: 0n });
  const nodes = [create(NodeProtoSchema, { name: 'concat', opType: 'Concat', input: ['x', 'c'], output: ['y'], attribute: [axis] })];
  if (ADDS(dtype)) nodes.push(create(NodeProtoSchema, { name: 'add', opType: 'Add', input: ['y', 'y'], output: ['z'] }));
  return modelOf(dtype, c, nodes, ADDS(dtype) ? 'z' : 'y', [4, 3]);
}

/** Input x and constant c of `inputShape`, `nodes`, and the output `output` of `outputShape`. */
function modelOf(dtype: DType, c: Constant, nodes: NodeProto[], output: string, outputShape: readonly number[], inputShape = SHAPE): Uint8Array {
  const constant = create(TensorProtoSchema, { name: 'c', dataType: onnxCodeOf(dtype), dims: inputShape.map(BigInt), ...c.fields });
  const graph = create(GraphProtoSchema, {
    name: dtype,
    node: nodes,
    initializer: [constant],
    input: [valueInfo('x', dtype, inputShape)],
    output: [valueInfo(output, dtype, outputShape)],
  });
  return toBinary(ModelProtoSchema, create(ModelProtoSchema, { irVersion: 8n, opsetImport: [create(OperatorSetIdProtoSchema, { domain: '', version: 17n })], graph }));
}

function writtenConstant(bytes: Uint8Array): TensorProto {
  return fromBinary(ModelProtoSchema, bytes).graph!.initializer.find((t) => t.name === 'c')!;
}

/** read → write, and the written file read and written again gives the same bytes. */
function roundTrip(bytes: Uint8Array): Uint8Array {
  const { network, origin } = readOnnx(bytes);
  const written = writeOnnx(network, { origin });
  const again = readOnnx(written);
  expect(writeOnnx(again.network, { origin: again.origin })).toEqual(written);
  return written;
}

function expectExact(t: TensorProto, c: Constant): void {
  if (Array.isArray(c.exact)) expect(t.stringData.map((s) => [...s])).toEqual(c.exact.map((s) => [...s]));
  else expect([...t.rawData]).toEqual([...c.exact]);
}

describe('every element type round-trips exactly', () => {
  it('through a network JSON file too: kept bytes (strings, uint64 above 2^53) travel with the data', () => {
    for (const dtype of DTYPES) {
      fc.assert(
        fc.property(constantOf(dtype), (c) => {
          const { network } = readOnnx(model(dtype, c));
          const back = Network.fromJSON(JSON.parse(JSON.stringify(network.toJSON())) as NetworkJSON);
          expectExact(writtenConstant(writeOnnx(back)), c);
        }),
        { seed: 7, numRuns: 10 },
      );
    }
  });

  for (const dtype of DTYPES) {
    it(`${dtype}: the constant's bytes are identical after a round trip, from raw_data or typed fields`, () => {
      fc.assert(
        fc.property(constantOf(dtype), (c) => expectExact(writtenConstant(roundTrip(model(dtype, c))), c)),
        { seed: 7, numRuns: 40 },
      );
    });
  }

  it('a uint64 above 2^53 and a float16 NaN payload keep their bits', () => {
    const big = { exact: bytesOf(BigUint64Array.of(2n ** 64n - 1n, 2n ** 53n + 1n, 0n, 1n, 2n ** 63n, 12345678901234567n)), fields: {} };
    expectExact(writtenConstant(roundTrip(model('uint64', { ...big, fields: { rawData: big.exact } }))), big);
    const nan = { exact: bytesOf(Uint16Array.of(0x7c01, 0xfe12, 0x7fff, 0x8000, 0x3c00, 0)), fields: {} };
    expectExact(writtenConstant(roundTrip(model('float16', { ...nan, fields: { int32Data: [...new Uint16Array(nan.exact.buffer)] } }))), nan);
  });
});

/** Types the interpreter's Add does not take are verified by onnxruntime, as are strings, which it never computes. */
function expectedMethod(dtype: DType): 'interpreter' | 'onnxruntime' {
  if (dtype === 'string') return 'onnxruntime';
  return ADDS(dtype) && !['float32', 'float16', 'int32', 'int64'].includes(dtype) ? 'onnxruntime' : 'interpreter';
}

describe('every element type optimizes and verifies', () => {
  for (const dtype of DTYPES) {
    it(`${dtype}: verified by ${expectedMethod(dtype) === 'interpreter' ? 'the reference interpreter' : 'onnxruntime'}`, async () => {
      await fc.assert(
        fc.asyncProperty(constantOf(dtype), async (c) => {
          const bytes = model(dtype, c);
          const { network, origin } = readOnnx(bytes);
          const { network: optimized, report } = await optimize(network);
          expect(report.verification).toMatchObject({ method: expectedMethod(dtype), pass: true });
          expectExact(writtenConstant(writeOnnx(optimized, { origin })), c);
        }),
        { seed: 7, numRuns: 2 },
      );
    });
  }
});

it('an integer divisor drawn as 0 is drawn again from 1 up, so a uint8 Div verifies in onnxruntime', async () => {
  const ones = new Uint8Array(64).fill(1);
  const div = create(NodeProtoSchema, { name: 'div', opType: 'Div', input: ['c', 'x'], output: ['q'] });
  const { network } = readOnnx(modelOf('uint8', { exact: ones, fields: { rawData: ones } }, [div], 'q', [64], [64]));
  const { report } = await optimize(network);
  expect(report.verification).toMatchObject({ method: 'onnxruntime', pass: true });
});

/** A model of one node on two graph inputs, as ONNX bytes (outputs' dims may be symbolic). */
function twoInputs(op: string, x: [DType, number[]], y: [DType, number[]], out: [DType, (number | string)[]]): Uint8Array {
  const node = create(NodeProtoSchema, { name: op, opType: op, input: ['x', 'y'], output: ['out'] });
  const dims = (d: readonly (number | string)[]) =>
    d.map((v) => create(TensorShapeProto_DimensionSchema, { value: typeof v === 'number' ? { case: 'dimValue', value: BigInt(v) } : { case: 'dimParam', value: v } }));
  const info = (name: string, [dtype, shape]: [DType, readonly (number | string)[]]) => {
    const tensorType = create(TypeProto_TensorSchema, { elemType: onnxCodeOf(dtype), shape: create(TensorShapeProtoSchema, { dim: dims(shape) }) });
    return create(ValueInfoProtoSchema, { name, type: create(TypeProtoSchema, { value: { case: 'tensorType', value: tensorType } }) });
  };
  const graph = create(GraphProtoSchema, { name: op, node: [node], input: [info('x', x), info('y', y)], output: [info('out', out)] });
  return toBinary(ModelProtoSchema, create(ModelProtoSchema, { irVersion: 8n, opsetImport: [create(OperatorSetIdProtoSchema, { domain: '', version: 17n })], graph }));
}

it('an axis input drawn out of range is drawn again as 0, so CumSum verifies in onnxruntime', async () => {
  const { report } = await optimize(readOnnx(twoInputs('CumSum', ['float64', [4]], ['int32', []], ['float64', [4]])).network);
  expect(report.verification).toMatchObject({ method: 'onnxruntime', pass: true });
});

it('a model onnxruntime cannot run on any drawn inputs (Reshape to a drawn shape) is unverifiable, a typed error', async () => {
  const bytes = twoInputs('Reshape', ['float32', [4]], ['int64', [2]], ['float32', ['a', 'b']]);
  await expect(optimize(readOnnx(bytes).network)).rejects.toThrow(UnverifiableError);
});
