/**
 * TensorProto ↔ NDArray. Reading keeps weights where they are: float32, int32 and bool data are
 * typed-array views into the file's bytes (or the external data file's), so a model is never
 * copied whole. Writing emits raw_data.
 */
import { closeSync, openSync, readSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { create } from '@bufbuild/protobuf';
import { TensorProtoSchema, TensorProto_DataLocation } from 'onnx-buf';
import type { TensorProto } from 'onnx-buf';
import type { DType, NDArray, TypedData } from '../../ops/types.js';
import { checkedCount, checkedDim } from './dims.js';
import { dtypeFromOnnx, onnxCodeOf, onnxElementBytes } from './dtypes.js';
import { OnnxExportError, OnnxImportError } from './errors.js';
import { floatToHalf, halfToFloat } from './half.js';

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
  if (length !== expected || offset < 0 || offset + length > statSync(real).size) {
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

/** Decodes raw little-endian bytes into netsat storage: a view where the dtype allows one. */
function fromRaw(dtype: DType, bytes: Uint8Array, n: number): TypedData {
  switch (dtype) {
    case 'float32':
      return view(Float32Array, bytes, n);
    case 'int32':
      return view(Int32Array, bytes, n);
    case 'bool':
      return bytes.subarray(0, n);
    case 'int64': {
      // netsat keeps int64 in a Float64Array, so these (shape-sized) tensors are converted.
      const ints = view(BigInt64Array, bytes, n);
      return Float64Array.from(ints, (v) => Number(v));
    }
    case 'float16': {
      const halves = view(Uint16Array, bytes, n);
      return Float32Array.from(halves, halfToFloat);
    }
  }
}

/** Data from the typed repeated fields (small tensors and Constant attributes are often written this way). */
function fromFields(t: TensorProto, dtype: DType): ArrayLike<number> {
  switch (dtype) {
    case 'float32':
      return t.floatData;
    case 'int64':
      return t.int64Data.map(Number);
    case 'float16':
      return t.int32Data.map(halfToFloat);
    case 'int32':
    case 'bool':
      return t.int32Data;
  }
}

/** The tensor's data as an NDArray; sizes are checked against the shape before anything is read. */
export function tensorToArray(t: TensorProto, what: string, ctx: DataContext): NDArray {
  const { dtype, shape, count } = tensorShape(t, what);
  const bytes = count * onnxElementBytes(dtype);
  let data: TypedData;
  if (t.dataLocation === TensorProto_DataLocation.EXTERNAL) {
    data = fromRaw(dtype, externalBytes(t, what, bytes, ctx), count);
  } else if (t.rawData.length > 0 || count === 0) {
    if (t.rawData.length !== bytes) {
      throw new OnnxImportError(`raw_data holds ${t.rawData.length} bytes, but ${dtype}[${shape.join(', ')}] needs ${bytes}`, {
        where: what,
        hint: 'the file is truncated or corrupt',
      });
    }
    data = fromRaw(dtype, t.rawData, count);
  } else {
    const values = fromFields(t, dtype);
    if (values.length !== count) {
      throw new OnnxImportError(`tensor holds ${values.length} values, but [${shape.join(', ')}] needs ${count}`, { where: what, hint: 'the file is corrupt' });
    }
    data = dtype === 'int64' ? Float64Array.from(values) : dtype === 'int32' ? Int32Array.from(values) : dtype === 'bool' ? Uint8Array.from(values) : Float32Array.from(values);
  }
  return { dtype, shape, data };
}

const INT64_LIMIT = 2 ** 63;

/** Little-endian bytes of the data in the file's element type (a view for float32, int32 and bool). */
function rawBytes(a: NDArray): Uint8Array {
  const d = a.data;
  switch (a.dtype) {
    case 'float32':
    case 'int32':
    case 'bool':
      return new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
    case 'int64':
      // Exporters write INT64_MAX as "to the end"; as a double it rounds to 2^63, which must not wrap.
      return new Uint8Array(BigInt64Array.from(d, (v) => BigInt(Math.max(-INT64_LIMIT, Math.min(v, INT64_LIMIT - 1024)))).buffer);
    case 'float16':
      return new Uint8Array(Uint16Array.from(d, floatToHalf).buffer);
  }
}

/** An initializer for `data` named `name`. */
export function arrayToTensor(name: string, dtype: DType, shape: readonly number[], data: NDArray | undefined): TensorProto {
  if (!data) {
    throw new OnnxExportError(`constant ${name} has no data, so it cannot be written to ONNX`, {
      where: name,
      hint: 'build the network with weight data (addConstant({data})) or import it from an ONNX file',
    });
  }
  return create(TensorProtoSchema, { name, dataType: onnxCodeOf(dtype), dims: shape.map(BigInt), rawData: rawBytes(data) as Uint8Array<ArrayBuffer> });
}
