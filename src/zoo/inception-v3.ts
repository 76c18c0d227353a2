/**
 * Inception-v3 as TENSAT read it (uwplse/tensat model/inceptionv3.model, a TASO graph of
 * torchvision's inception_v3 without the auxiliary head or classifier; Szegedy et al., "Rethinking
 * the Inception Architecture", CVPR 2016): input [1, 3, 299, 299], the stem's five convs and two
 * max-pools, three A blocks, one B, four C (7×7 factorized as 1×7 and 7×1), one D and two E, then
 * an 8×8 average pool. As in the file, every conv is bias-free with a ReLU (TASO fuses it; netsat
 * writes Conv then Relu), B pools by average and E by max, and four-way concatenations are two
 * pairs joined (TASO's 2-input concat). Small copy: channels ÷8, input 139×139 (the final pool
 * covers the 3×3 map that is left).
 */
import { concat } from '../network/functional/primitives.js';
import { Network } from '../network/network.js';
import type { Tensor } from '../network/tensor.js';
import { twoSizeEntry } from './entry.js';
import { tasoLayers } from './taso-layers.js';
import type { ConvSpec, ImageScale, TasoLayers } from './taso-layers.js';

type Conv = Omit<ConvSpec, 'relu'>;

/** Each conv of `specs` applied in turn, with ReLU. */
function chain(L: TasoLayers, x: Tensor, ...specs: Conv[]): Tensor {
  return specs.reduce((y, spec) => L.conv(y, { ...spec, relu: true }), x);
}

/** [a, b, c, d] joined as TASO's graph joins them: (a ‖ b) ‖ (c ‖ d). */
const joinPairs = ([a, b, c, d]: Tensor[]): Tensor => concat([concat([a!, b!], 1), concat([c!, d!], 1)], 1);

function stem(L: TasoLayers, x: Tensor): Tensor {
  const y = chain(L, x, { out: 32, kernel: 3, stride: 2, padding: 'valid' }, { out: 32, kernel: 3, padding: 'valid' }, { out: 64, kernel: 3 });
  return L.maxPool(chain(L, L.maxPool(y, 3, 2, 'valid'), { out: 80, kernel: 1, padding: 'valid' }, { out: 192, kernel: 3, padding: 'valid' }), 3, 2, 'valid');
}

function blockA(L: TasoLayers, x: Tensor, poolFeatures: number): Tensor {
  return joinPairs([
    chain(L, x, { out: 64, kernel: 1 }),
    chain(L, x, { out: 48, kernel: 1 }, { out: 64, kernel: 5 }),
    chain(L, x, { out: 64, kernel: 1 }, { out: 96, kernel: 3 }, { out: 96, kernel: 3 }),
    chain(L, L.avgPool(x, 3, 1, 'same'), { out: poolFeatures, kernel: 1 }),
  ]);
}

function blockB(L: TasoLayers, x: Tensor): Tensor {
  const conv = chain(L, x, { out: 384, kernel: 3, stride: 2, padding: 'valid' });
  const double = chain(L, x, { out: 64, kernel: 1 }, { out: 96, kernel: 3 }, { out: 96, kernel: 3, stride: 2, padding: 'valid' });
  return concat([L.avgPool(x, 3, 2, 'valid'), concat([conv, double], 1)], 1);
}

function blockC(L: TasoLayers, x: Tensor, c7: number): Tensor {
  const row = (out: number): Conv => ({ out, kernel: [1, 7] });
  const column = (out: number): Conv => ({ out, kernel: [7, 1] });
  return joinPairs([
    chain(L, x, { out: 192, kernel: 1 }),
    chain(L, x, { out: c7, kernel: 1 }, row(c7), column(192)),
    chain(L, x, { out: c7, kernel: 1 }, column(c7), row(c7), column(c7), row(192)),
    chain(L, L.avgPool(x, 3, 1, 'same'), { out: 192, kernel: 1 }),
  ]);
}

function blockD(L: TasoLayers, x: Tensor): Tensor {
  return concat(
    [
      chain(L, x, { out: 192, kernel: 1 }, { out: 320, kernel: 3, stride: 2, padding: 'valid' }),
      chain(L, x, { out: 192, kernel: 1 }, { out: 192, kernel: [1, 7] }, { out: 192, kernel: [7, 1] }, { out: 192, kernel: 3, stride: 2, padding: 'valid' }),
      L.maxPool(x, 3, 2, 'valid'),
    ],
    1,
  );
}

function blockE(L: TasoLayers, x: Tensor): Tensor {
  const fork = (y: Tensor) => concat([chain(L, y, { out: 384, kernel: [1, 3] }), chain(L, y, { out: 384, kernel: [3, 1] })], 1);
  return concat(
    [
      chain(L, x, { out: 320, kernel: 1 }),
      fork(chain(L, x, { out: 384, kernel: 1 })),
      fork(chain(L, x, { out: 448, kernel: 1 }, { out: 384, kernel: 3 })),
      chain(L, L.maxPool(x, 3, 1, 'same'), { out: 192, kernel: 1 }),
    ],
    1,
  );
}

export function buildInceptionV3(scale: ImageScale): Network {
  const network = new Network('inception-v3 (tensat)');
  const L = tasoLayers(network, scale);
  let x = stem(L, network.addInput('input', 'float32', [1, 3, scale.resolution, scale.resolution]));
  for (const poolFeatures of [32, 64, 64]) x = blockA(L, x, poolFeatures);
  x = blockB(L, x);
  for (const c7 of [128, 160, 160, 192]) x = blockC(L, x, c7);
  x = blockE(L, blockE(L, blockD(L, x)));
  network.markOutput(L.avgPoolAll(x), 'output');
  return network;
}

export const INCEPTION_V3 = twoSizeEntry(
  { name: 'inception-v3', group: 'tensat', source: 'TENSAT model/inceptionv3.model (torchvision inception_v3); Szegedy et al. 2016' },
  buildInceptionV3,
  { divisor: 1, resolution: 299 },
  { divisor: 8, resolution: 139 },
);
