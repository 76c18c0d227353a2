/**
 * Type rules of the default domain's sliding-window and resampling ops, for any number of spatial
 * dims (1-D convs of audio models as well as 2-D and 3-D): Conv, ConvInteger, QLinearConv,
 * ConvTranspose, DeformConv, the pools (with MaxPool's indices), global pools, RoI pools, MaxUnpool,
 * Resize, Upsample, GridSample and Col2Im. Spec: convPoolShapeInference and
 * convTransposeShapeInference in onnx/defs/nn/defs.cc, resizeShapeInference in tensor/utils.cc.
 */
import type { Dim, DType, TensorType } from '../../ops/types.js';
import { constantInts, int, ints, text, typed } from './type-rule.js';
import type { Rule, StandardNode } from './type-rule.js';

/** Per-spatial-dim window parameters, defaults filled in. */
interface Window {
  kernel: number[];
  strides: number[];
  dilations: number[];
}

function windowOf(n: StandardNode, kernel: number[]): Window {
  const ones = kernel.map(() => 1);
  return { kernel, strides: ints(n, 'strides') ?? ones, dilations: ints(n, 'dilations') ?? ones };
}

/** The pads before and after spatial dim i: the pads attribute, or what auto_pad SAME_* computes from the input size. */
function padsAt(n: StandardNode, w: Window, i: number, size: Dim): [number, number] | undefined {
  const given = ints(n, 'pads');
  if (given) return [given[i]!, given[i + w.kernel.length]!];
  const auto = text(n, 'auto_pad', 'NOTSET');
  if (auto === 'NOTSET' || auto === 'VALID') return [0, 0];
  const effective = (w.kernel[i]! - 1) * w.dilations[i]! + 1;
  const stride = w.strides[i]!;
  if (stride > 1 && typeof size !== 'number') return undefined;
  const residual = stride > 1 ? (size as number) % stride : 0;
  const total = Math.max(residual === 0 ? effective - stride : effective - residual, 0);
  const small = total >> 1;
  return auto === 'SAME_UPPER' ? [small, total - small] : [total - small, small];
}

/** One output spatial dim of a conv or pool (ceil_mode as PyTorch: no window starts in the end padding). */
function slidDim(n: StandardNode, w: Window, i: number, size: Dim, ceil: boolean): Dim {
  const pads = padsAt(n, w, i, size);
  const effective = (w.kernel[i]! - 1) * w.dilations[i]! + 1;
  const stride = w.strides[i]!;
  // A symbolic size survives a window that keeps every position (stride 1, padded to the kernel).
  if (typeof size !== 'number') return pads && stride === 1 && pads[0] + pads[1] === effective - 1 ? size : n.fresh(0, `d${i}`);
  if (!pads) return n.fresh(0, `d${i}`);
  const numerator = size + pads[0] + pads[1] - effective + (ceil ? stride - 1 : 0);
  let out = Math.floor(numerator / stride) + 1;
  if (ceil && (out - 1) * stride >= size + pads[0]) out--;
  return out;
}

function slid(n: StandardNode, x: TensorType, channels: Dim, w: Window, dtype: DType, ceil = false): TensorType {
  const spatial = x.shape.slice(2).map((d, i) => slidDim(n, w, i, d, ceil));
  return typed(dtype, [x.shape[0]!, channels, ...spatial]);
}

/** Conv-like: data at input `xi`, weights [M, C/group, k...] at `wi`, output in `dtype`. */
function conv(xi: number, wi: number, dtype: (n: StandardNode, x: TensorType) => DType | undefined): Rule {
  return (n) => {
    const [x, weights] = [n.input(xi), n.input(wi)];
    const t = x && dtype(n, x);
    if (!x || !weights || !t) return [];
    const kernel = ints(n, 'kernel_shape') ?? weights.shape.slice(2);
    if (!kernel.every((k): k is number => typeof k === 'number')) return [];
    return [slid(n, x, weights.shape[0]!, windowOf(n, kernel), t)];
  };
}

/** Pools: channels kept, kernel_shape required; MaxPool's indices are int64 of the same shape. */
const pool: Rule = (n) => {
  const x = n.input(0);
  const kernel = ints(n, 'kernel_shape');
  if (!x || !kernel) return [];
  const y = slid(n, x, x.shape[1]!, windowOf(n, kernel), x.dtype, int(n, 'ceil_mode', 0) === 1);
  return [y, typed('int64', y.shape)];
};

