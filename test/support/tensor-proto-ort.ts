/**
 * A serialized TensorProto (the suite's input_N.pb / output_N.pb) as an onnxruntime tensor. This is the
 * suite's oracle side, so it reads every element type onnxruntime-node takes, not only those netsat
 * models (src/io/onnx/tensor-data.ts): a test must not look "not run" because netsat lacks a dtype.
 */
import { fromBinary } from '@bufbuild/protobuf';
import { TensorProtoSchema } from 'onnx-buf';
import type { TensorProto } from 'onnx-buf';
import * as ort from 'onnxruntime-node';

type Numeric = Exclude<ort.Tensor.Type, 'string'>;

interface ElementType {
  readonly ort: Numeric;
  /** Typed array made from little-endian raw_data. */
  readonly raw: (bytes: ArrayBuffer, n: number) => ort.Tensor.DataType;
  /** Typed array made from the typed repeated field the spec stores this type in. */
  readonly fields: (t: TensorProto) => ort.Tensor.DataType;
}

/** ONNX TensorProto.DataType codes onnxruntime-node can feed and fetch (bfloat16 and complex it cannot). */
const ELEMENT_TYPES: Readonly<Record<number, ElementType>> = {
  1: { ort: 'float32', raw: (b, n) => new Float32Array(b, 0, n), fields: (t) => Float32Array.from(t.floatData) },
  2: { ort: 'uint8', raw: (b, n) => new Uint8Array(b, 0, n), fields: (t) => Uint8Array.from(t.int32Data) },
  3: { ort: 'int8', raw: (b, n) => new Int8Array(b, 0, n), fields: (t) => Int8Array.from(t.int32Data) },
  4: { ort: 'uint16', raw: (b, n) => new Uint16Array(b, 0, n), fields: (t) => Uint16Array.from(t.int32Data) },
  5: { ort: 'int16', raw: (b, n) => new Int16Array(b, 0, n), fields: (t) => Int16Array.from(t.int32Data) },
  6: { ort: 'int32', raw: (b, n) => new Int32Array(b, 0, n), fields: (t) => Int32Array.from(t.int32Data) },
  7: { ort: 'int64', raw: (b, n) => new BigInt64Array(b, 0, n), fields: (t) => BigInt64Array.from(t.int64Data) },
  9: { ort: 'bool', raw: (b, n) => new Uint8Array(b, 0, n), fields: (t) => Uint8Array.from(t.int32Data) },
  // float16 travels as its bit patterns, stored in int32_data when not raw.
  10: { ort: 'float16', raw: (b, n) => new Uint16Array(b, 0, n), fields: (t) => Uint16Array.from(t.int32Data) },
  11: { ort: 'float64', raw: (b, n) => new Float64Array(b, 0, n), fields: (t) => Float64Array.from(t.doubleData) },
  12: { ort: 'uint32', raw: (b, n) => new Uint32Array(b, 0, n), fields: (t) => Uint32Array.from(t.uint64Data, Number) },
  13: { ort: 'uint64', raw: (b, n) => new BigUint64Array(b, 0, n), fields: (t) => BigUint64Array.from(t.uint64Data) },
};

/** A TensorProto's data as an onnxruntime tensor; throws for element types onnxruntime-node cannot take. */
export function tensorProtoToOrt(t: TensorProto): ort.Tensor {
  const dims = t.dims.map(Number);
  if (t.dataType === 8)
    return new ort.Tensor(
      'string',
      t.stringData.map((s) => new TextDecoder().decode(s)),
      dims,
    );
  const type = ELEMENT_TYPES[t.dataType];
  if (!type) throw new Error(`element type ${t.dataType} cannot be fed to onnxruntime-node`);
  const n = dims.reduce((a, b) => a * b, 1);
  // Copied into a fresh buffer: raw_data sits at any offset of the file, unaligned for the typed array.
  const data = t.rawData.length > 0 ? type.raw(new Uint8Array(t.rawData).buffer, n) : type.fields(t);
  return new ort.Tensor(type.ort, data as never, dims);
}

/** Decodes a serialized TensorProto (its `name` says which graph input or output it is, when set). */
export function readTensorProto(bytes: Uint8Array): TensorProto {
  return fromBinary(TensorProtoSchema, bytes);
}
