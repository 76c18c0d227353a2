/**
 * NasNet-A as TENSAT built it (uwplse/tensat src/nasneta.rs, after TASO's examples/nasnet_a.py;
 * Zoph et al., "Learning Transferable Architectures", CVPR 2018): a 7×7 stride-2 conv to 64 and a
 * 3×3 stride-2 max-pool, then three stages of five normal cells and one reduction cell, the
 * normal cells at 128, 256 and 512 channels, each reduction cell at twice its stage's width. A
 * separable conv is a depthwise conv followed by a 1×1 conv; each cell's five pairwise sums are
 * concatenated on channels. Small copy: channels ÷8, input 64×64.
 */
import { add, concat } from '../network/functional/primitives.js';
import { Network } from '../network/network.js';
import type { Tensor } from '../network/tensor.js';
import { twoSizeEntry } from './entry.js';
import { tasoLayers } from './taso-layers.js';
import type { ImageScale, TasoLayers } from './taso-layers.js';

const STAGES = 3;
const NORMAL_CELLS = 5;

function separable(L: TasoLayers, x: Tensor, width: number, kernel: number, stride = 1): Tensor {
  return L.conv(L.conv(x, { out: width, kernel, stride, group: 'depthwise' }), { out: width, kernel: 1 });
}

/**
 * The current input squeezed to `width`, and the previous one fitted to it. TENSAT's fit falls
 * back to a stride-2 3×3 conv when the two differ in size, which its cell order never makes
 * happen (both inputs of every cell come from the same stage), so both are 1×1 convs here.
 */
function cellInputs(L: TasoLayers, prev: Tensor, cur: Tensor, width: number): [Tensor, Tensor] {
  const squeezed = L.conv(cur, { out: width, kernel: 1, relu: true });
  return [L.conv(prev, { out: width, kernel: 1, relu: true }), squeezed];
}

function normalCell(L: TasoLayers, prevIn: Tensor, curIn: Tensor, width: number): Tensor {
  const [prev, cur] = cellInputs(L, prevIn, curIn, width);
  const pool = (x: Tensor) => L.avgPool(x, 3, 1, 'same');
  const sums = [
    add(separable(L, cur, width, 3), cur),
    add(separable(L, prev, width, 3), separable(L, cur, width, 3)),
    add(pool(cur), prev),
    add(pool(prev), pool(prev)),
    add(separable(L, prev, width, 3), separable(L, prev, width, 3)),
  ];
  return concat(sums, 1);
}

function reductionCell(L: TasoLayers, prevIn: Tensor, curIn: Tensor, width: number): Tensor {
  const [prev, cur] = cellInputs(L, prevIn, curIn, width);
  const first = add(separable(L, prev, width, 7, 2), separable(L, cur, width, 5, 2));
  const second = add(L.maxPool(cur, 3, 2, 'same'), separable(L, prev, width, 7, 2));
  const third = add(L.avgPool(cur, 3, 2, 'same'), separable(L, prev, width, 5, 2));
  const fourth = add(L.maxPool(cur, 3, 2, 'same'), separable(L, first, width, 3));
  const fifth = add(L.avgPool(first, 3, 1, 'same'), second);
  return concat([first, second, third, fourth, fifth], 1);
}

export function buildNasnetA(scale: ImageScale): Network {
  const network = new Network('nasnet-a (tensat)');
  const L = tasoLayers(network, scale);
  const image = network.addInput('input', 'float32', [1, 3, scale.resolution, scale.resolution]);
  let input = L.maxPool(L.conv(image, { out: 64, kernel: 7, stride: 2, relu: true }), 3, 2, 'same');
  let width = 128;
  for (let stage = 0; stage < STAGES; stage++) {
    let [prev, cur] = [input, input];
    for (let c = 0; c < NORMAL_CELLS; c++) [prev, cur] = [cur, normalCell(L, prev, cur, width)];
    width *= 2;
    input = reductionCell(L, prev, cur, width);
  }
  network.markOutput(input, 'output');
  return network;
}

export const NASNET_A = twoSizeEntry(
  { name: 'nasnet-a', group: 'tensat', source: 'TENSAT nasneta.rs after TASO examples/nasnet_a.py; Zoph et al. 2018' },
  buildNasnetA,
  { divisor: 1, resolution: 224 },
  { divisor: 8, resolution: 64 },
);
