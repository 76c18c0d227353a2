/**
 * Op sequences as the PyTorch ONNX exporter writes them (operand order included), built with the
 * functional builders: the decomposed forms that rules/fusion-llm.rules recognizes. The zoo's
 * blocks are assembled from these, so every block states one exported shape in one place.
 */
import {
  add,
  concat,
  div,
  erf,
  expand,
  matmul,
  mul,
  neg,
  pow,
  reciprocal,
  reduceMean,
  reshape,
  sigmoid,
  slice,
  softmax,
  sqrt,
  tanh,
  transpose,
  unsqueeze,
} from '../network/functional/primitives.js';
import type { Network } from '../network/network.js';
import type { Tensor } from '../network/tensor.js';

/** INT64_MAX clamped as the exporter writes "to the end" in Slice (2^31 - 1 here). */
const SLICE_TO_END = 2147483647;

/** x[..., from:to] for each [from, to) of `widths` laid end to end: a fused projection's parts, sliced as exported. */
export function exportedChunks(x: Tensor, widths: readonly number[]): Tensor[] {
  let from = 0;
  return widths.map((w, i) => {
    const to = i === widths.length - 1 ? SLICE_TO_END : from + w;
    const part = slice(x, { starts: [from], ends: [to], axes: [-1], steps: [1] });
    from += w;
    return part;
  });
}

/** w · (x · 1/sqrt(mean(x²) + eps)): HF LlamaRMSNorm, exported (Pow, ReduceMean, Add, Sqrt, Reciprocal, Mul, Mul). */
export function exportedRmsNorm(x: Tensor, weight: Tensor, epsilon: number): Tensor {
  const variance = reduceMean(pow(x, 2), [-1], { keepDims: true });
  return mul(weight, mul(x, reciprocal(sqrt(add(variance, epsilon)))));
}

/** x·cos + cat(−x[D/2:], x[:D/2])·sin on the last axis: HF's apply_rotary_pos_emb with rotate_half, exported. */
export function exportedRotary(x: Tensor, cos: Tensor, sin: Tensor): Tensor {
  const half = (x.shape[x.shape.length - 1] as number) / 2;
  const x1 = slice(x, { starts: [0], ends: [half], axes: [-1], steps: [1] });
  const x2 = slice(x, { starts: [half], ends: [SLICE_TO_END], axes: [-1], steps: [1] });
  return add(mul(x, cos), mul(concat([neg(x2), x1], -1), sin));
}

/** (x · 0.5) · (1 + erf(x / √2)): BERT's GELU, exported. */
export function exportedGeluErf(x: Tensor): Tensor {
  // biome-ignore lint/suspicious/noApproximativeNumericConstant: the float32 literal the exporter writes, not Math.SQRT2
  return mul(mul(x, 0.5), add(erf(div(x, 1.4142135)), 1));
}

/** (x · 0.5) · (1 + tanh(√(2/π) · (x + 0.044715 x³))): GPT-2's NewGELU, exported. */
export function exportedGeluTanh(x: Tensor): Tensor {
  return mul(mul(x, 0.5), add(tanh(mul(add(x, mul(pow(x, 3), 0.044715)), 0.7978845608)), 1));
}

/** x · sigmoid(x): torch's silu as older exporters write it. */
export function exportedSilu(x: Tensor): Tensor {
  return mul(x, sigmoid(x));
}

/** x @ w + b: nn.Linear on a 3-D input, exported as MatMul then Add. */
export function exportedLinear(x: Tensor, weight: Tensor, bias?: Tensor): Tensor {
  const y = matmul(x, weight);
  return bias ? add(y, bias) : y;
}

/** The additive causal mask [S, S]: 0 on and below the diagonal, -1e9 above. */
export function causalMask(network: Network, seq: number): Tensor {
  const data = new Float32Array(seq * seq);
  for (let i = 0; i < seq; i++) for (let j = i + 1; j < seq; j++) data[i * seq + j] = -1e9;
  return network.addConstant({ name: 'attention_mask.causal', dtype: 'float32', shape: [seq, seq], data });
}

/** HF's rotary tables [S, D] (base 10000, halves repeated), as the exporter folds them into constants. */
export function ropeTables(network: Network, seq: number, headSize: number, base = 10_000): { cos: Tensor; sin: Tensor } {
  const cos = new Float32Array(seq * headSize);
  const sin = new Float32Array(seq * headSize);
  const half = headSize / 2;
  for (let s = 0; s < seq; s++) {
    for (let i = 0; i < headSize; i++) {
      const angle = s / base ** ((2 * (i % half)) / headSize);
      cos[s * headSize + i] = Math.cos(angle);
      sin[s * headSize + i] = Math.sin(angle);
    }
  }
  return {
    cos: network.addConstant({ name: 'rotary.cos', dtype: 'float32', shape: [seq, headSize], data: cos }),
    sin: network.addConstant({ name: 'rotary.sin', dtype: 'float32', shape: [seq, headSize], data: sin }),
  };
}

export interface ExportedAttentionArgs {
  /** Projections [B, S, heads·headSize] and [B, S, kvHeads·headSize]. */
  q: Tensor;
  k: Tensor;
  v: Tensor;
  batch: number;
  seq: number;
  heads: number;
  kvHeads: number;
  headSize: number;
  /** Additive mask [S, S] (causal), or none (an encoder). */
  mask?: Tensor | undefined;
  /** Rotary tables applied to q and k after the head transpose (Llama). */
  rotary?: { cos: Tensor; sin: Tensor } | undefined;
}

/** Each k/v head repeated heads/kvHeads times: HF's repeat_kv (Unsqueeze, Expand, Reshape). */
function repeatKv(x: Tensor, a: ExportedAttentionArgs): Tensor {
  const r = a.heads / a.kvHeads;
  const expanded = expand(unsqueeze(x, [2]), [a.batch, a.kvHeads, r, a.seq, a.headSize]);
  return reshape(expanded, [a.batch, a.heads, a.seq, a.headSize]);
}

/**
 * Scaled dot-product attention as exported: head reshapes and transposes, scores MatMul, Mul by
 * 1/√Dh, Add mask, Softmax, MatMul with v, back to [B, S, heads·headSize]. With kvHeads < heads,
 * k and v are repeated (GQA); with rotary, q and k are rotated first.
 */
export function exportedAttention(a: ExportedAttentionArgs): Tensor {
  const heads = (x: Tensor, n: number) => transpose(reshape(x, [0, 0, n, a.headSize]), [0, 2, 1, 3]);
  const grouped = a.kvHeads !== a.heads || a.rotary !== undefined;
  let q = heads(a.q, a.heads);
  let kT: Tensor;
  let v: Tensor;
  if (grouped) {
    let k = heads(a.k, a.kvHeads);
    if (a.rotary) {
      q = exportedRotary(q, a.rotary.cos, a.rotary.sin);
      k = exportedRotary(k, a.rotary.cos, a.rotary.sin);
    }
    kT = transpose(repeatKv(k, a), [0, 1, 3, 2]);
    v = repeatKv(heads(a.v, a.kvHeads), a);
  } else {
    // Without a repeat the exporter composes the head transpose with k.transpose(-1, -2).
    kT = transpose(reshape(a.k, [0, 0, a.kvHeads, a.headSize]), [0, 2, 3, 1]);
    v = heads(a.v, a.kvHeads);
  }
  let scores = mul(matmul(q, kT), 1 / Math.sqrt(a.headSize));
  if (a.mask) scores = add(scores, a.mask);
  const context = matmul(softmax(scores, -1), v);
  return reshape(transpose(context, [0, 2, 1, 3]), [0, 0, -1]);
}
