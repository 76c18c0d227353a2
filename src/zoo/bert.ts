/**
 * BERT encoder blocks as the PyTorch ONNX exporter writes them: biased q/k/v linears, attention
 * without a mask, the biased output projection, residual Add + LayerNorm, the erf-GELU MLP, and
 * residual Add + LayerNorm again.
 */
import { add, layerNorm } from '../network/functional/primitives.js';
import { Network } from '../network/network.js';
import { exportedAttention, exportedGeluErf, exportedLinear } from './exported-ops.js';
import { weightFactory } from './weights.js';
import type { WeightOptions } from './weights.js';

export interface BertConfig extends WeightOptions {
  hidden: number;
  heads: number;
  intermediate: number;
  batch: number;
  seq: number;
  /** Encoder blocks (default 1). */
  layers?: number;
}

export const TINY_BERT: BertConfig = { hidden: 32, heads: 4, intermediate: 64, batch: 1, seq: 8, withData: true };

export function buildBertBlock(config: BertConfig): Network {
  const { hidden, heads, intermediate, batch, seq } = config;
  const network = new Network('bert block (exported)');
  const weight = weightFactory(network, config);
  const linear = (x: ReturnType<typeof network.addInput>, name: string, k: number, n: number) =>
    exportedLinear(x, weight(`${name}.weight`, [k, n], 1 / Math.sqrt(k)), weight(`${name}.bias`, [n], 0.1));
  const norm = (x: ReturnType<typeof network.addInput>, name: string) =>
    layerNorm(x, weight(`${name}.weight`, [hidden], 1), weight(`${name}.bias`, [hidden], 0.1), { epsilon: 1e-12 });
  let x = network.addInput('hidden_states', config.dtype ?? 'float32', [batch, seq, hidden]);
  for (let i = 0; i < (config.layers ?? 1); i++) {
    const p = `encoder.layer.${i}`;
    const q = linear(x, `${p}.attention.self.query`, hidden, hidden);
    const k = linear(x, `${p}.attention.self.key`, hidden, hidden);
    const v = linear(x, `${p}.attention.self.value`, hidden, hidden);
    const context = exportedAttention({ q, k, v, batch, seq, heads, kvHeads: heads, headSize: hidden / heads });
    const attn = norm(add(linear(context, `${p}.attention.output.dense`, hidden, hidden), x), `${p}.attention.output.LayerNorm`);
    const ffn = linear(exportedGeluErf(linear(attn, `${p}.intermediate.dense`, hidden, intermediate)), `${p}.output.dense`, intermediate, hidden);
    x = norm(add(ffn, attn), `${p}.output.LayerNorm`);
  }
  network.markOutput(x, 'output');
  return network;
}
