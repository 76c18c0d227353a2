/**
 * The element types each op netsat writes takes for its first input, per version, from the type
 * constraints of ONNX's docs/Changelog.md: writing an older opset than a model's checks them, since
 * many ops took fewer types then (Pow took no integers before 12, Cast no strings before 9).
 */
export const FIRST_INPUT_TYPES: Readonly<Record<string, Readonly<Record<number, string>>>> = {
  Add: {
    1: 'float16 float double',
    6: 'uint32 uint64 int32 int64 float16 float double',
    7: 'uint32 uint64 int32 int64 float16 float double',
    13: 'uint32 uint64 int32 int64 float16 float double bfloat16',
    14: 'uint8 uint16 uint32 uint64 int8 int16 int32 int64 float16 float double bfloat16',
  },
  AveragePool: {
    1: 'float16 float double',
    7: 'float16 float double',
    10: 'float16 float double',
    11: 'float16 float double',
    19: 'float16 float double',
  },
  BatchNormalization: {
    1: 'float16 float double',
    6: 'float16 float double',
    7: 'float16 float double',
    9: 'float16 float double',
    14: 'float16 float double bfloat16',
    15: 'float16 float double bfloat16',
  },
  Cast: {
    1: 'float16 float double int8 int16 int32 int64 uint8 uint16 uint32 uint64 bool',
    6: 'float16 float double int8 int16 int32 int64 uint8 uint16 uint32 uint64 bool',
    9: 'float16 float double int8 int16 int32 int64 uint8 uint16 uint32 uint64 bool string',
    13: 'float16 float double int8 int16 int32 int64 uint8 uint16 uint32 uint64 bool string bfloat16',
    19: 'float16 float double int8 int16 int32 int64 uint8 uint16 uint32 uint64 bool string bfloat16 float8e4m3fn float8e4m3fnuz float8e5m2 float8e5m2fnuz',
    21: 'float16 float double int8 int16 int32 int64 uint8 uint16 uint32 uint64 bool string bfloat16 float8e4m3fn float8e4m3fnuz float8e5m2 float8e5m2fnuz uint4 int4',
  },
  Concat: {
    1: 'float16 float double',
    4: 'uint8 uint16 uint32 uint64 int8 int16 int32 int64 float16 float double string bool complex64 complex128',
    11: 'uint8 uint16 uint32 uint64 int8 int16 int32 int64 float16 float double string bool complex64 complex128',
    13: 'uint8 uint16 uint32 uint64 int8 int16 int32 int64 bfloat16 float16 float double string bool complex64 complex128',
  },
  Conv: {
    1: 'float16 float double',
    11: 'float16 float double',
  },
  Div: {
    1: 'float16 float double',
    6: 'uint32 uint64 int32 int64 float16 float double',
    7: 'uint32 uint64 int32 int64 float16 float double',
    13: 'uint32 uint64 int32 int64 float16 float double bfloat16',
    14: 'uint8 uint16 uint32 uint64 int8 int16 int32 int64 float16 float double bfloat16',
  },
  Erf: {
    9: 'uint8 uint16 uint32 uint64 int8 int16 int32 int64 float16 float double',
    13: 'bfloat16 float16 float double',
  },
  Exp: {
    1: 'float16 float double',
    6: 'float16 float double',
    13: 'bfloat16 float16 float double',
  },
  Expand: {
    8: 'uint8 uint16 uint32 uint64 int8 int16 int32 int64 float16 float double string bool complex64 complex128',
    13: 'uint8 uint16 uint32 uint64 int8 int16 int32 int64 bfloat16 float16 float double string bool complex64 complex128',
  },
  Flatten: {
    1: 'float16 float double',
    9: 'uint8 uint16 uint32 uint64 int8 int16 int32 int64 float16 float double string bool complex64 complex128',
    11: 'uint8 uint16 uint32 uint64 int8 int16 int32 int64 float16 float double string bool complex64 complex128',
    13: 'uint8 uint16 uint32 uint64 int8 int16 int32 int64 bfloat16 float16 float double string bool complex64 complex128',
    21: 'uint8 uint16 uint32 uint64 int8 int16 int32 int64 bfloat16 float16 float double string bool complex64 complex128 float8e4m3fn float8e4m3fnuz float8e5m2 float8e5m2fnuz uint4 int4',
  },
  Gather: {
    1: 'uint8 uint16 uint32 uint64 int8 int16 int32 int64 float16 float double string bool complex64 complex128',
    11: 'uint8 uint16 uint32 uint64 int8 int16 int32 int64 float16 float double string bool complex64 complex128',
    13: 'uint8 uint16 uint32 uint64 int8 int16 int32 int64 bfloat16 float16 float double string bool complex64 complex128',
  },
  Gelu: {
    20: 'float16 float double bfloat16',
  },
  Gemm: {
    1: 'float16 float double',
    6: 'float16 float double',
    7: 'float16 float double',
    9: 'float16 float double uint32 uint64 int32 int64',
    11: 'float16 float double uint32 uint64 int32 int64',
    13: 'float16 float double uint32 uint64 int32 int64 bfloat16',
  },
  GlobalAveragePool: {
    1: 'float16 float double',
  },
  Identity: {
    1: 'uint8 uint16 uint32 uint64 int8 int16 int32 int64 float16 float double string bool complex64 complex128',
    13: 'uint8 uint16 uint32 uint64 int8 int16 int32 int64 bfloat16 float16 float double string bool complex64 complex128',
    14: 'uint8 uint16 uint32 uint64 int8 int16 int32 int64 bfloat16 float16 float double string bool complex64 complex128 uint8 uint16 uint32 uint64 int8 int16 int32 int64 float16 float double string bool complex64 complex128',
    16: 'uint8 uint16 uint32 uint64 int8 int16 int32 int64 bfloat16 float16 float double string bool complex64 complex128 uint8 uint16 uint32 uint64 int8 int16 int32 int64 float16 float double string bool complex64 complex128 uint8 uint16 uint32 uint64 int8 int16 int32 int64 float16 float double string bool complex64 complex128 uint8 uint16 uint32 uint64 int8 int16 int32 int64 float16 float double string bool complex64 complex128',
    19: 'uint8 uint16 uint32 uint64 int8 int16 int32 int64 bfloat16 float16 float double string bool complex64 complex128 float8e4m3fn float8e4m3fnuz float8e5m2 float8e5m2fnuz uint8 uint16 uint32 uint64 int8 int16 int32 int64 float16 float double string bool complex64 complex128 uint8 uint16 uint32 uint64 int8 int16 int32 int64 float16 float double string bool complex64 complex128 uint8 uint16 uint32 uint64 int8 int16 int32 int64 float16 float double string bool complex64 complex128',
    21: 'uint8 uint16 uint32 uint64 int8 int16 int32 int64 bfloat16 float16 float double string bool complex64 complex128 float8e4m3fn float8e4m3fnuz float8e5m2 float8e5m2fnuz uint4 int4 uint8 uint16 uint32 uint64 int8 int16 int32 int64 float16 float double string bool complex64 complex128 uint8 uint16 uint32 uint64 int8 int16 int32 int64 float16 float double string bool complex64 complex128 uint8 uint16 uint32 uint64 int8 int16 int32 int64 float16 float double string bool complex64 complex128',
  },
  IsNaN: {
    9: 'float16 float double',
    13: 'float16 float double bfloat16',
    20: 'bfloat16 float16 float double float8e4m3fn float8e4m3fnuz float8e5m2 float8e5m2fnuz',
  },
  LayerNormalization: {
    17: 'float16 float double bfloat16',
  },
  Log: {
    1: 'float16 float double',
    6: 'float16 float double',
    13: 'float16 float double bfloat16',
  },
  MatMul: {
    1: 'float16 float double',
    9: 'float16 float double uint32 uint64 int32 int64',
    13: 'float16 float double uint32 uint64 int32 int64 bfloat16',
  },
  MaxPool: {
    1: 'float16 float double',
    8: 'float16 float double',
    10: 'float16 float double',
    11: 'float16 float double',
    12: 'float16 float double int8 uint8',
  },
  Mul: {
    1: 'float16 float double',
    6: 'uint32 uint64 int32 int64 float16 float double',
    7: 'uint32 uint64 int32 int64 float16 float double',
    13: 'uint32 uint64 int32 int64 float16 float double bfloat16',
    14: 'uint8 uint16 uint32 uint64 int8 int16 int32 int64 float16 float double bfloat16',
  },
  Neg: {
    1: 'float16 float double',
    6: 'float int32 int8 int16 int64 float16 double',
    13: 'float int32 int8 int16 int64 float16 double bfloat16',
  },
  Pow: {
    1: 'float16 float double',
    7: 'float16 float double',
    12: 'int32 int64 float16 float double',
    13: 'int32 int64 float16 float double bfloat16',
    15: 'int32 int64 float16 float double bfloat16',
  },
  Reciprocal: {
    1: 'float16 float double',
    6: 'float16 float double',
    13: 'float16 float double bfloat16',
  },
  ReduceMean: {
    1: 'uint32 uint64 int32 int64 float16 float double',
    11: 'uint32 uint64 int32 int64 float16 float double',
    13: 'uint32 uint64 int32 int64 float16 float double bfloat16',
    18: 'uint32 uint64 int32 int64 float16 float double bfloat16',
  },
  ReduceSum: {
    1: 'uint32 uint64 int32 int64 float16 float double',
    11: 'uint32 uint64 int32 int64 float16 float double',
    13: 'uint32 uint64 int32 int64 float16 float double bfloat16',
  },
  Relu: {
    1: 'float16 float double',
    6: 'float16 float double',
    13: 'float16 float double bfloat16',
    14: 'float int32 int8 int16 int64 float16 double bfloat16',
  },
  Reshape: {
    1: 'float16 float double',
    5: 'uint8 uint16 uint32 uint64 int8 int16 int32 int64 float16 float double string bool complex64 complex128',
    13: 'uint8 uint16 uint32 uint64 int8 int16 int32 int64 bfloat16 float16 float double string bool complex64 complex128',
    14: 'uint8 uint16 uint32 uint64 int8 int16 int32 int64 bfloat16 float16 float double string bool complex64 complex128',
    19: 'uint8 uint16 uint32 uint64 int8 int16 int32 int64 bfloat16 float16 float double string bool complex64 complex128 float8e4m3fn float8e4m3fnuz float8e5m2 float8e5m2fnuz',
    21: 'uint8 uint16 uint32 uint64 int8 int16 int32 int64 bfloat16 float16 float double string bool complex64 complex128 float8e4m3fn float8e4m3fnuz float8e5m2 float8e5m2fnuz uint4 int4',
  },
  Sigmoid: {
    1: 'float16 float double',
    6: 'float16 float double',
    13: 'float16 float double bfloat16',
  },
  Slice: {
    1: 'uint8 uint16 uint32 uint64 int8 int16 int32 int64 float16 float double string bool complex64 complex128',
    10: 'uint8 uint16 uint32 uint64 int8 int16 int32 int64 float16 float double string bool complex64 complex128',
    11: 'uint8 uint16 uint32 uint64 int8 int16 int32 int64 float16 float double string bool complex64 complex128',
    13: 'uint8 uint16 uint32 uint64 int8 int16 int32 int64 bfloat16 float16 float double string bool complex64 complex128',
  },
  Softmax: {
    1: 'float16 float double',
    11: 'float16 float double',
    13: 'float16 float double bfloat16',
  },
  Split: {
    1: 'float16 float double',
    2: 'uint8 uint16 uint32 uint64 int8 int16 int32 int64 float16 float double string bool complex64 complex128',
    11: 'uint8 uint16 uint32 uint64 int8 int16 int32 int64 float16 float double string bool complex64 complex128',
    13: 'uint8 uint16 uint32 uint64 int8 int16 int32 int64 bfloat16 float16 float double string bool complex64 complex128',
    18: 'uint8 uint16 uint32 uint64 int8 int16 int32 int64 bfloat16 float16 float double string bool complex64 complex128',
  },
  Sqrt: {
    1: 'float16 float double',
    6: 'float16 float double',
    13: 'float16 float double bfloat16',
  },
  Squeeze: {
    1: 'uint8 uint16 uint32 uint64 int8 int16 int32 int64 float16 float double string bool complex64 complex128',
    11: 'uint8 uint16 uint32 uint64 int8 int16 int32 int64 float16 float double string bool complex64 complex128',
    13: 'uint8 uint16 uint32 uint64 int8 int16 int32 int64 bfloat16 float16 float double string bool complex64 complex128',
    21: 'uint8 uint16 uint32 uint64 int8 int16 int32 int64 bfloat16 float16 float double string bool complex64 complex128 float8e4m3fn float8e4m3fnuz float8e5m2 float8e5m2fnuz uint4 int4',
  },
  Sub: {
    1: 'float16 float double',
    6: 'uint32 uint64 int32 int64 float16 float double',
    7: 'uint32 uint64 int32 int64 float16 float double',
    13: 'uint32 uint64 int32 int64 float16 float double bfloat16',
    14: 'uint8 uint16 uint32 uint64 int8 int16 int32 int64 float16 float double bfloat16',
  },
  Tanh: {
    1: 'float16 float double',
    6: 'float16 float double',
    13: 'bfloat16 float16 float double',
  },
  Transpose: {
    1: 'uint8 uint16 uint32 uint64 int8 int16 int32 int64 float16 float double string bool complex64 complex128',
    13: 'uint8 uint16 uint32 uint64 int8 int16 int32 int64 bfloat16 float16 float double string bool complex64 complex128',
    21: 'uint8 uint16 uint32 uint64 int8 int16 int32 int64 bfloat16 float16 float double string bool complex64 complex128 float8e4m3fn float8e4m3fnuz float8e5m2 float8e5m2fnuz uint4 int4',
  },
  Unsqueeze: {
    1: 'uint8 uint16 uint32 uint64 int8 int16 int32 int64 float16 float double string bool complex64 complex128',
    11: 'uint8 uint16 uint32 uint64 int8 int16 int32 int64 float16 float double string bool complex64 complex128',
    13: 'uint8 uint16 uint32 uint64 int8 int16 int32 int64 bfloat16 float16 float double string bool complex64 complex128',
    21: 'uint8 uint16 uint32 uint64 int8 int16 int32 int64 bfloat16 float16 float double string bool complex64 complex128 float8e4m3fn float8e4m3fnuz float8e5m2 float8e5m2fnuz uint4 int4',
  },
  Where: {
    9: 'bool',
    16: 'bool',
  },
};

/** ONNX's name of a netsat element type, as the Changelog's type constraints spell it. */
function onnxTypeName(dtype: string): string {
  return dtype === 'float32' ? 'float' : dtype === 'float64' ? 'double' : dtype;
}

/** Whether version `version` of `op` takes `dtype` for its first input; true where netsat has no table for it. */
export function takesFirstInput(op: string, version: number, dtype: string): boolean {
  const types = FIRST_INPUT_TYPES[op]?.[version];
  return types === undefined || types.split(' ').includes(onnxTypeName(dtype));
}
