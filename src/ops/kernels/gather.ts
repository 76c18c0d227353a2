/** Gathering slices of an array along one axis by integer indices (Gather, Embedding). */
import { InterpretError } from '../../errors.js';
import { allocData } from '../ndarray.js';
import type { NDArray } from '../types.js';
import { aroundAxis } from './strided.js';

/**
 * Output shape data[:axis] + indices.shape + data[axis+1:]. Negative indices count from the end;
 * an index outside [-size, size) is an InterpretError naming `op`.
 */
export function gather(data: NDArray, indices: NDArray, axis: number, op = 'Gather'): NDArray {
  const { outer, size, inner } = aroundAxis(data.shape, axis);
  const idx = indices.data;
  const count = idx.length;
  const out = allocData(data.dtype, outer * count * inner);
  const src = data.data;
  for (let j = 0; j < count; j++) {
    const raw = idx[j]!;
    if (raw < -size || raw >= size) {
      throw new InterpretError(`${op}: index ${raw} is out of range for axis ${axis} of size ${size}`, {
        where: op,
        hint: `indices must lie in [${-size}, ${size - 1}]`,
      });
    }
    const row = raw < 0 ? raw + size : raw;
    for (let o = 0; o < outer; o++) {
      const from = (o * size + row) * inner;
      out.set(src.subarray(from, from + inner), (o * count + j) * inner);
    }
  }
  const shape = [...data.shape.slice(0, axis), ...indices.shape, ...data.shape.slice(axis + 1)];
  return { dtype: data.dtype, shape, data: out };
}
