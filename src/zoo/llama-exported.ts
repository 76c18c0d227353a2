/**
 * Llama decoder blocks as the PyTorch ONNX exporter writes Hugging Face's LlamaForCausalLM:
 * decomposed RMSNorm, separate q/k/v MatMuls on one input, rotate-half rotary on q and k, GQA by
 * repeating k and v heads, attention as MatMul/Mul/Add mask/Softmax/MatMul, the o projection, the
 * residual Add, and the gate/up/down MLP with x·Sigmoid(x). These are the networks netsat's
 * fusion rules are meant to collapse back into the fused kernels. `qkvBias` gives Qwen2's biased
 * q/k/v projections; `fusedProjections` Phi-3's single qkv and gate-up projections, sliced apart.
 */
import { add, matmul, mul } from '../network/functional/primitives.js';
import { Network } from '../network/network.js';
import { NetworkError } from '../errors.js';
import { causalMask, exportedAttention, exportedChunks, exportedLinear, exportedRmsNorm, exportedSilu, ropeTables } from './exported-ops.js';
import type { LlamaConfig } from './llama.js';
import { weightFactory } from './weights.js';

/** The built-in example: two exported Llama blocks, small enough to verify in milliseconds. */
export const EXPORTED_LLAMA_EXAMPLE: LlamaConfig = { layers: 2, hidden: 32, heads: 4, kvHeads: 2, intermediate: 64, batch: 1, seq: 8, withData: true };

export function buildExportedLlama(config: LlamaConfig): Network {
  const { hidden, heads, kvHeads, intermediate, batch, seq } = config;
  if (typeof batch !== 'number' || typeof seq !== 'number') {
    throw new NetworkError('an exported Llama needs numeric batch and seq (its mask and rotary tables are constants)', {
      where: `batch ${batch}, seq ${seq}`,
      hint: 'give batch and seq as numbers',
    });
  }
  const headSize = hidden / heads;
  const network = new Network('llama (exported)');
  const weight = weightFactory(network, config);
  const mask = causalMask(network, seq);
  const epsilon = config.rmsEpsilon ?? 1e-6;
  const rotary = ropeTables(network, seq, headSize, config.ropeBase);
  let x = network.addInput('hidden_states', config.dtype ?? 'float32', [batch, seq, hidden]);
  const linear = (input: typeof x, name: string, k: number, n: number, bias = false) =>
    bias
      ? exportedLinear(input, weight(`${name}.weight`, [k, n], 1 / Math.sqrt(k)), weight(`${name}.bias`, [n], 0.1))
      : matmul(input, weight(`${name}.weight`, [k, n], 1 / Math.sqrt(k)));
  const [qWidth, kvWidth] = [heads * headSize, kvHeads * headSize];
  for (let i = 0; i < config.layers; i++) {
    const p = `model.layers.${i}`;
    const h = exportedRmsNorm(x, weight(`${p}.input_layernorm.weight`, [hidden], 1), epsilon);
    const [q, k, v] = config.fusedProjections
      ? exportedChunks(linear(h, `${p}.self_attn.qkv_proj`, hidden, qWidth + 2 * kvWidth), [qWidth, kvWidth, kvWidth])
      : ([qWidth, kvWidth, kvWidth].map((n, j) => linear(h, `${p}.self_attn.${'qkv'[j]}_proj`, hidden, n, config.qkvBias)) as [typeof x, typeof x, typeof x]);
    const context = exportedAttention({ q: q!, k: k!, v: v!, batch, seq, heads, kvHeads, headSize, mask, rotary });
    x = add(x, linear(context, `${p}.self_attn.o_proj`, heads * headSize, hidden));
    const m = exportedRmsNorm(x, weight(`${p}.post_attention_layernorm.weight`, [hidden], 1), epsilon);
    const [gate, up] = config.fusedProjections
      ? exportedChunks(linear(m, `${p}.mlp.gate_up_proj`, hidden, 2 * intermediate), [intermediate, intermediate])
      : [linear(m, `${p}.mlp.gate_proj`, hidden, intermediate), linear(m, `${p}.mlp.up_proj`, hidden, intermediate)];
    x = add(x, exportedLinear(mul(exportedSilu(gate!), up!), weight(`${p}.mlp.down_proj.weight`, [intermediate, hidden], 1 / Math.sqrt(intermediate))));
  }
  network.markOutput(x, 'output');
  return network;
}
