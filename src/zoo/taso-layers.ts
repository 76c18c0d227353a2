/**
 * TASO's layer vocabulary over netsat's primitives, for the TENSAT suite: bias-free convolutions
 * with TASO's SAME or VALID padding and an optional ReLU (TASO fuses it into the conv; netsat
 * writes Conv then Relu, as an exporter would), pools with the same padding modes, and bias-free
 * matmuls. Every channel count is given at full width and divided by `divisor`, so one model file
 * builds both the paper's network and a small copy a runtime can measure.
 */
import { NetsatError } from '../errors.js';
import { averagePool, conv, matmul, maxPool, relu } from '../network/functional/primitives.js';
import type { Network } from '../network/network.js';
import type { Tensor } from '../network/tensor.js';
import { weightFactory } from './weights.js';
import type { WeightOptions } from './weights.js';

/** TASO's padding modes: SAME keeps ceil(size / stride), VALID pads nothing. */
export type Padding = 'same' | 'valid';

export interface TasoScale extends WeightOptions {
  /** Channel counts (and group counts) are divided by this; 1 for the paper's network. */
  divisor: number;
}

/** A CNN's scale: its width divisor and its square input's side. */
export interface ImageScale extends TasoScale {
  resolution: number;
}

export interface ConvSpec {
  /** Output channels at full width. */
  out: number;
  kernel: number | readonly [number, number];
  stride?: number;
  padding?: Padding;
  relu?: boolean;
  /** Channel groups at full width (ResNeXt's 32); 'depthwise' for one group per channel. */
  group?: number | 'depthwise';
}

export interface TasoLayers {
  /** `n` channels at full width, scaled. */
  width(n: number): number;
  conv(x: Tensor, spec: ConvSpec): Tensor;
  maxPool(x: Tensor, kernel: number, stride: number, padding: Padding): Tensor;
  avgPool(x: Tensor, kernel: number, stride: number, padding: Padding): Tensor;
  /** A pool over the whole remaining map: TASO's final 13×13 or 8×8 average pool at full resolution. */
  avgPoolAll(x: Tensor): Tensor;
  /** x [M, K] times a fresh weight [K, n], n at full width. */
  matmul(x: Tensor, n: number): Tensor;
  /** A fresh weight of `shape`, as given (not scaled), drawn from ±1/√fanIn when it has data. */
  weight(shape: number[], fanIn?: number): Tensor;
}

/** Pads [begin, end] along one axis: TensorFlow's SAME puts the odd cell at the end. */
function samePads(size: number, kernel: number, stride: number): [number, number] {
  const total = Math.max((Math.ceil(size / stride) - 1) * stride + kernel - size, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

/** ONNX pads [top, left, bottom, right] of a `kernel` window on x's [H, W]. */
function pads(x: Tensor, [kh, kw]: readonly [number, number], stride: number, padding: Padding): number[] {
  if (padding === 'valid') return [0, 0, 0, 0];
  const [top, bottom] = samePads(x.shape[2] as number, kh, stride);
  const [left, right] = samePads(x.shape[3] as number, kw, stride);
  return [top, left, bottom, right];
}

const channels = (x: Tensor): number => x.shape[1] as number;

export function tasoLayers(network: Network, scale: TasoScale): TasoLayers {
  const newWeight = weightFactory(network, scale);
  let count = 0;
  const weight = (shape: number[], fanIn = shape.slice(1).reduce((a, b) => a * b, 1)) => newWeight(`w${count++}`, shape, 1 / Math.sqrt(fanIn));
  const width = (n: number) => {
    if (n % scale.divisor !== 0)
      throw new NetsatError(`${n} channels do not divide by the zoo's width divisor ${scale.divisor}`, { where: network.name, hint: 'pick a divisor of every channel count' });
    return n / scale.divisor;
  };
  const pool = (op: typeof maxPool, x: Tensor, kernel: number, stride: number, padding: Padding) =>
    op(x, { kernelShape: [kernel, kernel], strides: [stride, stride], pads: pads(x, [kernel, kernel], stride, padding) });
  return {
    width,
    weight,
    conv(x, spec) {
      const kernel = typeof spec.kernel === 'number' ? ([spec.kernel, spec.kernel] as const) : spec.kernel;
      const out = width(spec.out);
      const group = spec.group === 'depthwise' ? out : spec.group === undefined ? 1 : width(spec.group);
      const stride = spec.stride ?? 1;
      const y = conv(x, weight([out, channels(x) / group, ...kernel]), undefined, {
        strides: [stride, stride],
        pads: pads(x, kernel, stride, spec.padding ?? 'same'),
        dilations: [1, 1],
        group,
      });
      return spec.relu ? relu(y) : y;
    },
    maxPool: (x, kernel, stride, padding) => pool(maxPool, x, kernel, stride, padding),
    avgPool: (x, kernel, stride, padding) => pool(averagePool, x, kernel, stride, padding),
    avgPoolAll(x) {
      const [h, w] = [x.shape[2] as number, x.shape[3] as number];
      return averagePool(x, { kernelShape: [h, w], strides: [h, w], pads: [0, 0, 0, 0] });
    },
    matmul: (x, n) => matmul(x, weight([x.shape[1] as number, width(n)], x.shape[1] as number)),
  };
}