/** ConvTranspose: output_shape when given, else stride·(in−1) + output_padding + effective kernel − pads. */
const convTranspose: Rule = (n) => {
  const [x, weights] = [n.input(0), n.input(1)];
  if (!x || !weights) return [];
  const channels = typeof weights.shape[1] === 'number' ? weights.shape[1] * int(n, 'group', 1) : n.fresh(0, 'channels');
  const kernel = ints(n, 'kernel_shape') ?? weights.shape.slice(2);
  const outputShape = ints(n, 'output_shape');
  if (outputShape) return [typed(x.dtype, [x.shape[0]!, channels, ...outputShape.slice(-kernel.length)])];
  if (!kernel.every((k): k is number => typeof k === 'number')) return [];
  const w = windowOf(n, kernel);
  const extra = ints(n, 'output_padding');
  const given = ints(n, 'pads');
  const spatial = x.shape.slice(2).map((d, i) => {
    if (typeof d !== 'number') return n.fresh(0, `d${i}`);
    const effective = (kernel[i]! - 1) * w.dilations[i]! + 1;
    const auto = text(n, 'auto_pad', 'NOTSET');
    const total = given ? given[i]! + given[i + kernel.length]! : auto.startsWith('SAME') ? Math.max(effective - w.strides[i]!, 0) : 0;
    return w.strides[i]! * (d - 1) + (extra?.[i] ?? 0) + effective - total;
  });
  return [typed(x.dtype, [x.shape[0]!, channels, ...spatial])];
};

/** DeformConv: [N, M, offset's spatial dims]. */
const deformConv: Rule = (n) => {
  const [x, weights, offset] = [n.input(0), n.input(1), n.input(2)];
  return x && weights && offset ? [typed(x.dtype, [x.shape[0]!, weights.shape[0]!, ...offset.shape.slice(2)])] : [];
};

/** GlobalAveragePool / GlobalMaxPool / GlobalLpPool: spatial dims become 1. */
const globalPool: Rule = (n) => {
  const x = n.input(0);
  return x
    ? [
        typed(
          x.dtype,
          x.shape.map((d, i) => (i < 2 ? d : 1)),
        ),
      ]
    : [];
};

/** MaxRoiPool: [rois, C, pooled_shape]. */
const maxRoiPool: Rule = (n) => {
  const [x, rois] = [n.input(0), n.input(1)];
  const pooled = ints(n, 'pooled_shape');
  return x && rois && pooled ? [typed(x.dtype, [rois.shape[0]!, x.shape[1]!, ...pooled])] : [];
};

/** RoiAlign: [rois, C, output_height, output_width]. */
const roiAlign: Rule = (n) => {
  const [x, rois] = [n.input(0), n.input(1)];
  return x && rois ? [typed(x.dtype, [rois.shape[0]!, x.shape[1]!, int(n, 'output_height', 1), int(n, 'output_width', 1)])] : [];
};

/** MaxUnpool: the output_shape input's values, else (in−1)·stride + kernel − pads. */
const maxUnpool: Rule = (n) => {
  const x = n.input(0);
  const kernel = ints(n, 'kernel_shape');
  if (!x || !kernel) return [];
  const explicit = n.input(2) ? constantInts(n, 2) : undefined;
  if (explicit) return [typed(x.dtype, explicit)];
  const w = windowOf(n, kernel);
  const pads = ints(n, 'pads') ?? [...kernel, ...kernel].map(() => 0);
  const spatial = x.shape
    .slice(2)
    .map((d, i) => (typeof d === 'number' && !n.input(2) ? (d - 1) * w.strides[i]! + kernel[i]! - pads[i]! - pads[i + kernel.length]! : n.fresh(0, `d${i}`)));
  return [typed(x.dtype, [x.shape[0]!, x.shape[1]!, ...spatial])];
};

/** Dims scaled by constant factors: floor(d · scale) in float32 as onnxruntime computes it; a symbolic dim survives only a scale of 1. */
function scaled(n: StandardNode, x: TensorType, scales: readonly number[], axes: readonly number[]): Dim[] {
  const dims = [...x.shape];
  axes.forEach((a, j) => {
    const [d, s] = [dims[a]!, scales[j]!];
    dims[a] = s === 1 ? d : typeof d === 'number' ? Math.floor(Math.fround(d * s)) : n.fresh(0, `d${a}`);
  });
  return dims;
}

