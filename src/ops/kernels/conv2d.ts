/** Direct 2-D grouped convolution (NCHW, weights [M, C/group, kH, kW]), the reference for Conv and FusedConv. */
import type { TypedData } from '../types.js';
import type { Window } from './window.js';

export interface Conv2dGeometry {
  readonly batch: number;
  readonly inChannels: number;
  readonly height: number;
  readonly width: number;
  readonly outChannels: number;
  readonly group: number;
  readonly outHeight: number;
  readonly outWidth: number;
  readonly h: Window;
  readonly w: Window;
}

/** out[n, m, oy, ox] = bias[m] + sum over the group's channels and the taps that land inside x. */
export function conv2d(x: TypedData, weight: TypedData, bias: TypedData | undefined, g: Conv2dGeometry, out: Float32Array): void {
  const groupIn = g.inChannels / g.group;
  const groupOut = g.outChannels / g.group;
  const kh = g.h.kernel;
  const kw = g.w.kernel;
  const plane = g.height * g.width;
  let o = 0;
  for (let n = 0; n < g.batch; n++) {
    for (let m = 0; m < g.outChannels; m++) {
      const xGroup = (n * g.inChannels + Math.floor(m / groupOut) * groupIn) * plane;
      const wBase = m * groupIn * kh * kw;
      for (let oy = 0; oy < g.outHeight; oy++) {
        const y0 = oy * g.h.stride - g.h.padBegin;
        for (let ox = 0; ox < g.outWidth; ox++, o++) {
          const x0 = ox * g.w.stride - g.w.padBegin;
          let acc = bias ? bias[m]! : 0;
          for (let c = 0; c < groupIn; c++) {
            const xc = xGroup + c * plane;
            const wc = wBase + c * kh * kw;
            for (let ky = 0; ky < kh; ky++) {
              const iy = y0 + ky * g.h.dilation;
              if (iy < 0 || iy >= g.height) continue;
              for (let kx = 0; kx < kw; kx++) {
                const ix = x0 + kx * g.w.dilation;
                if (ix >= 0 && ix < g.width) acc += x[xc + iy * g.width + ix]! * weight[wc + ky * kw + kx]!;
              }
            }
          }
          out[o] = acc;
        }
      }
    }
  }
}
