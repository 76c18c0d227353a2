/** Allocation and small helpers for NDArray values, shared by every kernel and the interpreter. */
import { ShapeError } from '../errors.js';
import type { DType, NDArray, TypedData } from './types.js';
import { formatShape, numel } from './shape.js';

/**
 * Storage for `n` elements of `dtype`: the matching typed array, float16 and bfloat16 in a
 * Float32Array (computed as float32), int64 and uint64 in a Float64Array (exact to 2^53), and zeros
 * for strings, which are carried in NDArray.exact and never computed.
 */
export function allocData(dtype: DType, n: number): TypedData {
  switch (dtype) {
    case 'float32':
    case 'float16':
    case 'bfloat16':
      return new Float32Array(n);
    case 'float64':
    case 'int64':
    case 'uint64':
      return new Float64Array(n);
    case 'int8':
      return new Int8Array(n);
    case 'int16':
      return new Int16Array(n);
    case 'int32':
      return new Int32Array(n);
    case 'uint8':
    case 'bool':
    case 'string':
      return new Uint8Array(n);
    case 'uint16':
      return new Uint16Array(n);
    case 'uint32':
      return new Uint32Array(n);
  }
}

/** Bytes one element of `dtype` takes in the interpreter's storage (int64 as float64, float16 as float32, bool as a byte). */
export function storageBytes(dtype: DType): number {
  return allocData(dtype, 0).BYTES_PER_ELEMENT;
}

/** A new array of `dtype` and `shape`, zero-filled, or holding `values` (converted and copied). */
export function ndarray(dtype: DType, shape: readonly number[], values?: ArrayLike<number>): NDArray {
  const n = numel(shape);
  const data = allocData(dtype, n);
  if (values !== undefined) {
    if (values.length !== n) {
      throw new ShapeError(`${values.length} values for shape ${formatShape(shape)} (${n} elements)`, { where: 'ndarray', hint: 'give one value per element, in row-major order' });
    }
    if (dtype === 'int64' || dtype === 'uint64') for (let i = 0; i < n; i++) data[i] = Math.trunc(values[i]!);
    else if (dtype === 'bool') for (let i = 0; i < n; i++) data[i] = values[i] ? 1 : 0;
    else data.set(values);
  }
  return { dtype, shape: [...shape], data };
}

/** Float to integer toward zero, as integer dtypes store it (`+ 0` turns −0 into 0: integers have no signed zero). */
export function truncInt(v: number): number {
  return Math.trunc(v) + 0;
}

/** Whether `data` alone may not tell two arrays' kept bytes apart: strings, integers beyond 2^53, NaN payloads. */
function dataInexact(a: NDArray): boolean {
  return a.dtype === 'string' || Array.prototype.some.call(a.data, (v: number) => Number.isNaN(v) || Math.abs(v) >= 2 ** 53);
}

/**
 * Whether `data` holds the array bit for bit, so a kernel may compute on it: not so for strings,
 * integers beyond 2^53 or NaN payloads read from a file, whose bytes only NDArray.exact keeps.
 */
export function dataIsExact(a: NDArray): boolean {
  return !a.exact || !dataInexact(a);
}

/**
 * The kept bytes (NDArray.exact) as text where the values alone do not determine them, else '':
 * keys of constants by value append it, so two uint64 constants that differ only above 2^53 never merge.
 */
export function exactKey(a: NDArray): string {
  if (dataIsExact(a)) return '';
  const parts = a.exact instanceof Uint8Array ? [a.exact] : a.exact!;
  return parts.map((p) => Array.from(p, (b) => b.toString(16).padStart(2, '0')).join('')).join('|');
}