/** Resize: the sizes input (stretch policy) or the scales input, restricted to `axes` from opset 18. */
const resize: Rule = (n) => {
  const x = n.input(0);
  if (!x) return [];
  const axes = (n.opset >= 18 ? ints(n, 'axes') : undefined) ?? x.shape.map((_, i) => i);
  const [scalesAt, sizesAt] = n.opset < 11 ? [1, -1] : [2, 3];
  const sizes = sizesAt > 0 && n.input(sizesAt) ? constantInts(n, sizesAt) : undefined;
  if (sizes && text(n, 'keep_aspect_ratio_policy', 'stretch') === 'stretch') {
    const dims = [...x.shape];
    axes.forEach((a, j) => {
      dims[a] = sizes[j]!;
    });
    return [typed(x.dtype, dims)];
  }
  const scales = n.input(scalesAt) ? n.constant(scalesAt) : undefined;
  if (scales?.length) return [typed(x.dtype, scaled(n, x, scales, axes))];
  return [
    typed(
      x.dtype,
      x.shape.map((_, i) => n.fresh(0, `d${i}`)),
    ),
  ];
};

/** Upsample: scales an attribute in opset 7, an input from 9. */
const upsample: Rule = (n) => {
  const x = n.input(0);
  if (!x) return [];
  const scales = n.opset < 9 ? n.attr('scales')?.floats : n.constant(1);
  const axes = x.shape.map((_, i) => i);
  return [typed(x.dtype, scales ? scaled(n, x, [...scales], axes) : axes.map((i) => n.fresh(0, `d${i}`)))];
};

/** GridSample: [N, C, the grid's output dims]. */
const gridSample: Rule = (n) => {
  const [x, grid] = [n.input(0), n.input(1)];
  return x && grid ? [typed(x.dtype, [x.shape[0]!, x.shape[1]!, ...grid.shape.slice(1, -1)])] : [];
};

/** AffineGrid: size [N, C, H, W] gives [N, H, W, 2]; [N, C, D, H, W] gives [N, D, H, W, 3]. */
const affineGrid: Rule = (n) => {
  const theta = n.input(0);
  const size = constantInts(n, 1);
  if (!theta) return [];
  if (!size) {
    const rank = typeof n.input(1)?.shape[0] === 'number' ? (n.input(1)!.shape[0] as number) : undefined;
    return [rank === undefined ? undefined : typed(theta.dtype, [theta.shape[0]!, ...Array.from({ length: rank - 2 }, (_, i) => n.fresh(0, `d${i}`)), rank - 2])];
  }
  return [typed(theta.dtype, [theta.shape[0]!, ...size.slice(2), size.length - 2])];
};

/** Col2Im: [N, C, image_shape] with C the column dim divided by the block's size. */
const col2Im: Rule = (n) => {
  const x = n.input(0);
  const [image, block] = [constantInts(n, 1), constantInts(n, 2)];
  if (!x || !image || !block) return [];
  const area = block.reduce((a, b) => a * b, 1);
  const c = x.shape[1]!;
  return [typed(x.dtype, [x.shape[0]!, typeof c === 'number' ? c / area : n.fresh(0, 'channels'), ...image])];
};

/** LpPool: like the other pools, without indices. */
const lpPool: Rule = (n) => pool(n).slice(0, 1);

const sameDtype = (_: StandardNode, x: TensorType) => x.dtype;

export const WINDOW_RULES: Readonly<Record<string, Rule>> = {
  Conv: conv(0, 1, sameDtype),
  ConvInteger: conv(0, 1, () => 'int32'),
  // QLinearConv(x, x_scale, x_zero, w, w_scale, w_zero, y_scale, y_zero, B): y's zero point types it.
  QLinearConv: conv(0, 3, (n) => n.input(7)?.dtype),
  ConvTranspose: convTranspose,
  DeformConv: deformConv,
  MaxPool: pool,
  AveragePool: pool,
  LpPool: lpPool,
  GlobalAveragePool: globalPool,
  GlobalMaxPool: globalPool,
  GlobalLpPool: globalPool,
  MaxRoiPool: maxRoiPool,
  RoiAlign: roiAlign,
  MaxUnpool: maxUnpool,
  Resize: resize,
  Upsample: upsample,
  GridSample: gridSample,
  Col2Im: col2Im,
  AffineGrid: affineGrid,
};
