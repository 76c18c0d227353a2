/**
 * SqueezeNet 1.1 as TENSAT read it (uwplse/tensat model/squeezenet.model, a TASO graph of
 * torchvision's squeezenet1_1; Iandola et al., "SqueezeNet", 2016): a 3×3 stride-2 conv to 64,
 * eight fire modules with 3×3 stride-2 max-pools before the first, third and fifth, dropout (an
 * Identity at inference), a 1×1 conv to 1000 classes with ReLU, a 13×13 average pool and a
 * flatten. Convs are bias-free, as the file keeps them. Small copy: channels ÷8, input 64×64
 * (the final pool covers the map that is left, as 13×13 does at full size).
 */
import { concat, identity, reshape } from '../network/functional/primitives.js';
import { Network } from '../network/network.js';
import type { Tensor } from '../network/tensor.js';
import { twoSizeEntry } from './entry.js';
import { tasoLayers } from './taso-layers.js';
import type { ImageScale, TasoLayers } from './taso-layers.js';

/** Squeeze and expand widths of the eight fires; a max-pool precedes those marked. */
const FIRES = [
  { squeeze: 16, expand: 64, poolBefore: true },
  { squeeze: 16, expand: 64 },
  { squeeze: 32, expand: 128, poolBefore: true },
  { squeeze: 32, expand: 128 },
  { squeeze: 48, expand: 192, poolBefore: true },
  { squeeze: 48, expand: 192 },
  { squeeze: 64, expand: 256 },
  { squeeze: 64, expand: 256 },
];
const CLASSES = 1000;

function fire(L: TasoLayers, x: Tensor, squeeze: number, expand: number): Tensor {
  const s = L.conv(x, { out: squeeze, kernel: 1, relu: true });
  return concat([L.conv(s, { out: expand, kernel: 1, relu: true }), L.conv(s, { out: expand, kernel: 3, padding: 'same', relu: true })], 1);
}

export function buildSqueezenet11(scale: ImageScale): Network {
  const network = new Network('squeezenet-1.1 (tensat)');
  const L = tasoLayers(network, scale);
  let x = L.conv(network.addInput('input', 'float32', [1, 3, scale.resolution, scale.resolution]), { out: 64, kernel: 3, stride: 2, padding: 'valid', relu: true });
  for (const f of FIRES) x = fire(L, f.poolBefore ? L.maxPool(x, 3, 2, 'valid') : x, f.squeeze, f.expand);
  const classes = L.conv(identity(x, { name: 'dropout' }), { out: CLASSES, kernel: 1, relu: true });
  network.markOutput(reshape(L.avgPoolAll(classes), [1, L.width(CLASSES)]), 'output');
  return network;
}

export const SQUEEZENET_11 = twoSizeEntry(
  { name: 'squeezenet', group: 'tensat', source: 'TENSAT model/squeezenet.model (torchvision squeezenet1_1); Iandola et al. 2016' },
  buildSqueezenet11,
  { divisor: 1, resolution: 224 },
  { divisor: 8, resolution: 64 },
);
