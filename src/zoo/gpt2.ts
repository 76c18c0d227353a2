/**
 * A GPT-2 block as the PyTorch ONNX exporter writes it: LayerNorm, one c_attn linear split into
 * q/k/v, causal attention, c_proj, residual Add, LayerNorm, the tanh-GELU MLP, residual Add.
 */
import { add, layerNorm, split } from '../network/functional/primitives.js';
import { Network } from '../network/network.js';
import type { Tensor } from '../network/tensor.js';
import { causalMask, exportedAttention, exportedGeluTanh, exportedLinear } from './exported-ops.js';
import { weightFactory } from './weights.js';
import type { WeightOptions } from './weights.js';

export interface Gpt2Config extends WeightOptions {
  hidden: number;
  heads: number;
  batch: number;
  seq: number;
}

export const TINY_GPT2: Gpt2Config = { hidden: 32, heads: 4, batch: 1, seq: 8, withData: true };

export function buildGpt2Block(config: Gpt2Config): Network {
  const { hidden, heads, batch, seq } = config;
  const network = new Network('gpt2 block (exported)');
  const weight = weightFactory(network, config);
  const linear = (x: Tensor, name: string, k: number, n: number) => exportedLinear(x, weight(`${name}.weight`, [k, n], 1 / Math.sqrt(k)), weight(`${name}.bias`, [n], 0.1));
  const norm = (x: Tensor, name: string) => layerNorm(x, weight(`${name}.weight`, [hidden], 1), weight(`${name}.bias`, [hidden], 0.1), { epsilon: 1e-5 });
  const x = network.addInput('hidden_states', config.dtype ?? 'float32', [batch, seq, hidden]);
  const p = 'h.0';
  const [q, k, v] = split(linear(norm(x, `${p}.ln_1`), `${p}.attn.c_attn`, hidden, 3 * hidden), { axis: 2, split: [hidden, hidden, hidden] });
  const context = exportedAttention({ q: q!, k: k!, v: v!, batch, seq, heads, kvHeads: heads, headSize: hidden / heads, mask: causalMask(network, seq) });
  const h = add(x, linear(context, `${p}.attn.c_proj`, hidden, hidden));
  const mlp = linear(exportedGeluTanh(linear(norm(h, `${p}.ln_2`), `${p}.mlp.c_fc`, hidden, 4 * hidden)), `${p}.mlp.c_proj`, 4 * hidden, hidden);
  network.markOutput(add(h, mlp), 'output');
  return network;
}
