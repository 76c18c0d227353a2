/**
 * VGG-19 as TENSAT read it (uwplse/tensat model/vgg.model, a TASO graph of torchvision's vgg19;
 * Simonyan & Zisserman, "Very Deep Convolutional Networks", ICLR 2015): sixteen 3×3 convs with
 * ReLU in five stages of 2, 2, 4, 4 and 4 at 64 to 512 channels, each stage closed by a 2×2
 * stride-2 max-pool, then three fully connected layers (4096, 4096, 1000) as matmuls with weights
 * stored [out, in] and transposed, ReLU and dropout (an Identity at inference) after the first two,
 * and the importer's reshapes. Biases are dropped, as TENSAT's importer drops them. Small copy:
 * channels and features ÷8, input 32×32.
 */
import { identity, matmul, relu, reshape, transpose } from '../network/functional/primitives.js';
import { Network } from '../network/network.js';
import type { Tensor } from '../network/tensor.js';
import { twoSizeEntry } from './entry.js';
import { tasoLayers } from './taso-layers.js';
import type { ImageScale, TasoLayers } from './taso-layers.js';

const STAGES = [
  { convs: 2, width: 64 },
  { convs: 2, width: 128 },
  { convs: 4, width: 256 },
  { convs: 4, width: 512 },
  { convs: 4, width: 512 },
];
const FEATURES = 4096;
const CLASSES = 1000;

/** x [1, K] times a weight stored [n, K], transposed as the file does. */
function fullyConnected(L: TasoLayers, x: Tensor, n: number): Tensor {
  const k = x.shape[1] as number;
  return matmul(x, transpose(L.weight([L.width(n), k]), [1, 0]));
}

export function buildVgg19(scale: ImageScale): Network {
  const network = new Network('vgg-19 (tensat)');
  const L = tasoLayers(network, scale);
  let x = network.addInput('input', 'float32', [1, 3, scale.resolution, scale.resolution]);
  for (const stage of STAGES) {
    for (let c = 0; c < stage.convs; c++) x = L.conv(x, { out: stage.width, kernel: 3, relu: true });
    x = L.maxPool(x, 2, 2, 'valid');
  }
  let features = reshape(x, [1, (x.shape[1] as number) * (x.shape[2] as number) * (x.shape[3] as number)]);
  for (let i = 0; i < 2; i++) features = reshape(identity(relu(fullyConnected(L, features, FEATURES)), { name: `dropout${i}` }), [1, L.width(FEATURES)]);
  network.markOutput(fullyConnected(L, features, CLASSES), 'output');
  return network;
}

export const VGG_19 = twoSizeEntry(
  { name: 'vgg-19', group: 'tensat', source: 'TENSAT model/vgg.model (torchvision vgg19); Simonyan & Zisserman 2015' },
  buildVgg19,
  { divisor: 1, resolution: 224 },
  { divisor: 8, resolution: 32 },
);
