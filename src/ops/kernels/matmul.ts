/** Matrix multiplication: the 2-D block every linear kernel shares, and numpy-style batched matmul. */
import { ShapeError } from '../../errors.js';
import { allocData } from '../ndarray.js';
import { broadcastShapes, formatShape, numel, sameDim } from '../shape.js';
import type { Dim, NDArray, Shape, TypedData } from '../types.js';
import { broadcastOffsets } from './broadcast.js';

/** One product op(A)[m, k] · op(B)[k, n]; `transA`/`transB` mean the operand is stored transposed. */
export interface MatmulBlock {
  readonly m: number;
  readonly k: number;
  readonly n: number;
  readonly transA?: boolean;
  readonly transB?: boolean;
}

/**
 * Writes op(A)·op(B) into `out` at `outOff` (row-major [m, n]), reading A and B at their offsets.
 * Sums in float64 so that the reference does not drift with k.
 */
export function matmulInto(a: TypedData, aOff: number, b: TypedData, bOff: number, out: TypedData, outOff: number, blk: MatmulBlock): void {
  const { m, k, n } = blk;
  const aRow = blk.transA ? 1 : k; // stride between rows of op(A)
  const aCol = blk.transA ? m : 1; // stride along a row of op(A)
  const acc = new Float64Array(n);
  for (let i = 0; i < m; i++) {
    const ai = aOff + i * aRow;
    if (blk.transB) {
      // B is [n, k]: each output is a dot product of two contiguous rows.
      for (let j = 0; j < n; j++) {
        const bj = bOff + j * k;
        let s = 0;
        for (let p = 0; p < k; p++) s += a[ai + p * aCol]! * b[bj + p]!;
        acc[j] = s;
      }
    } else {
      // B is [k, n]: i-p-j order keeps the inner loop contiguous in B and in the accumulator.
      acc.fill(0);
      for (let p = 0; p < k; p++) {
        const av = a[ai + p * aCol]!;
        const bp = bOff + p * n;
        for (let j = 0; j < n; j++) acc[j] += av * b[bp + j]!;
      }
    }
    const oi = outOff + i * n;
    for (let j = 0; j < n; j++) out[oi + j] = acc[j]!;
  }
}

/**
 * The output shape of numpy/ONNX matmul: a 1-D A is read as [1, K] and a 1-D B as [K, 1], the
 * promoted dim is dropped from the result, and batch dims broadcast.
 */
export function matmulShape(a: Shape, b: Shape, op: string): Dim[] {
  if (a.length === 0 || b.length === 0) {
    throw new ShapeError(`${op}: operands must have rank ≥ 1, got ${formatShape(a)} and ${formatShape(b)}`, {
      where: op,
      hint: 'Reshape the scalar operand to [1] or use Mul',
    });
  }
  const a2 = a.length === 1 ? [1, a[0]!] : a;
  const b2 = b.length === 1 ? [b[0]!, 1] : b;
  const ka = a2[a2.length - 1]!;
  const kb = b2[b2.length - 2]!;
  if (!sameDim(ka, kb)) {
    throw new ShapeError(`${op}: inner dimensions differ: A ${formatShape(a)} has K = ${ka} but B ${formatShape(b)} has K = ${kb}`, {
      where: op,
      hint: 'the last dim of A must equal the second-to-last dim of B; transpose or reshape one operand',
    });
  }
  const batch = broadcastShapes([a2.slice(0, -2), b2.slice(0, -2)], op);
  const out: Dim[] = [...batch];
  if (a.length > 1) out.push(a2[a2.length - 2]!);
  if (b.length > 1) out.push(b2[b2.length - 1]!);
  return out;
}

/**
 * Batched matmul with numpy semantics. With `transB`, B's last two dims are stored swapped
 * ([..., N, K]), as linear layers keep their weights.
 */
export function matmul(a: NDArray, b: NDArray, transB = false): NDArray {
  const rb = b.shape.length;
  const bLogical = transB && rb >= 2 ? [...b.shape.slice(0, -2), b.shape[rb - 1]!, b.shape[rb - 2]!] : b.shape;
  const shape = matmulShape(a.shape, bLogical, 'MatMul') as number[];
  const a2 = a.shape.length === 1 ? [1, a.shape[0]!] : a.shape;
  const b2 = bLogical.length === 1 ? [bLogical[0]!, 1] : bLogical;
  const m = a2[a2.length - 2]!;
  const k = a2[a2.length - 1]!;
  const n = b2[b2.length - 1]!;
  const batchA = a2.slice(0, -2);
  const batchB = b2.slice(0, -2);
  const batch = broadcastShapes([batchA, batchB], 'MatMul') as number[];
  const ia = broadcastOffsets(batchA, batch);
  const ib = broadcastOffsets(batchB, batch);
  const data = allocData(a.dtype, numel(batch) * m * n);
  const blk: MatmulBlock = { m, k, n, transB };
  for (let t = 0; t < ia.length; t++) matmulInto(a.data, ia[t]! * m * k, b.data, ib[t]! * k * n, data, t * m * n, blk);
  return { dtype: a.dtype, shape, data };
}
