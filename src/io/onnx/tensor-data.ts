/**
 * TensorProto ↔ NDArray. Reading keeps weights where they are: data whose storage is the file's
 * element type (float32, float64, 8- to 32-bit integers, bool) are typed-array views into the file's
 * bytes (or the external data file's), so a model is never copied whole. Writing emits raw_data
 * (string_data for strings), from the bytes read where a type's storage is not exact.
 */
import { closeSync, openSync, readSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { create } from '@bufbuild/protobuf';
import { TensorProtoSchema, TensorProto_DataLocation } from 'onnx-buf';
import type { TensorProto } from 'onnx-buf';
import type { DType, NDArray, TypedData } from '../../ops/types.js';
import { allocData } from '../../ops/ndarray.js';
import { checkedCount, checkedDim } from './dims.js';
import { dtypeFromOnnx, onnxCodeOf, onnxElementBytes } from './dtypes.js';
import { OnnxExportError, OnnxImportError } from './errors.js';
import { bfloat16ToFloat, floatToBfloat16, floatToHalf, halfToFloat } from './half.js';

/** Where external data files are looked up: the model's folder. Undefined when reading bytes without a path. */
export interface DataContext {
  readonly modelDir: string | undefined;
}

export function tensorShape(t: TensorProto, what: string): { dtype: DType; shape: number[]; count: number } {
  const dtype = dtypeFromOnnx(t.dataType, what);
  const shape = t.dims.map((d) => checkedDim(d, what));
  return { dtype, shape, count: checkedCount(shape, what) };
}

/** Reads `length` bytes at `offset` of an external data file, which must lie inside the model's folder. */
function externalBytes(t: TensorProto, what: string, expected: number, ctx: DataContext): Uint8Array {
  const entry = (key: string) => t.externalData.find((e) => e.key === key)?.value;
  const location = entry('location');
  if (!location) throw new OnnxImportError('external data has no "location"', { where: what, hint: 'the file is corrupt' });
  if (!ctx.modelDir) {
    throw new OnnxImportError(`tensor data lives in the external file "${location}", but the model was read from bytes`, {
      where: what,
      hint: 'read the model from its path (readOnnxFile) so its folder is known',
    });
  }
  const dir = realpathSync(ctx.modelDir);
  const path = resolve(dir, location);
  const inside = (p: string) => {
    const rel = relative(dir, p);
    return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
  };
  if (isAbsolute(location) || !inside(path)) {
    throw new OnnxImportError(`external data path "${location}" leaves the model's folder`, {
      where: what,
      hint: `external data files must lie in ${dir} (a relative path without "..")`,
    });
  }
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    throw new OnnxImportError(`external data file "${location}" does not exist`, { where: what, hint: `put it beside the model in ${dir}` });
  }
  if (!inside(real)) throw new OnnxImportError(`external data path "${location}" links out of the model's folder`, { where: what });
  const offset = Number(entry('offset') ?? 0);
  const length = entry('length') !== undefined ? Number(entry('length')) : expected;
  if (!Number.isSafeInteger(offset) || length !== expected || offset < 0 || offset + length > statSync(real).size) {
    throw new OnnxImportError(`external data (offset ${offset}, length ${length}) does not hold the ${expected} bytes of the tensor in "${location}"`, {
      where: what,
      hint: 'the external data file does not match the model; re-export both together',
    });
  }
  const bytes = new Uint8Array(length);
  const fd = openSync(real, 'r');
  try {
    readSync(fd, bytes, 0, length, offset);
  } finally {
    closeSync(fd);
  }
  return bytes;
}

/**
 * A typed view of `bytes`. Protobuf places raw_data at any offset, so an unaligned tensor is copied
 * (that one tensor only; `new Uint8Array` copies, while Buffer's slice would not).
 */
function view<T>(Kind: { new (b: ArrayBufferLike, o: number, n: number): T; BYTES_PER_ELEMENT: number }, bytes: Uint8Array, n: number): T {
  const aligned = bytes.byteOffset % Kind.BYTES_PER_ELEMENT === 0 ? bytes : new Uint8Array(bytes);
  return new Kind(aligned.buffer, aligned.byteOffset, n);
}

