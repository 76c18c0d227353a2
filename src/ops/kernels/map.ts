/** Elementwise maps over one, two or three arrays; the n-ary ones broadcast their operands. */
import { allocData } from '../ndarray.js';
import { broadcastShapes, sameShape } from '../shape.js';
import type { DType, NDArray } from '../types.js';
import { broadcastOffsets } from './broadcast.js';

/** `f` applied to every element of `x`, stored as `dtype` (x's own by default). */
export function mapUnary(x: NDArray, f: (v: number) => number, dtype: DType = x.dtype): NDArray {
  const n = x.data.length;
  const src = x.data;
  const data = allocData(dtype, n);
  for (let i = 0; i < n; i++) data[i] = f(src[i]!);
  return { dtype, shape: [...x.shape], data };
}

/** `f(a, b)` over the broadcast shape of `a` and `b`, stored as `dtype`. */
export function mapBinary(a: NDArray, b: NDArray, dtype: DType, f: (x: number, y: number) => number): NDArray {
  const ad = a.data;
  const bd = b.data;
  if (sameShape(a.shape, b.shape)) {
    const data = allocData(dtype, ad.length);
    for (let i = 0; i < ad.length; i++) data[i] = f(ad[i]!, bd[i]!);
    return { dtype, shape: [...a.shape], data };
  }
  const shape = broadcastShapes([a.shape, b.shape], 'broadcast') as number[];
  const ia = broadcastOffsets(a.shape, shape);
  const ib = broadcastOffsets(b.shape, shape);
  const data = allocData(dtype, ia.length);
  for (let i = 0; i < ia.length; i++) data[i] = f(ad[ia[i]!]!, bd[ib[i]!]!);
  return { dtype, shape, data };
}

/** `f(a, b, c)` over the broadcast shape of the three, stored as `dtype`. */
export function mapTernary(a: NDArray, b: NDArray, c: NDArray, dtype: DType, f: (x: number, y: number, z: number) => number): NDArray {
  const shape = broadcastShapes([a.shape, b.shape, c.shape], 'broadcast') as number[];
  const ia = broadcastOffsets(a.shape, shape);
  const ib = broadcastOffsets(b.shape, shape);
  const ic = broadcastOffsets(c.shape, shape);
  const ad = a.data;
  const bd = b.data;
  const cd = c.data;
  const data = allocData(dtype, ia.length);
  for (let i = 0; i < ia.length; i++) data[i] = f(ad[ia[i]!]!, bd[ib[i]!]!, cd[ic[i]!]!);
  return { dtype, shape, data };
}
