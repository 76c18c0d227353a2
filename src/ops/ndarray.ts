/** Allocation and small helpers for NDArray values, shared by every kernel and the interpreter. */
import { ShapeError } from '../errors.js';
import type { DType, NDArray, TypedData } from './types.js';
import { formatShape, numel } from './shape.js';

/** Storage for `n` elements of `dtype` (int64 in a Float64Array, float16 in a Float32Array). */
export function allocData(dtype: DType, n: number): TypedData {
  switch (dtype) {
    case 'float32':
    case 'float16':
      return new Float32Array(n);
    case 'int64':
      return new Float64Array(n);
    case 'int32':
      return new Int32Array(n);
    case 'bool':
      return new Uint8Array(n);
  }
}

/** A new array of `dtype` and `shape`, zero-filled, or holding `values` (converted and copied). */
export function ndarray(dtype: DType, shape: readonly number[], values?: ArrayLike<number>): NDArray {
  const n = numel(shape);
  const data = allocData(dtype, n);
  if (values !== undefined) {
    if (values.length !== n) {
      throw new ShapeError(`${values.length} values for shape ${formatShape(shape)} (${n} elements)`, { where: 'ndarray', hint: 'give one value per element, in row-major order' });
    }
    if (dtype === 'int64' || dtype === 'int32') for (let i = 0; i < n; i++) data[i] = Math.trunc(values[i]!);
    else if (dtype === 'bool') for (let i = 0; i < n; i++) data[i] = values[i] ? 1 : 0;
    else data.set(values);
  }
  return { dtype, shape: [...shape], data };
}

/** Float to integer toward zero, as integer dtypes store it (`+ 0` turns −0 into 0: integers have no signed zero). */
export function truncInt(v: number): number {
  return Math.trunc(v) + 0;
}
