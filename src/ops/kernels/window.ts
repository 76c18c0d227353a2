/**
 * Sliding-window geometry along one spatial axis, shared by convolution and pooling (shape
 * inference and kernels alike), and the validation of their window attributes.
 */
import { ShapeError } from '../../errors.js';
import type { AttrSpec, Attrs, Dim } from '../types.js';

export interface Window {
  readonly kernel: number;
  readonly stride: number;
  readonly padBegin: number;
  readonly padEnd: number;
  readonly dilation: number;
}

/** Distance from a window's first tap to its last, plus one. */
export function windowExtent(w: Window): number {
  return w.dilation * (w.kernel - 1) + 1;
}

/**
 * Output size along one axis: floor((in + pads - extent) / stride) + 1, or ceil with `ceil`; a ceil
 * window that would start inside the end padding is dropped (so every window sees some input or
 * begin padding, as PyTorch and ONNX both do). Negative when the window does not fit at all.
 */
function windowOutSize(size: number, w: Window, ceil = false): number {
  const span = size + w.padBegin + w.padEnd - windowExtent(w);
  if (span < 0) return -1;
  let out = (ceil ? Math.ceil(span / w.stride) : Math.floor(span / w.stride)) + 1;
  if (ceil && (out - 1) * w.stride >= size + w.padBegin) out--;
  return out;
}

/**
 * windowOutSize on a possibly symbolic dim. A symbolic dim passes through only a window that maps
 * each position to itself (extent 1, stride 1, no padding); otherwise the size is unknowable.
 */
export function windowOutDim(op: string, axis: string, size: Dim, w: Window, ceil = false): Dim {
  if (typeof size === 'string') {
    if (windowExtent(w) === 1 && w.stride === 1 && w.padBegin === 0 && w.padEnd === 0) return size;
    throw new ShapeError(`${op}: spatial dim ${axis}="${size}" is symbolic, so the output size of a ${w.kernel}-wide window with stride ${w.stride} is unknown`, {
      where: op,
      hint: `fix ${axis} to a number before inferring ${op}`,
    });
  }
  const out = windowOutSize(size, w, ceil);
  if (out <= 0) {
    throw new ShapeError(
      `${op}: window of extent ${windowExtent(w)} (kernel ${w.kernel}, dilation ${w.dilation}) does not fit ${axis}=${size} with pads ${w.padBegin}+${w.padEnd}`,
      { where: op, hint: `pad ${axis} or use a smaller kernel or dilation` },
    );
  }
  return out;
}

/** The [height, width] windows of a 2-D conv or pool from its attributes (pads in ONNX order [top, left, bottom, right]). */
export function windows2d(kernel: readonly number[], attrs: Attrs): [Window, Window] {
  const strides = attrs.strides as readonly number[];
  const pads = attrs.pads as readonly number[];
  const dilations = (attrs.dilations as readonly number[] | undefined) ?? [1, 1];
  const axis = (i: 0 | 1): Window => ({
    kernel: kernel[i]!,
    stride: strides[i]!,
    padBegin: pads[i]!,
    padEnd: pads[i + 2]!,
    dilation: dilations[i]!,
  });
  return [axis(0), axis(1)];
}

/** An `ints` attribute of exactly `length` values, each at least `min`. */
export function intsAttr(length: number, min: number, doc: string, defaultValue?: readonly number[]): AttrSpec {
  return {
    kind: 'ints',
    ...(defaultValue ? { default: defaultValue } : {}),
    check: (v) => {
      const a = v as readonly number[];
      if (a.length !== length) return `needs ${length} values, got ${a.length}`;
      return a.every((x) => x >= min) ? undefined : `values must be >= ${min}, got [${a.join(', ')}]`;
    },
    doc,
  };
}