type Numeric = Exclude<DType, 'string'>;

/**
 * Decodes raw little-endian bytes into netsat storage: a view where the dtype allows one. Types
 * whose storage is not exact (int64 and uint64 above 2^53, half-float NaN payloads) keep `bytes`
 * beside the values, so the writer emits them unchanged.
 */
function fromRaw(dtype: Numeric, bytes: Uint8Array, n: number): { data: TypedData; exact?: Uint8Array } {
  switch (dtype) {
    case 'float32':
      return { data: view(Float32Array, bytes, n) };
    case 'float64':
      return { data: view(Float64Array, bytes, n) };
    case 'int8':
      return { data: view(Int8Array, bytes, n) };
    case 'int16':
      return { data: view(Int16Array, bytes, n) };
    case 'int32':
      return { data: view(Int32Array, bytes, n) };
    case 'uint16':
      return { data: view(Uint16Array, bytes, n) };
    case 'uint32':
      return { data: view(Uint32Array, bytes, n) };
    case 'uint8':
    case 'bool':
      return { data: bytes.subarray(0, n) };
    case 'int64':
      return { data: Float64Array.from(view(BigInt64Array, bytes, n), Number), exact: bytes };
    case 'uint64':
      return { data: Float64Array.from(view(BigUint64Array, bytes, n), Number), exact: bytes };
    case 'float16':
      return { data: Float32Array.from(view(Uint16Array, bytes, n), halfToFloat), exact: bytes };
    case 'bfloat16':
      return { data: Float32Array.from(view(Uint16Array, bytes, n), bfloat16ToFloat), exact: bytes };
  }
}

function bytesOf(a: ArrayBufferView): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/**
 * The typed repeated fields (small tensors and Constant attributes are often written this way) as
 * the raw bytes they stand for, so both forms decode alike. The spec puts 8- to 32-bit integers,
 * bool and half floats' bits in int32_data, uint32 and uint64 in uint64_data.
 */
function fieldsToRaw(t: TensorProto, dtype: Numeric): Uint8Array {
  switch (dtype) {
    case 'float32':
      return bytesOf(Float32Array.from(t.floatData));
    case 'float64':
      return bytesOf(Float64Array.from(t.doubleData));
    case 'int64':
      return bytesOf(BigInt64Array.from(t.int64Data));
    case 'uint64':
      return bytesOf(BigUint64Array.from(t.uint64Data));
    case 'uint32':
      return bytesOf(Uint32Array.from(t.uint64Data, Number));
    case 'int32':
      return bytesOf(Int32Array.from(t.int32Data));
    case 'int16':
      return bytesOf(Int16Array.from(t.int32Data));
    case 'uint16':
    case 'float16':
    case 'bfloat16':
      return bytesOf(Uint16Array.from(t.int32Data));
    case 'int8':
      return bytesOf(Int8Array.from(t.int32Data));
    case 'uint8':
    case 'bool':
      return Uint8Array.from(t.int32Data);
  }
}

/** How many values the typed field of `dtype` holds. */
function fieldCount(t: TensorProto, dtype: Numeric): number {
  switch (dtype) {
    case 'float32':
      return t.floatData.length;
    case 'float64':
      return t.doubleData.length;
    case 'int64':
      return t.int64Data.length;
    case 'uint32':
    case 'uint64':
      return t.uint64Data.length;
    default:
      return t.int32Data.length;
  }
}

/** A string tensor: its elements from string_data (the only place the spec allows them), values zero. */
function stringTensor(t: TensorProto, shape: number[], count: number, what: string): NDArray {
  if (t.dataLocation === TensorProto_DataLocation.EXTERNAL || t.rawData.length > 0 || t.stringData.length !== count) {
    throw new OnnxImportError(`string tensor holds ${t.stringData.length} strings in string_data, but [${shape.join(', ')}] needs ${count}`, {
      where: what,
      hint: 'string tensors keep their elements in string_data (not raw_data or external data); the file is corrupt',
    });
  }
  return { dtype: 'string', shape, data: allocData('string', count), exact: t.stringData };
}

