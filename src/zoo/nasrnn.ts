/**
 * NasRNN as TENSAT built it (uwplse/tensat src/nasrnn.rs, after TASO's examples/nasrnn.py; the
 * recurrent cell of Zoph & Le, "Neural Architecture Search with Reinforcement Learning", ICLR
 * 2017): five time steps at hidden size 512, inputs [1, 512] each, the initial state a weight. A
 * step computes eight terms x·Wa + h·Wb with fresh weights and mixes them with ReLU, sigmoid, tanh,
 * sums and products into the new state. Small copy: hidden 64.
 */
import { add, mul, relu, sigmoid, tanh } from '../network/functional/primitives.js';
import { Network } from '../network/network.js';
import type { Tensor } from '../network/tensor.js';
import { twoSizeEntry } from './entry.js';
import { tasoLayers } from './taso-layers.js';
import type { TasoLayers, TasoScale } from './taso-layers.js';

const STEPS = 5;
const HIDDEN = 512;
const TERMS = 8;

function step(L: TasoLayers, state: Tensor, x: Tensor): Tensor {
  const t = Array.from({ length: TERMS }, () => add(L.matmul(x, HIDDEN), L.matmul(state, HIDDEN)));
  const m0 = add(relu(t[0]!), sigmoid(t[3]!));
  const m1 = add(sigmoid(t[1]!), tanh(t[2]!));
  const m2 = mul(sigmoid(t[4]!), tanh(t[5]!));
  const m3 = mul(sigmoid(t[6]!), relu(t[7]!));
  const m4 = add(sigmoid(m1), tanh(m2));
  const m5 = mul(tanh(m0), tanh(m3));
  const m6 = mul(tanh(m4), tanh(m5));
  return tanh(m6);
}

export function buildNasrnn(scale: TasoScale): Network {
  const network = new Network('nasrnn (tensat)');
  const L = tasoLayers(network, scale);
  const xs = Array.from({ length: STEPS }, (_, i) => network.addInput(`x${i}`, 'float32', [1, L.width(HIDDEN)]));
  let state = L.weight([1, L.width(HIDDEN)]);
  for (const x of xs) state = step(L, state, x);
  network.markOutput(state, 'output');
  return network;
}

export const NASRNN = twoSizeEntry(
  { name: 'nasrnn', group: 'tensat', source: 'TENSAT nasrnn.rs after TASO examples/nasrnn.py; Zoph & Le 2017' },
  buildNasrnn,
  { divisor: 1 },
  { divisor: 8 },
);
