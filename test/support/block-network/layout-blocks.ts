/**
 * Blocks that move data or broadcast it: reshape/transpose chains (with identities and inverse
 * pairs the layout rules remove), elementwise ops with constants of every rank (one-element ones
 * of rank 0..4 among them, ones and zeros included), and Split/Concat/Slice on the feature axis.
 */
import * as F from '../../../src/network/functional/primitives.js';
import type { Tensor } from '../../../src/network/tensor.js';
import type { Dim } from '../../../src/ops/types.js';
import type { BlockContext } from './context.js';
import { permutation } from '../random-network.js';
import { lastDim } from './context.js';
import type { Picks } from './picks.js';

/** The inverse of a permutation. */
function inverse(perm: readonly number[]): number[] {
  const out = new Array<number>(perm.length);
  perm.forEach((axis, i) => (out[axis] = i));
  return out;
}

/** One reshape or transpose step on `x`. */
function layoutStep(x: Tensor, p: Picks): Tensor {
  const rank = x.shape.length;
  const last = x.shape[rank - 1];
  const copy = new Array<number>(Math.max(rank - 1, 0)).fill(0);
  switch (p.of(['transpose', 'split-last', 'merge-last', 'rows', 'transpose-pair', 'identity', 'unsqueeze'])) {
    case 'transpose':
      return rank >= 2 ? F.transpose(x, permutation(rank, p.raw())) : x;
    case 'split-last':
      return typeof last === 'number' && last % 2 === 0 && rank < 5 ? F.reshape(x, [...copy, 2, last / 2]) : x;
    case 'merge-last':
      return rank >= 2 ? F.reshape(x, [...copy.slice(1), -1]) : x;
    case 'rows':
      return typeof last === 'number' ? F.reshape(x, [-1, last]) : x;
    case 'transpose-pair': {
      if (rank < 2) return x;
      const perm = permutation(rank, p.raw());
      return F.transpose(F.transpose(x, perm), inverse(perm));
    }
    case 'identity':
      return p.oneIn(2)
        ? F.transpose(
            x,
            Array.from({ length: rank }, (_, i) => i),
          )
        : F.reshape(x, [...copy, 0]);
    default: {
      const axis = p.of([0, rank]);
      return F.squeeze(F.unsqueeze(x, [axis]), [axis]);
    }
  }
}

/** A chain of one to four reshapes and transposes, mostly brought back to [B, S, X]. */
export function layoutBlock(ctx: BlockContext, p: Picks): Tensor[] {
  const x = ctx.sequence(p);
  let y = x;
  const steps = p.of([2, 1, 3, 4]);
  for (let i = 0; i < steps; i++) y = layoutStep(y, p);
  const back = p.oneIn(4) ? undefined : backToSequence(ctx, y, lastDim(x));
  return [back ?? y];
}

/**
 * y (which holds B·S·width elements) reshaped to [B, S, width]. A reshape spells the batch or the
 * sequence with a number, -1 or a 0 that copies a dim in place, so with both symbolic y must
 * already start with them.
 */
function backToSequence(ctx: BlockContext, y: Tensor, width: number): Tensor | undefined {
  if (ctx.staticBatch !== undefined) return F.reshape(y, [ctx.staticBatch, -1, width]);
  if (ctx.staticSeq !== undefined) return F.reshape(y, [-1, ctx.staticSeq, width]);
  return y.shape[0] === ctx.batch && y.shape[1] === ctx.seq ? F.reshape(y, [0, 0, -1]) : undefined;
}

/** A constant shape that broadcasts onto `shape` without changing it, of rank 0..rank+1 (a rank above grows the result). */
function broadcastShape(shape: readonly Dim[], p: Picks): number[] {
  const rank = p.of([0, 1, 2, shape.length, shape.length + 1]);
  return Array.from({ length: rank }, (_, i) => {
    const d = shape[shape.length - rank + i];
    return typeof d === 'number' && !p.oneIn(3) ? d : 1;
  });
}

/** x op c with c a constant of any rank: random, ones or zeros; Div only by constants away from zero. */
export function broadcastBlock(ctx: BlockContext, p: Picks): Tensor[] {
  const x = ctx.sequence(p);
  const shape = broadcastShape(x.shape, p);
  // Two scalar factors in a row, which fold into one.
  if (p.oneIn(6)) return [F.mul(F.mul(x, ctx.random([])), ctx.random([]))];
  const op = p.of([F.add, F.mul, F.sub, F.div]);
  if (op === F.div) return [F.div(x, ctx.random(shape, 0.5, p.of([1, -1])))];
  const fill = p.of([undefined, 1, 0, undefined]);
  const constant = fill === undefined ? ctx.random(shape) : ctx.filled(shape, fill);
  return [p.oneIn(3) ? op(constant, x) : op(x, constant)];
}

/** Split on the feature axis and concatenated back (in order or not), sliced, or joined with another sequence. */
export function splitConcatBlock(ctx: BlockContext, p: Picks): Tensor[] {
  const x = ctx.sequence(p);
  const width = lastDim(x);
  switch (p.of(['split-concat', 'slice', 'concat', 'split', 'mixed-splits'])) {
    case 'split-concat': {
      const parts = splitLast(x, width, p);
      const order = p.oneIn(3) ? [...parts].reverse() : parts;
      const touched = p.oneIn(4) ? [F.relu(order[0]!), ...order.slice(1)] : order;
      return [F.concat(touched, p.of([-1, 2]))];
    }
    case 'slice': {
      const start = p.of([0, 1, 2]) % width;
      const end = p.of([2147483647, width, start + 1, -1]);
      return [F.slice(x, { starts: [start], ends: [end], axes: [p.of([-1, 2])], steps: [p.of([1, 1, 2])] })];
    }
    case 'concat': {
      const other = ctx.sequences[p.raw() % ctx.sequences.length]!;
      const pair = p.oneIn(2) ? [other, x] : [x, other];
      const axis = p.of([-1, 2]);
      const joined = F.concat(pair, axis);
      if (!p.oneIn(3)) return [joined];
      // Split again, at the seam (giving the pair back) or one column off it.
      const seam = lastDim(pair[0]!) - (p.oneIn(3) ? 1 : 0);
      return seam > 0 ? F.split(joined, { axis, split: [seam, lastDim(joined) - seam] }) : [joined];
    }
    case 'mixed-splits':
      return width >= 3 ? [mixedSplits(x, width, p)] : splitLast(x, width, p);
    default:
      return splitLast(x, width, p);
  }
}

/**
 * Part k of one of three splits of x (sizes [1, 1, W-2] rotated), concatenated: x itself when
 * the parts come from one split (or line up by chance), another tensor, often of x's shape, when
 * not, which is what concat-of-split rules must check.
 */
function mixedSplits(x: Tensor, width: number, p: Picks): Tensor {
  const sizes = [1, 1, width - 2];
  const rotated = (r: number) => [...sizes.slice(r), ...sizes.slice(0, r)];
  const axis = p.of([-1, 2]);
  const parts = [0, 1, 2].map((k) => F.split(x, { axis, split: rotated(p.of([0, 1, 2])) })[k]!);
  return F.concat(parts, axis);
}

/** x split on its last axis: equal parts by count, or sizes. */
function splitLast(x: Tensor, width: number, p: Picks): Tensor[] {
  const axis = p.of([-1, 2]);
  if (width % 2 === 0 && p.oneIn(2)) return F.split(x, { axis, numOutputs: 2 });
  const first = 1 + (p.raw() % Math.max(width - 1, 1));
  return width > 1 ? F.split(x, { axis, split: [first, width - first] }) : [x];
}
