/**
 * RoPE written as standard ops, shared by RotaryEmbedding and GptAttention's decomposition:
 * y = x·cos + rotate(x)·sin on the first R features of the last dim (rotate-half, or pairs
 * (2i, 2i+1) when interleaved), the rest passed through.
 */
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
