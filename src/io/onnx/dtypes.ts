/** ONNX element types (TensorProto.DataType codes) and the netsat dtypes they map to. */
import type { DType } from '../../ops/types.js';
import { OnnxImportError } from './errors.js';

const TO_ONNX: Readonly<Record<DType, number>> = {
  float32: 1,
  uint8: 2,
  int8: 3,
  uint16: 4,
  int16: 5,
  int32: 6,
  int64: 7,
  string: 8,
  bool: 9,
  float16: 10,
  float64: 11,
  uint32: 12,
  uint64: 13,
  bfloat16: 16,
};
const FROM_ONNX: ReadonlyMap<number, DType> = new Map(Object.entries(TO_ONNX).map(([dtype, code]) => [code, dtype as DType]));

/** Codes onnxruntime has no tensors of, named for the error. */
const ONNX_NAMES: Readonly<Record<number, string>> = {
  0: 'UNDEFINED',
  14: 'COMPLEX64',
  15: 'COMPLEX128',
  17: 'FLOAT8E4M3FN',
  18: 'FLOAT8E4M3FNUZ',
  19: 'FLOAT8E5M2',
  20: 'FLOAT8E5M2FNUZ',
  21: 'UINT4',
  22: 'INT4',
};

/** The netsat dtype of an ONNX element type code; others are an OnnxImportError naming `where`. */
export function dtypeFromOnnx(code: number, where: string): DType {
  const dtype = FROM_ONNX.get(code);
  if (!dtype) {
    throw new OnnxImportError(`element type ${ONNX_NAMES[code] ?? code} is not supported`, {
      where,
      hint: 'netsat handles the element types onnxruntime runs on CPU (floats, signed and unsigned integers, bool, string); cast the tensor to one of them first',
    });
  }
  return dtype;
}

export function onnxCodeOf(dtype: DType): number {
  return TO_ONNX[dtype];
}

const ONNX_BYTES: Readonly<Record<Exclude<DType, 'string'>, number>> = {
  int8: 1,
  uint8: 1,
  bool: 1,
  float16: 2,
  bfloat16: 2,
  int16: 2,
  uint16: 2,
  float32: 4,
  int32: 4,
  uint32: 4,
  float64: 8,
  int64: 8,
  uint64: 8,
};

/** Bytes per element in an ONNX file's raw_data (float16 is 2 there though netsat computes it in float32); strings have none. */
export function onnxElementBytes(dtype: Exclude<DType, 'string'>): number {
  return ONNX_BYTES[dtype];
}
