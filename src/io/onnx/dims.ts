/** Checked conversion of ONNX dims (int64) to numbers: negative or absurd sizes are refused before anything is allocated. */
import type { TensorType } from '../../ops/types.js';
import { OnnxImportError } from './errors.js';

/** More elements than this in one tensor (a terabyte of floats) cannot be a real model; 2^62 is refused. */
export const MAX_ELEMENTS = 2 ** 40;

/** One dim as a number; `what` names the tensor for the error. */
export function checkedDim(d: bigint, what: string): number {
  if (d < 0n) {
    throw new OnnxImportError(`dimension ${d} is negative`, { where: what, hint: 'dims are sizes ≥ 0; use a dim_param for a symbolic size' });
  }
  if (d > BigInt(MAX_ELEMENTS)) {
    throw new OnnxImportError(`dimension ${d} is absurdly large (more than 2^40)`, { where: what, hint: 'the file is corrupt or its shape is wrong' });
  }
  return Number(d);
}

/**
 * More dims than this (NumPy's limit) is no real tensor, only a corrupt shape list; a rank in the
 * thousands would make every later layer's type check slow.
 */
export const MAX_RANK = 64;

function checkedRank(rank: number, what: string): void {
  if (rank > MAX_RANK) {
    throw new OnnxImportError(`a tensor of rank ${rank} (more than ${MAX_RANK} dims)`, { where: what, hint: 'the file is corrupt or its shape is wrong' });
  }
}

/** The element count of static dims, refused above MAX_ELEMENTS. */
export function checkedCount(dims: readonly number[], what: string): number {
  checkedRank(dims.length, what);
  let n = 1;
  for (const d of dims) {
    n *= d;
    if (n > MAX_ELEMENTS) {
      throw new OnnxImportError(`shape [${dims.join(', ')}] has more than 2^40 elements`, { where: what, hint: 'the file is corrupt or its shape is wrong' });
    }
  }
  return n;
}

/**
 * A type an op's rule computed from the file's attributes and constants (a kernel wider than its
 * input, a NaN or negative shape value), checked as the file's own dims are, so no network holds
 * a dim that is not a size.
 */
export function checkedType(type: TensorType, what: string): TensorType {
  checkedRank(type.shape.length, what);
  for (const d of type.shape) {
    // A rule indexing past a too-short shape (MatMul of a scalar) gives undefined, not NaN.
    if (typeof d !== 'string' && !Number.isSafeInteger(d)) {
      throw new OnnxImportError(`the op's inputs and attributes give dimension ${d}, which is not a size`, {
        where: what,
        hint: 'the node does not fit its inputs; the file is corrupt',
      });
    }
    if (typeof d === 'number') checkedDim(BigInt(d), what);
  }
  checkedCount(
    type.shape.filter((d): d is number => typeof d === 'number'),
    what,
  );
  return type;
}
