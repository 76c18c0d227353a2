/**
 * Blocks of the dense side of a transformer as the PyTorch exporter writes them: projections
 * (MatMul + Add, Gemm on flattened rows), norms in their decomposed forms, and activations (GELU,
 * SiLU, SwiGLU) spelled out op by op. Each varies the details a rule must check: bias shapes,
 * reduced axes, literal ranks, operand order, Gemm's attributes.
 */
import * as F from '../../../src/network/functional/primitives.js';
import type { Tensor } from '../../../src/network/tensor.js';
import type { BlockContext } from './context.js';
import { lastDim } from './context.js';
import type { Picks } from './picks.js';

/** y = x·W (+ b): one to three projections of one input, sometimes concatenated. */
export function linearBlock(ctx: BlockContext, p: Picks): Tensor[] {
  const x = ctx.sequence(p);
  const k = lastDim(x);
  const count = p.of([1, 2, 3]);
  const outs: Tensor[] = [];
  for (let i = 0; i < count; i++) {
    const n = p.of([8, 4, 6]);
    let y = F.matmul(x, ctx.weight([k, n]));
    if (!p.oneIn(3)) {
      const b = ctx.random(p.of([[n], [n], [1, n], [1, 1, n]]), 0.5);
      y = p.oneIn(4) ? F.add(b, y) : F.add(y, b);
    }
    outs.push(p.oneIn(3) ? p.of([F.relu, F.gelu, F.silu, (t: Tensor) => F.gelu(t, { approximate: 'tanh' })])(y) : y);
  }
  return p.oneIn(4) && count > 1 ? [F.concat(outs, p.of([-1, 2]))] : outs;
}

/** GPT-2's Conv1D: rows flattened to 2-D, a Gemm (bias, transB, alpha, beta vary) or a 2-D MatMul, rows unflattened. */
export function gemmBlock(ctx: BlockContext, p: Picks): Tensor[] {
  const x = ctx.sequence(p);
  const k = lastDim(x);
  const n = p.of([8, 4, 6]);
  const rows = F.reshape(x, [-1, k]);
  const y = p.oneIn(3) ? rowsProduct(ctx, rows, n, p) : gemm(ctx, rows, n, p);
  return [unflatten(ctx, y, n, p)];
}

/** A Gemm on rows [R, K]: transposed operands, a bias of rank 0..2 or none, alpha and beta other than 1 now and then. */
function gemm(ctx: BlockContext, rows: Tensor, n: number, p: Picks): Tensor {
  const k = lastDim(rows);
  const transB = p.oneIn(3);
  const transA = p.oneIn(6);
  const a = transA ? F.transpose(rows, [1, 0]) : rows;
  const w = ctx.random(transB ? [n, k] : [k, n], 1 / Math.sqrt(k));
  const c = p.oneIn(3) ? undefined : ctx.random(p.of([[n], [n], [1, n], []]), 0.5);
  return F.gemm(a, w, c, { ...(transA ? { transA } : {}), ...(transB ? { transB } : {}), ...(p.oneIn(5) ? { alpha: 2 } : {}), ...(p.oneIn(5) ? { beta: 0.5 } : {}) });
}

/** A 2-D MatMul on rows, sometimes plus the product of another sequence's rows, sometimes transposed twice (no perm). */
function rowsProduct(ctx: BlockContext, rows: Tensor, n: number, p: Picks): Tensor {
  let y = F.matmul(rows, ctx.weight([lastDim(rows), n]));
  if (p.oneIn(2)) {
    const other = ctx.sequence(p);
    y = F.add(y, F.matmul(F.reshape(other, [-1, lastDim(other)]), ctx.weight([lastDim(other), n])));
  }
  return p.oneIn(3) ? F.transpose(F.transpose(y)) : y;
}

/** Rows [B·S, N] back to [B, S, N]: both sizes spelled when static (the exporter's form), else one of them and -1. */
function unflatten(ctx: BlockContext, y: Tensor, n: number, p: Picks): Tensor {
  const { staticBatch: b, staticSeq: s } = ctx;
  if (b !== undefined && s !== undefined && !p.oneIn(3)) return F.reshape(y, [b, s, n]);
  if (s !== undefined) return F.reshape(y, [-1, s, n]);
  if (b !== undefined) return F.reshape(y, [b, -1, n]);
  return y;
}

/** The residual add before a norm (SkipRMSNorm and SkipLayerNorm read both): x + skip, or x itself. */
function residual(ctx: BlockContext, x: Tensor, p: Picks, results: Tensor[]): Tensor {
  if (!p.oneIn(3)) return x;
  const skip = ctx.sequences.find((t) => t !== x && lastDim(t) === lastDim(x)) ?? x;
  const sum = p.oneIn(3) ? F.add(skip, x) : F.add(x, skip);
  results.push(sum);
  return sum;
}

