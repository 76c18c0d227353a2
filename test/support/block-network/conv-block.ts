/**
 * Convolution blocks as CNN exporters write them: a Conv (kernel, stride, padding (one-sided
 * too), dilation and group drawn, depthwise included), its bias inside or added as [1, M, 1, 1] or
 * [M, 1, 1], a twin conv of the same input (SqueezeNet's expand pair, or another geometry),
 * BatchNorm, an activation (op or x·sigmoid(x)) and pools, 1×1 ones with and without stride.
 */
import * as F from '../../../src/network/functional/primitives.js';
import type { ConvOptions } from '../../../src/network/functional/primitives.js';
import type { Tensor } from '../../../src/network/tensor.js';
import type { BlockContext } from './context.js';
import type { Picks } from './picks.js';

interface Geometry {
  kernel: number;
  options: ConvOptions;
}

/** Pads [top, left, bottom, right]: none, even, or two rows on one side only (the same output size, other pixels). */
const PADS = [
  [0, 0, 0, 0],
  [1, 1, 1, 1],
  [2, 0, 0, 0],
  [0, 0, 2, 0],
];

/** A kernel size, stride, padding, dilation and group that fit an image of `height` × `width` with `channels`. */
function geometry(p: Picks, height: number, width: number, channels: number): Geometry {
  const kernel = p.of([1, 3, 2]);
  const pads = p.of(PADS);
  const dilation = p.oneIn(4) ? 2 : 1;
  const stride = p.oneIn(3) ? 2 : 1;
  const group = p.oneIn(3) ? channels : 1;
  const span = dilation * (kernel - 1) + 1;
  const fits = height + pads[0]! + pads[2]! >= span && width + pads[1]! + pads[3]! >= span;
  const options: ConvOptions = fits ? { strides: [stride, stride], pads, dilations: [dilation, dilation] } : {};
  return { kernel: fits ? kernel : 1, options: group > 1 ? { ...options, group } : options };
}

/** A conv of `x` with `geo`, its weight and bias drawn; the bias inside, added after (rank 4 or 3), or absent. */
function convolution(ctx: BlockContext, x: Tensor, geo: Geometry, outChannels: number, p: Picks): Tensor {
  const channels = x.shape[1] as number;
  const perGroup = channels / (geo.options.group ?? 1);
  const w = ctx.random([outChannels, perGroup, geo.kernel, geo.kernel], 1 / Math.sqrt(perGroup * geo.kernel ** 2));
  switch (p.of(['inside', 'none', 'added', 'added-3d'])) {
    case 'inside':
      return F.conv(x, w, ctx.random([outChannels], 0.5), geo.options);
    case 'added':
      return F.add(F.conv(x, w, undefined, geo.options), ctx.random([1, outChannels, 1, 1], 0.5));
    case 'added-3d':
      return F.add(F.conv(x, w, undefined, geo.options), ctx.random([outChannels, 1, 1], 0.5));
    default:
      return F.conv(x, w, undefined, geo.options);
  }
}

/** BatchNorm, an activation and a pool after a conv, each present or not. */
function after(ctx: BlockContext, y: Tensor, p: Picks): Tensor {
  const m = y.shape[1] as number;
  if (p.oneIn(3)) y = F.batchNorm(y, ctx.random([m], 0.5, 1), ctx.random([m], 0.5), ctx.random([m], 0.5), ctx.random([m], 0.5, 1));
  switch (p.of(['relu', 'none', 'sigmoid', 'silu', 'x-sigmoid'])) {
    case 'relu':
      y = F.relu(y);
      break;
    case 'sigmoid':
      y = F.sigmoid(y);
      break;
    case 'silu':
      y = F.silu(y);
      break;
    case 'x-sigmoid':
      y = F.mul(y, F.sigmoid(y));
  }
  switch (p.of(['none', 'max 1x1', 'average 1x1', 'global', 'max 2x2'])) {
    case 'max 1x1':
      return F.maxPool(y, { kernelShape: [1, 1], ...(p.oneIn(2) ? { strides: [2, 2] } : {}) });
    case 'average 1x1':
      return F.averagePool(y, { kernelShape: [1, 1], ...(p.oneIn(2) ? { strides: [2, 2] } : {}) });
    case 'global':
      return F.globalAveragePool(y);
    case 'max 2x2':
      return (y.shape[2] as number) >= 2 && (y.shape[3] as number) >= 2 ? F.maxPool(y, { kernelShape: [2, 2] }) : y;
  }
  return y;
}

/** One conv (or a twin pair on the same input, same geometry) with what usually follows it. */
export function convBlock(ctx: BlockContext, p: Picks): Tensor[] {
  const x = ctx.image(p);
  const channels = x.shape[1] as number;
  const draw = () => geometry(p, x.shape[2] as number, x.shape[3] as number, channels);
  // A grouped conv's output channels are a multiple of its groups.
  const outChannels = (geo: Geometry) => (geo.options.group ? channels * p.of([1, 2]) : p.of([4, 2, 6]));
  const geo = draw();
  const ys = [convolution(ctx, x, geo, outChannels(geo), p)];
  if (p.oneIn(3)) {
    // A twin of the same geometry (SqueezeNet's pair), or of another one that a merge must tell apart.
    const twin = p.oneIn(3) ? draw() : geo;
    ys.push(convolution(ctx, x, twin, outChannels(twin), p));
  }
  return ys.map((y) => after(ctx, y, p));
}
