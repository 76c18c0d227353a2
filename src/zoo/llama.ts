/**
 * Llama-style decoder blocks built with the functional builders, as TensorRT-LLM builds them:
 * RMSNorm, a packed qkv projection (optionally with bias), the GptAttention plugin with rotary
 * embedding and grouped-query heads, the output projection, a residual add, and the SwiGLU MLP.
 * Weights may be shape-only, so a 7B-shaped network costs no weight memory.
 */
import { add, matmul, mul, rmsNorm, silu } from '../network/functional/primitives.js';
import { gptAttention } from '../network/functional/fused.js';
import { Network } from '../network/network.js';
import type { Tensor } from '../network/tensor.js';
import { randomArray, seedFor } from '../interp/random.js';
import type { DType } from '../ops/types.js';

export interface LlamaConfig {
  layers: number;
  hidden: number;
  heads: number;
  kvHeads: number;
  intermediate: number;
  /** Batch and sequence: numbers, or symbolic names such as "batch". */
  batch: number | string;
  seq: number | string;
  /** Add a bias to the qkv projection (Qwen-style); it folds into GptAttention. */
  qkvBias?: boolean;
  /** One qkv and one gate-up projection, sliced apart (Phi-3-style; exported builder only). */
  fusedProjections?: boolean;
  /** RMSNorm's epsilon (default 1e-6) and the rotary base (default 10000; exported builder only). */
  rmsEpsilon?: number;
  ropeBase?: number;
  /** Give weights seeded data (small networks) or leave them shape-only (7B-sized ones). */
  withData?: boolean;
  dtype?: DType;
  seed?: number;
}

/** The Llama-7B shape with grouped-query attention (8 KV heads), as in the benchmark. */
export const LLAMA_7B: LlamaConfig = { layers: 32, hidden: 4096, heads: 32, kvHeads: 8, intermediate: 11008, batch: 1, seq: 'seq' };

/** A small Llama for examples and tests: two blocks, verified numerically in milliseconds. */
export const TINY_LLAMA: LlamaConfig = { layers: 2, hidden: 32, heads: 4, kvHeads: 2, intermediate: 64, batch: 2, seq: 8, qkvBias: true, withData: true };

export function buildLlama(config: LlamaConfig): Network {
  const { hidden, heads, kvHeads, intermediate } = config;
  const dtype = config.dtype ?? 'float32';
  const headSize = hidden / heads;
  const network = new Network('llama');
  const weight = (name: string, shape: number[], scale: number): Tensor =>
    network.addConstant({
      name,
      dtype,
      shape,
      ...(config.withData ? { data: randomArray(dtype, shape, seedFor(config.seed ?? 0, name), { floatScale: scale }) } : {}),
    });
  let x = network.addInput('hidden_states', dtype, [config.batch, config.seq, hidden]);
  const qkvWidth = (heads + 2 * kvHeads) * headSize;
  for (let i = 0; i < config.layers; i++) {
    const p = `layers.${i}`;
    const h = rmsNorm(x, weight(`${p}.input_layernorm.weight`, [hidden], 1), { epsilon: 1e-6 });
    let qkv = matmul(h, weight(`${p}.attn.qkv.weight`, [hidden, qkvWidth], 1 / Math.sqrt(hidden)));
    if (config.qkvBias) qkv = add(qkv, weight(`${p}.attn.qkv.bias`, [qkvWidth], 0.1));
    const [context] = gptAttention({ qkv, numHeads: heads, numKvHeads: kvHeads, headSize, rotaryDim: headSize, causal: true });
    const attn = matmul(context!, weight(`${p}.attn.o.weight`, [heads * headSize, hidden], 1 / Math.sqrt(hidden)));
    x = add(x, attn);
    const m = rmsNorm(x, weight(`${p}.post_attention_layernorm.weight`, [hidden], 1), { epsilon: 1e-6 });
    const gate = matmul(m, weight(`${p}.mlp.gate.weight`, [hidden, intermediate], 1 / Math.sqrt(hidden)));
    const up = matmul(m, weight(`${p}.mlp.up.weight`, [hidden, intermediate], 1 / Math.sqrt(hidden)));
    const down = matmul(mul(silu(gate), up), weight(`${p}.mlp.down.weight`, [intermediate, hidden], 1 / Math.sqrt(intermediate)));
    x = add(x, down);
  }
  network.markOutput(x, 'output');
  return network;
}