/** A norm weight: [H] as exported, or a row [1, 1, H] that still broadcasts. */
function normWeight(ctx: BlockContext, p: Picks, h: number, offset: number): Tensor {
  return ctx.random(p.of([[h], [h], [h], [1, 1, h], [1]]), 0.5, offset);
}

/** RMSNorm and LayerNorm: decomposed as exported (Pow/ReduceMean/Add/Sqrt/Reciprocal or Div/Mul), or the ops themselves. */
export function normBlock(ctx: BlockContext, p: Picks): Tensor[] {
  const results: Tensor[] = [];
  const x = residual(ctx, ctx.sequence(p), p, results);
  const h = lastDim(x);
  const form = p.of(['rms', 'layer', 'rms-div', 'rms-op', 'layer-op']);
  const w = normWeight(ctx, p, h, 1);
  if (form === 'rms-op') return [...results, F.rmsNorm(x, ctx.random([h], 0.5, 1))];
  if (form === 'layer-op') return [...results, F.layerNorm(x, ctx.random([h], 0.5, 1), p.oneIn(2) ? ctx.random([h], 0.5) : undefined)];
  // The reduced axis is usually the last one, spelled -1 or 2; now and then the sequence axis, which no norm rule may take.
  const axes = p.of([[-1], [-1], [2], [1]]);
  const mean = (t: Tensor) => F.reduceMean(t, axes, { keepDims: true });
  const centred = form === 'layer' ? F.sub(x, mean(x)) : x;
  const denominator = F.sqrt(F.add(mean(F.pow(centred, ctx.literal(p, 2))), ctx.literal(p, p.of([1e-6, 1e-5, 0.1]))));
  const normed = form === 'rms' ? F.mul(centred, F.reciprocal(denominator)) : F.div(centred, denominator);
  const scaled = p.oneIn(4) ? F.mul(normed, w) : F.mul(w, normed);
  return [...results, form === 'layer' ? F.add(scaled, ctx.random([h], 0.5)) : scaled];
}

/** Activations as ops, and the no-ops and doubled ops exported graphs carry (Identity, a Cast to float32, −(−x), relu(relu(x))). */
const OPS: readonly ((x: Tensor) => Tensor)[] = [
  F.relu,
  F.silu,
  F.gelu,
  F.tanh,
  F.sigmoid,
  (x) => F.identity(x),
  (x) => F.cast(x, 'float32'),
  (x) => F.neg(F.neg(x)),
  (x) => F.relu(F.relu(x)),
];

/** An activation in an exported form: erf-GELU (BERT's and Python's spellings), tanh-GELU, x·sigmoid(x), or an op. */
/** √2 as the exporter writes it (a float32 literal, not Math.SQRT2). */
// biome-ignore lint/suspicious/noApproximativeNumericConstant: the literal exported models hold
const SQRT2_AS_EXPORTED = 1.4142135;

function activation(ctx: BlockContext, x: Tensor, p: Picks): Tensor {
  const lit = (v: number) => ctx.literal(p, v);
  switch (p.of(['gelu-erf', 'gelu-erf-python', 'gelu-tanh', 'silu', 'sigmoid-first', 'ops'])) {
    case 'gelu-erf':
      return F.mul(x, F.mul(lit(0.5), F.add(F.erf(F.div(x, lit(SQRT2_AS_EXPORTED))), lit(1))));
    case 'gelu-erf-python':
      return F.mul(F.mul(x, lit(0.5)), F.add(F.erf(F.div(x, lit(SQRT2_AS_EXPORTED))), lit(1)));
    case 'gelu-tanh':
      return F.mul(F.mul(x, lit(0.5)), F.add(F.tanh(F.mul(F.add(x, F.mul(F.pow(x, lit(3)), lit(0.044715))), lit(0.7978845608))), lit(1)));
    case 'silu':
      return F.mul(x, F.sigmoid(x));
    case 'sigmoid-first':
      return F.mul(F.sigmoid(x), x);
    default:
      return p.of(OPS)(x);
  }
}

/** An activation of a sequence, sometimes gating a second one (SwiGLU's silu(gate) · up). */
export function activationBlock(ctx: BlockContext, p: Picks): Tensor[] {
  const x = ctx.sequence(p);
  const y = activation(ctx, x, p);
  if (!p.oneIn(3)) return [y];
  const up = ctx.sequences.find((t) => t !== x && lastDim(t) === lastDim(x)) ?? x;
  return [p.oneIn(3) ? F.mul(up, y) : F.mul(y, up)];
}