/** The tensor's elements as raw little-endian bytes, wherever the file keeps them; sizes checked against the shape. */
function rawOf(t: TensorProto, dtype: Numeric, shape: number[], count: number, what: string, ctx: DataContext): Uint8Array {
  const bytes = count * onnxElementBytes(dtype);
  if (t.dataLocation === TensorProto_DataLocation.EXTERNAL) return externalBytes(t, what, bytes, ctx);
  if (t.rawData.length > 0 || count === 0) {
    if (t.rawData.length !== bytes) {
      throw new OnnxImportError(`raw_data holds ${t.rawData.length} bytes, but ${dtype}[${shape.join(', ')}] needs ${bytes}`, {
        where: what,
        hint: 'the file is truncated or corrupt',
      });
    }
    return t.rawData;
  }
  const values = fieldCount(t, dtype);
  if (values !== count) {
    throw new OnnxImportError(`tensor holds ${values} values, but [${shape.join(', ')}] needs ${count}`, { where: what, hint: 'the file is corrupt' });
  }
  return fieldsToRaw(t, dtype);
}

/** The tensor's data as an NDArray; sizes are checked against the shape before anything is read. */
export function tensorToArray(t: TensorProto, what: string, ctx: DataContext): NDArray {
  const { dtype, shape, count } = tensorShape(t, what);
  if (dtype === 'string') return stringTensor(t, shape, count, what);
  const { data, exact } = fromRaw(dtype, rawOf(t, dtype, shape, count, what, ctx), count);
  return exact ? { dtype, shape, data, exact } : { dtype, shape, data };
}

const INT64_LIMIT = 2 ** 63;
const UINT64_LIMIT = 2 ** 64;

/** Computed values (no bytes kept) as little-endian bytes of the file's element type; a view where storage matches. */
function rawBytes(a: NDArray): Uint8Array {
  const d = a.data;
  switch (a.dtype) {
    case 'int64':
      // Exporters write INT64_MAX as "to the end"; as a double it rounds to 2^63, which must not wrap.
      return bytesOf(BigInt64Array.from(d, (v) => BigInt(Math.max(-INT64_LIMIT, Math.min(v, INT64_LIMIT - 1024)))));
    case 'uint64':
      return bytesOf(BigUint64Array.from(d, (v) => BigInt(Math.max(0, Math.min(v, UINT64_LIMIT - 2048)))));
    case 'float16':
      return bytesOf(Uint16Array.from(d, floatToHalf));
    case 'bfloat16':
      return bytesOf(Uint16Array.from(d, floatToBfloat16));
    default:
      return bytesOf(d);
  }
}

/** An initializer for `data` named `name`: the bytes it was read with where it keeps them, so every type round-trips bit for bit. */
export function arrayToTensor(name: string, dtype: DType, shape: readonly number[], data: NDArray | undefined): TensorProto {
  if (!data) {
    throw new OnnxExportError(`constant ${name} has no data, so it cannot be written to ONNX`, {
      where: name,
      hint: 'build the network with weight data (addConstant({data})) or import it from an ONNX file',
    });
  }
  const head = { name, dataType: onnxCodeOf(dtype), dims: shape.map(BigInt) };
  const exact = data.exact;
  if (dtype !== 'string') return create(TensorProtoSchema, { ...head, rawData: (exact instanceof Uint8Array ? exact : rawBytes(data)) as Uint8Array<ArrayBuffer> });
  if (!Array.isArray(exact)) {
    throw new OnnxExportError(`string constant ${name} has no strings, so it cannot be written to ONNX`, {
      where: name,
      hint: 'string constants are carried from the file they were read from (NDArray.exact); netsat computes none',
    });
  }
  return create(TensorProtoSchema, { ...head, stringData: exact as Uint8Array<ArrayBuffer>[] });
}
