/**
 * BERT as TENSAT built it (uwplse/tensat src/bert.rs): TASO's benchmark skeleton of BERT-large's
 * attention, not the exported model (that is bert.ts). Input [64, 1024] (sequence 64, batch 1)
 * through a ReLU, then 8 layers of 16 heads: Q, K and V matmuls, each reshaped to [64, 16, 64] and
 * transposed to heads first, scores = Q·K (no K transpose: sequence and head size are both 64),
 * out = scores·V, transposed back to [64, 1024]. There is no softmax, scaling, residual or layer
 * norm; each layer's output is an output of the network, and the next layer reads a fourth matmul
 * of this layer's input, as there. Small copy: hidden 64 in 4 heads of 16, sequence 16.
 */
import { matmul, relu, reshape, transpose } from '../network/functional/primitives.js';
import { Network } from '../network/network.js';
import type { Tensor } from '../network/tensor.js';
import { twoSizeEntry } from './entry.js';
import { tasoLayers } from './taso-layers.js';
import type { TasoLayers, TasoScale } from './taso-layers.js';

export interface TasoBertScale extends TasoScale {
  /** Sequence length, equal to the head size (TASO's Q·K needs it). */
  seq: number;
  heads: number;
  layers: number;
}

const HIDDEN = 1024;

function attention(L: TasoLayers, input: Tensor, s: TasoBertScale): { next: Tensor; output: Tensor } {
  const hidden = L.width(HIDDEN);
  const perHead = (x: Tensor) => transpose(reshape(x, [s.seq, s.heads, hidden / s.heads]), [1, 0, 2]);
  const [q, k, v] = [0, 1, 2].map(() => perHead(L.matmul(input, HIDDEN))) as [Tensor, Tensor, Tensor];
  const out = matmul(matmul(q, k), v);
  return { output: reshape(transpose(out, [1, 0, 2]), [s.seq, hidden]), next: L.matmul(input, HIDDEN) };
}

export function buildTasoBert(scale: TasoBertScale): Network {
  const network = new Network('bert (tensat)');
  const L = tasoLayers(network, scale);
  let x = relu(network.addInput('input', 'float32', [scale.seq, L.width(HIDDEN)]));
  for (let i = 0; i < scale.layers; i++) {
    const { next, output } = attention(L, x, scale);
    network.markOutput(output, `layer${i}.output`);
    x = next;
  }
  network.markOutput(x, 'output');
  return network;
}

export const BERT_TASO = twoSizeEntry(
  { name: 'bert-base', group: 'tensat', source: 'TENSAT bert.rs (TASO BERT skeleton: 8 layers, hidden 1024, 16 heads, seq 64, batch 1)' },
  buildTasoBert,
  { divisor: 1, seq: 64, heads: 16, layers: 8 },
  { divisor: 16, seq: 16, heads: 4, layers: 8 },
);
