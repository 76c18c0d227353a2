/**
 * A SqueezeNet fire module as exported from a model trained with BatchNorm (the exporter keeps
 * BatchNormalization in inference mode): a 1×1 squeeze conv, then 1×1 and 3×3 expand convs side
 * by side, each Conv → BatchNorm → Relu, the expands concatenated on channels.
 */
import { batchNorm, concat, conv, relu } from '../network/functional/primitives.js';
import { Network } from '../network/network.js';
import type { Tensor } from '../network/tensor.js';
import { weightFactory } from './weights.js';
import type { WeightOptions } from './weights.js';

export interface FireConfig extends WeightOptions {
  channels: number;
  squeeze: number;
  expand: number;
  height: number;
  width: number;
  batch: number;
}

export const TINY_FIRE: FireConfig = { channels: 8, squeeze: 4, expand: 8, height: 6, width: 6, batch: 1, withData: true };

export function buildFireModule(config: FireConfig): Network {
  const network = new Network('squeezenet fire (exported)');
  const weight = weightFactory(network, config);
  const block = (x: Tensor, name: string, cin: number, cout: number, kernel: number) => {
    const pad = (kernel - 1) / 2;
    const y = conv(x, weight(`${name}.weight`, [cout, cin, kernel, kernel], 1 / Math.sqrt(cin * kernel * kernel)), weight(`${name}.bias`, [cout], 0.1), {
      strides: [1, 1],
      pads: [pad, pad, pad, pad],
      dilations: [1, 1],
      group: 1,
    });
    const bn = batchNorm(
      y,
      weight(`${name}.bn.weight`, [cout], 1),
      weight(`${name}.bn.bias`, [cout], 0.1),
      weight(`${name}.bn.running_mean`, [cout], 0.1),
      positive(`${name}.bn.running_var`, cout),
      {
        epsilon: 1e-5,
      },
    );
    return relu(bn);
  };
  // Running variances must be positive: seeded from [0.5, 1.5].
  const positive = (name: string, n: number) => {
    const data = new Float32Array(n);
    for (let i = 0; i < n; i++) data[i] = 1 + 0.5 * Math.sin(i + 1);
    return network.addConstant({ name, dtype: config.dtype ?? 'float32', shape: [n], ...(config.withData ? { data } : {}) });
  };
  const x = network.addInput('input', config.dtype ?? 'float32', [config.batch, config.channels, config.height, config.width]);
  const s = block(x, 'fire.squeeze', config.channels, config.squeeze, 1);
  const out = concat([block(s, 'fire.expand1x1', config.squeeze, config.expand, 1), block(s, 'fire.expand3x3', config.squeeze, config.expand, 3)], 1);
  network.markOutput(out, 'output');
  return network;
}
