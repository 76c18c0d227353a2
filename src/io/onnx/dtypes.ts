/** ONNX element types (TensorProto.DataType codes) and the netsat dtypes they map to. */
import type { DType } from '../../ops/types.js';
import { OnnxImportError } from './errors.js';

const FROM_ONNX: Readonly<Record<number, DType>> = { 1: 'float32', 6: 'int32', 7: 'int64', 9: 'bool', 10: 'float16' };
const TO_ONNX: Readonly<Record<DType, number>> = { float32: 1, int32: 6, int64: 7, bool: 9, float16: 10 };
const ONNX_NAMES: Readonly<Record<number, string>> = {
  0: 'UNDEFINED',
  2: 'UINT8',
  3: 'INT8',
  4: 'UINT16',
  5: 'INT16',
  8: 'STRING',
  11: 'DOUBLE',
  12: 'UINT32',
  13: 'UINT64',
  16: 'BFLOAT16',
};

/** The netsat dtype of an ONNX element type code; others are an OnnxImportError naming `where`. */
export function dtypeFromOnnx(code: number, where: string): DType {
  const dtype = FROM_ONNX[code];
  if (!dtype) {
    throw new OnnxImportError(`element type ${ONNX_NAMES[code] ?? code} is not supported`, {
      where,
      hint: 'netsat handles float32, float16, int64, int32 and bool tensors; cast the model (e.g. onnxconverter-common) first',
    });
  }
  return dtype;
}

export function onnxCodeOf(dtype: DType): number {
  return TO_ONNX[dtype];
}

/** Bytes per element in an ONNX file (float16 is 2 there though netsat computes it in float32). */
export function onnxElementBytes(dtype: DType): number {
  return { float32: 4, int32: 4, int64: 8, bool: 1, float16: 2 }[dtype];
}
