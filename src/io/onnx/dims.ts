/** Checked conversion of ONNX dims (int64) to numbers: negative or absurd sizes are refused before anything is allocated. */
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

/** The element count of static dims, refused above MAX_ELEMENTS. */
export function checkedCount(dims: readonly number[], what: string): number {
  let n = 1;
  for (const d of dims) {
    n *= d;
    if (n > MAX_ELEMENTS) {
      throw new OnnxImportError(`shape [${dims.join(', ')}] has more than 2^40 elements`, { where: what, hint: 'the file is corrupt or its shape is wrong' });
    }
  }
  return n;
}
