/** Numpy broadcasting on concrete arrays: reading a smaller array as if it had the broadcast shape. */
import { stridesOf } from '../shape.js';
import type { NDArray } from '../types.js';
import { copyStrided, stridedOffsets } from './strided.js';

/** Strides that read an array of `inShape` as `outShape`: 0 along broadcast (size-1 or missing) dims. */
function broadcastStrides(inShape: readonly number[], outShape: readonly number[]): number[] {
  const lead = outShape.length - inShape.length;
  const own = stridesOf(inShape);
  const strides = new Array<number>(outShape.length).fill(0);
  for (let i = 0; i < inShape.length; i++) {
    const d = inShape[i]!;
    if (d === 1) continue;
    if (lead < 0 || d !== outShape[i + lead]) {
      throw new RangeError(`broadcast: [${inShape.join(', ')}] does not broadcast to [${outShape.join(', ')}]`);
    }
    strides[i + lead] = own[i]!;
  }
  return strides;
}

/** For every element of `outShape`, the flat offset of the element of an `inShape` array it reads. */
export function broadcastOffsets(inShape: readonly number[], outShape: readonly number[]): Int32Array {
  return stridedOffsets(outShape, broadcastStrides(inShape, outShape));
}

/** `x` materialized at the broadcast shape `outShape`. */
export function broadcastTo(x: NDArray, outShape: readonly number[]): NDArray {
  return copyStrided(x, outShape, broadcastStrides(x.shape, outShape));
}
