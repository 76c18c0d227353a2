/**
 * ResNeXt-50 (32×4d) as TENSAT built it (uwplse/tensat src/resnext50.rs, after TASO's
 * examples/resnext50.py; Xie et al., "Aggregated Residual Transformations", CVPR 2017): a 7×7
 * stride-2 conv to 64 and a 3×3 stride-2 max-pool, then stages of 3, 4, 6 and 3 blocks with
 * bottleneck widths 128, 256, 512 and 1024 in 32 groups. No BatchNorm and no classifier, as there.
 * Small copy: channels and groups ÷8 (4 channels per group, as at full width), input 64×64.
 */
import { add, relu } from '../network/functional/primitives.js';
import { Network } from '../network/network.js';
import type { Tensor } from '../network/tensor.js';
import { twoSizeEntry } from './entry.js';
import { tasoLayers } from './taso-layers.js';
import type { ImageScale, TasoLayers } from './taso-layers.js';

const STAGES = [
  { blocks: 3, width: 128 },
  { blocks: 4, width: 256 },
  { blocks: 6, width: 512 },
  { blocks: 3, width: 1024 },
];
const GROUPS = 32;

/** 1×1 → 3×3 grouped (strided) → 1×1 to twice the width, plus the shortcut (projected where the shape changes). */
function block(L: TasoLayers, x: Tensor, width: number, stride: number): Tensor {
  let y = L.conv(x, { out: width, kernel: 1, relu: true });
  y = L.conv(y, { out: width, kernel: 3, stride, group: GROUPS, relu: true });
  y = L.conv(y, { out: 2 * width, kernel: 1 });
  const projected = stride > 1 || (x.shape[1] as number) !== L.width(2 * width);
  const shortcut = projected ? L.conv(x, { out: 2 * width, kernel: 1, stride, relu: true }) : x;
  return relu(add(shortcut, y));
}

export function buildResnext50(scale: ImageScale): Network {
  const network = new Network('resnext-50 (tensat)');
  const L = tasoLayers(network, scale);
  const input = network.addInput('input', 'float32', [1, 3, scale.resolution, scale.resolution]);
  let x = L.maxPool(L.conv(input, { out: 64, kernel: 7, stride: 2, relu: true }), 3, 2, 'same');
  STAGES.forEach((stage, s) => {
    for (let b = 0; b < stage.blocks; b++) x = block(L, x, stage.width, s > 0 && b === 0 ? 2 : 1);
  });
  network.markOutput(x, 'output');
  return network;
}

export const RESNEXT_50 = twoSizeEntry(
  { name: 'resnext-50', group: 'tensat', source: 'TENSAT resnext50.rs after TASO examples/resnext50.py; Xie et al. 2017 (32×4d)' },
  buildResnext50,
  { divisor: 1, resolution: 224 },
  { divisor: 8, resolution: 64 },
);
