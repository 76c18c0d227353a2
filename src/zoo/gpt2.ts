/**
 * GPT-2 blocks as the PyTorch ONNX exporter writes Hugging Face's GPT2Model (openai-community/gpt2
 * config.json: n_embd 768, 12 heads, MLP 4 × 768, layer_norm_epsilon 1e-5): LayerNorm, one c_attn
 * linear split into q/k/v, causal attention, c_proj, residual Add, LayerNorm, the tanh-GELU MLP,
 * residual Add. The zoo's entries run batch 1, sequence 128; the small copy has hidden 64 in 4
 * heads of 16 at sequence 16.
 */
import { add, layerNorm, split } from '../network/functional/primitives.js';
import { Network } from '../network/network.js';
import type { Tensor } from '../network/tensor.js';
import { depthEntries } from './depth-entries.js';
import { causalMask, exportedAttention, exportedGeluTanh, exportedLinear } from './exported-ops.js';
import { weightFactory } from './weights.js';
import type { WeightOptions } from './weights.js';

export interface Gpt2Config extends WeightOptions {
  hidden: number;
  heads: number;
  batch: number;
  seq: number;
  /** Blocks (default 1). */
  layers?: number;
}

export const TINY_GPT2: Gpt2Config = { hidden: 32, heads: 4, batch: 1, seq: 8, withData: true };
const GPT2: Gpt2Config = { hidden: 768, heads: 12, batch: 1, seq: 128 };
const SMALL_GPT2: Gpt2Config = { hidden: 64, heads: 4, batch: 1, seq: 16, withData: true };

export function buildGpt2Block(config: Gpt2Config): Network {
  const { hidden, heads, batch, seq } = config;
  const network = new Network('gpt2 block (exported)');
  const weight = weightFactory(network, config);
  const linear = (x: Tensor, name: string, k: number, n: number) => exportedLinear(x, weight(`${name}.weight`, [k, n], 1 / Math.sqrt(k)), weight(`${name}.bias`, [n], 0.1));
  const norm = (x: Tensor, name: string) => layerNorm(x, weight(`${name}.weight`, [hidden], 1), weight(`${name}.bias`, [hidden], 0.1), { epsilon: 1e-5 });
  let x = network.addInput('hidden_states', config.dtype ?? 'float32', [batch, seq, hidden]);
  // Made after the first split, where one block always made it: generated layer names stay put.
  let mask: Tensor | undefined;
  for (let i = 0; i < (config.layers ?? 1); i++) {
    const p = `h.${i}`;
    const [q, k, v] = split(linear(norm(x, `${p}.ln_1`), `${p}.attn.c_attn`, hidden, 3 * hidden), { axis: 2, split: [hidden, hidden, hidden] });
    mask ??= causalMask(network, seq);
    const context = exportedAttention({ q: q!, k: k!, v: v!, batch, seq, heads, kvHeads: heads, headSize: hidden / heads, mask });
    const h = add(x, linear(context, `${p}.attn.c_proj`, hidden, hidden));
    const mlp = linear(exportedGeluTanh(linear(norm(h, `${p}.ln_2`), `${p}.mlp.c_fc`, hidden, 4 * hidden)), `${p}.mlp.c_proj`, 4 * hidden, hidden);
    x = add(h, mlp);
  }
  network.markOutput(x, 'output');
  return network;
}

export const GPT2_ENTRIES = depthEntries('gpt2', 'openai-community/gpt2 config.json, exported by torch.onnx', (layers, width) =>
  buildGpt2Block({ ...(width === 'full' ? GPT2 : SMALL_GPT2), layers }),
);
