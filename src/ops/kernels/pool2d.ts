/** 2-D max and average pooling over NCHW planes: padded cells never win a max and count only when asked. */
import type { TypedData } from '../types.js';
import type { Window } from './window.js';

export interface Pool2dGeometry {
  /** N * C: pooling treats every plane alike. */
  readonly planes: number;
  readonly height: number;
  readonly width: number;
  readonly outHeight: number;
  readonly outWidth: number;
  readonly h: Window;
  readonly w: Window;
}

/** Visits every output cell with the taps of its window that land inside the input plane. */
function pool2d(x: TypedData, g: Pool2dGeometry, out: Float32Array, start: () => void, tap: (value: number) => void, finish: (oy: number, ox: number) => number): void {
  const plane = g.height * g.width;
  let o = 0;
  for (let p = 0; p < g.planes; p++) {
    const base = p * plane;
    for (let oy = 0; oy < g.outHeight; oy++) {
      const y0 = oy * g.h.stride - g.h.padBegin;
      for (let ox = 0; ox < g.outWidth; ox++, o++) {
        const x0 = ox * g.w.stride - g.w.padBegin;
        start();
        for (let ky = 0; ky < g.h.kernel; ky++) {
          const iy = y0 + ky * g.h.dilation;
          if (iy < 0 || iy >= g.height) continue;
          for (let kx = 0; kx < g.w.kernel; kx++) {
            const ix = x0 + kx * g.w.dilation;
            if (ix >= 0 && ix < g.width) tap(x[base + iy * g.width + ix]!);
          }
        }
        out[o] = finish(oy, ox);
      }
    }
  }
}

export function maxPool2d(x: TypedData, g: Pool2dGeometry, out: Float32Array): void {
  let best = -Infinity;
  pool2d(
    x,
    g,
    out,
    () => (best = -Infinity),
    (v) => {
      // NaN propagates, as in PyTorch and onnxruntime.
      if (v > best || Number.isNaN(v)) best = v;
    },
    () => best,
  );
}

/**
 * Average pooling. Without `countIncludePad` the divisor is the number of taps inside the input;
 * with it, the taps inside the padded plane [-padBegin, size + padEnd) (a ceil-mode window that runs
 * past the end padding does not count the overhang, as in PyTorch).
 */
export function avgPool2d(x: TypedData, g: Pool2dGeometry, countIncludePad: boolean, out: Float32Array): void {
  let sum = 0;
  let count = 0;
  const padded = (o: number, w: Window, size: number): number => {
    const begin = o * w.stride - w.padBegin;
    return Math.min(begin + w.kernel, size + w.padEnd) - begin;
  };
  pool2d(
    x,
    g,
    out,
    () => {
      sum = 0;
      count = 0;
    },
    (v) => {
      sum += v;
      count++;
    },
    (oy, ox) => {
      const divisor = countIncludePad ? padded(oy, g.h, g.height) * padded(ox, g.w, g.width) : count;
      return divisor > 0 ? sum / divisor : 0;
    },
  );
}
