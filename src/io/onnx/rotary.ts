/**
 * RoPE in ONNX: y = x·cos + rotate(x)·sin on the first R features of the last dim (rotate-half, or
 * pairs (2i, 2i+1) when interleaved), the rest passed through. As standard ops (shared by
 * RotaryEmbedding and GptAttention's decomposition), or as onnxruntime's RotaryEmbedding where its
 * position-indexed half-width caches say the same.
 */
import type { NDArray } from '../../ops/types.js';
import type { Emit } from './emit.js';
import { temp } from './emit.js';

/** Writes RoPE of `x` (rank `rank`, last dim `d`) with cos/sin tables of last dim `r` to `out`; returns `out`. */
export function writeRotary(e: Emit, x: string, cos: string, sin: string, rank: number, d: number, r: number, interleaved: boolean, out: string): string {
  const { w } = e;
  const slice = (from: string, start: number, end: number, step = 1) => w.node('Slice', [from, w.ints([start]), w.ints([end]), w.ints([-1]), w.ints([step])], temp(e, 'slice'))[0]!;
  const partial = d !== r;
  const xr = partial ? slice(x, 0, r) : x;
  let rotated: string;
  if (interleaved) {
    const even = w.node('Unsqueeze', [slice(xr, 0, r, 2), w.ints([-1])], temp(e, 'even'))[0]!;
    const odd = w.node('Unsqueeze', [w.node('Neg', [slice(xr, 1, r, 2)], temp(e, 'neg'))[0]!, w.ints([-1])], temp(e, 'odd'))[0]!;
    const pairs = w.node('Concat', [odd, even], temp(e, 'pairs'), { axis: -1 })[0]!;
    rotated = w.node('Reshape', [pairs, w.ints([...new Array<number>(rank - 1).fill(0), r])], temp(e, 'rotated'))[0]!;
  } else {
    const neg = w.node('Neg', [slice(xr, r / 2, r)], temp(e, 'neg'))[0]!;
    rotated = w.node('Concat', [neg, slice(xr, 0, r / 2)], temp(e, 'rotated'), { axis: -1 })[0]!;
  }
  const xc = w.node('Mul', [xr, cos], temp(e, 'x_cos'))[0]!;
  const rs = w.node('Mul', [rotated, sin], temp(e, 'rot_sin'))[0]!;
  if (!partial) return w.node('Add', [xc, rs], [out])[0]!;
  const turned = w.node('Add', [xc, rs], temp(e, 'turned'))[0]!;
  return w.node('Concat', [turned, slice(x, r, 2 ** 62)], [out], { axis: -1 })[0]!;
}

/** Column i of every row of a [rows, R] table equals column partner(i), for i < R/2. */
function pairsEqual(t: NDArray, r: number, interleaved: boolean): boolean {
  for (let row = 0; row < t.data.length; row += r) {
    for (let i = 0; i < r / 2; i++) {
      const [a, b] = interleaved ? [2 * i, 2 * i + 1] : [i, i + r / 2];
      if (t.data[row + a] !== t.data[row + b]) return false;
    }
  }
  return true;
}

/** The first of each rotated pair's columns: onnxruntime's half-width cache [rows, R/2]. */
function halfCache(e: Emit, t: NDArray, r: number, interleaved: boolean): string {
  const rows = t.data.length / r;
  const values = Array.from({ length: rows * (r / 2) }, (_, k) => {
    const i = k % (r / 2);
    return t.data[Math.floor(k / (r / 2)) * r + (interleaved ? 2 * i : i)]!;
  });
  return e.w.constant(t.dtype, [rows, r / 2], values);
}

/**
 * com.microsoft RotaryEmbedding, which reads one cos and one sin per rotated pair from caches
 * indexed by position: exact when x is [B, N, S, D], cos/sin are constants [.., S, R] whose row s
 * is position s (leading dims 1) and whose two columns of each pair are equal. Position ids are
 * the offset 0. False otherwise (the standard form is written).
 */
export function writeRotaryOrt(e: Emit): boolean {
  const x = e.layer.inputs[0]!.shape;
  const [cos, sin] = [1, 2].map((i) => e.layer.inputs[i]!.getParent()?.constantData);
  const trig = e.layer.inputs[1]!.shape;
  const r = trig[trig.length - 1] as number;
  const interleaved = e.layer.attributes['interleaved'] as boolean;
  const rowsArePositions = trig.length >= 2 && trig[trig.length - 2] === x[2] && trig.slice(0, -2).every((d) => d === 1);
  if (
    x.length !== 4 ||
    typeof x[1] !== 'number' ||
    typeof x[2] !== 'number' ||
    !cos ||
    !sin ||
    !rowsArePositions ||
    !pairsEqual(cos, r, interleaved) ||
    !pairsEqual(sin, r, interleaved)
  )
    return false;
  // A partial rotation names its width, and then the kernel wants the head count too.
  const attrs = { interleaved: interleaved ? 1 : 0, ...(r !== x[3] ? { rotary_embedding_dim: r, num_heads: x[1] as number } : {}) };
  e.w.node('RotaryEmbedding', [e.ins[0]!, e.w.ints([0]), halfCache(e, cos, r, interleaved), halfCache(e, sin, r, interleaved)], e.outs, attrs, 'com.microsoft');
  return true;
}
