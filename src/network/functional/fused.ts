/**
 * Builders of the fused and plugin-style kinds that rewrites produce. Each takes one object of
 * named arguments and is recordSignature'd, so its FLayerInfo (the call, defaults filled in) is kept
 * and a pass can rebuild it with one argument changed: `F.gptAttention({...info.cloneInputs(), qkvBias})`.
 */
import type { Tensor } from '../tensor.js';
import { recordSignature } from '../record-signature.js';
import type { ConvOptions } from './primitives.js';
import type { NameOption } from './build.js';
import { attrsOf, build, buildLayer } from './build.js';

export type LinearActivation = 'none' | 'relu' | 'gelu' | 'gelu_tanh' | 'silu' | 'sigmoid' | 'tanh';

export interface FusedLinearArgs extends NameOption {
  input: Tensor;
  /** [K, N], or [N, K] with transB. */
  weight: Tensor;
  bias?: Tensor | undefined;
  activation?: LinearActivation;
  transB?: boolean;
}

/** activation(input @ weight + bias) in one layer. */
export const fusedLinear = recordSignature(
  'fusedLinear',
  ({ input, weight, bias, name, ...rest }: FusedLinearArgs): Tensor => build('FusedLinear', [input, weight, bias], attrsOf(rest), { name }),
  { bias: undefined, activation: 'none', transB: false },
);

export interface SwiGLUArgs extends NameOption {
  gate: Tensor;
  up: Tensor;
}

/** silu(gate) * up in one layer. */
export const swiglu = recordSignature('swiglu', ({ gate, up, name }: SwiGLUArgs): Tensor => build('SwiGLU', [gate, up], {}, { name }));

export interface SkipNormArgs extends NameOption {
  input: Tensor;
  /** The residual added to `input` before normalizing. */
  skip: Tensor;
  weight: Tensor;
  epsilon?: number;
}

/** [layerNorm(input + skip), input + skip] in one layer. */
export const skipLayerNorm = recordSignature(
  'skipLayerNorm',
  ({ input, skip, weight, bias, name, ...rest }: SkipNormArgs & { bias?: Tensor | undefined }): [Tensor, Tensor] => {
    const layer = buildLayer('SkipLayerNorm', [input, skip, weight, bias], attrsOf(rest), { name });
    return [layer.outputs[0]!, layer.outputs[1]!];
  },
  { bias: undefined, epsilon: 1e-5 },
);

/** [rmsNorm(input + skip), input + skip] in one layer. */
export const skipRmsNorm = recordSignature(
  'skipRmsNorm',
  ({ input, skip, weight, name, ...rest }: SkipNormArgs): [Tensor, Tensor] => {
    const layer = buildLayer('SkipRMSNorm', [input, skip, weight], attrsOf(rest), { name });
    return [layer.outputs[0]!, layer.outputs[1]!];
  },
  { epsilon: 1e-6 },
);

export interface RotaryEmbeddingArgs extends NameOption {
  input: Tensor;
  cos: Tensor;
  sin: Tensor;
  interleaved?: boolean;
}

/** input * cos + rotateHalf(input) * sin on the first cos.shape[-1] features, in one layer. */
export const rotaryEmbedding = recordSignature(
  'rotaryEmbedding',
  ({ input, cos, sin, name, ...rest }: RotaryEmbeddingArgs): Tensor => build('RotaryEmbedding', [input, cos, sin], attrsOf(rest), { name }),
  { interleaved: false },
);

export interface GptAttentionArgs extends NameOption {
  /** Packed projections [B, S, (numHeads + 2 numKvHeads) headSize]: q heads, then k, then v. */
  qkv: Tensor;
  /** Added to qkv first, so a projection's bias add folds into the attention kernel. */
  qkvBias?: Tensor | undefined;
  /** int32 [B]: sequence lengths (required with removeInputPadding). */
  contextLengths?: Tensor | undefined;
  numHeads: number;
  numKvHeads: number;
  headSize: number;
  qScaling?: number;
  causal?: boolean;
  rotaryDim?: number;
  rotaryBase?: number;
  removeInputPadding?: boolean;
  maxContextLength?: number;
  pagedKvCache?: boolean;
  /** Keys a causal query sees, itself included (Mistral's sliding window); 0 = all before it. */
  slidingWindow?: number;
}

/**
 * The attention plugin as TensorRT-LLM's gpt_attention: multi-head or grouped-query, causal,
 * optional rotary embedding. Returns [context, presentKeyValue], or [context] with pagedKvCache.
 */
export const gptAttention = recordSignature(
  'gptAttention',
  ({ qkv, qkvBias, contextLengths, name, ...rest }: GptAttentionArgs): Tensor[] => [...buildLayer('GptAttention', [qkv, qkvBias, contextLengths], attrsOf(rest), { name }).outputs],
  {
    qkvBias: undefined,
    contextLengths: undefined,
    qScaling: 1,
    causal: true,
    rotaryDim: 0,
    rotaryBase: 10000,
    removeInputPadding: false,
    maxContextLength: 0,
    pagedKvCache: false,
    slidingWindow: 0,
  },
);

export interface FusedConvArgs extends ConvOptions {
  input: Tensor;
  weight: Tensor;
  bias?: Tensor | undefined;
  activation?: 'none' | 'relu' | 'sigmoid' | 'silu' | 'tanh' | 'gelu';
}

/** activation(conv(input, weight) + bias) in one layer. */
export const fusedConv = recordSignature(
  'fusedConv',
  ({ input, weight, bias, name, ...rest }: FusedConvArgs): Tensor => build('FusedConv', [input, weight, bias], attrsOf(rest), { name }),
  { bias: undefined, activation: 'none' },
);
