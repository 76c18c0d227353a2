/** Activations of fused kinds, written as nodes: standard forms, or onnxruntime's fused ones for target 'ort'. */
import type { Emit } from './emit.js';
import { dtypeOf, temp } from './emit.js';

const SQRT1_2 = Math.SQRT1_2;
const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/** Gelu from standard ops: the Gelu op from opset 20, its defining formula before. */
export function standardGelu(e: Emit, x: string, out: string, approximate: 'none' | 'tanh'): void {
  const { w } = e;
  if (w.opset >= 20) {
    w.node('Gelu', [x], [out], { approximate });
    return;
  }
  const dt = dtypeOf(e);
  const half = w.node('Mul', [x, w.scalar(dt, 0.5)], temp(e, 'half_x'))[0]!;
  let inner: string;
  if (approximate === 'none') {
    inner = w.node('Erf', [w.node('Mul', [x, w.scalar(dt, SQRT1_2)], temp(e, 'scaled'))[0]!], temp(e, 'erf'))[0]!;
  } else {
    const cube = w.node('Pow', [x, w.scalar(dt, 3)], temp(e, 'cube'))[0]!;
    const poly = w.node('Add', [x, w.node('Mul', [cube, w.scalar(dt, 0.044715)], temp(e, 'cubic'))[0]!], temp(e, 'poly'))[0]!;
    inner = w.node('Tanh', [w.node('Mul', [poly, w.scalar(dt, SQRT_2_OVER_PI)], temp(e, 'scaled'))[0]!], temp(e, 'tanh'))[0]!;
  }
  w.node('Mul', [half, w.node('Add', [inner, w.scalar(dt, 1)], temp(e, 'one_plus'))[0]!], [out]);
}

/** x · sigmoid(x): onnxruntime's QuickGelu with alpha 1 is exactly that, in one kernel. */
export function silu(e: Emit, x: string, out: string): void {
  if (e.target === 'ort') e.w.node('QuickGelu', [x], [out], { alpha: { f: 1 } }, 'com.microsoft');
  else e.w.node('Mul', [x, e.w.node('Sigmoid', [x], temp(e, 'sigmoid'))[0]!], [out]);
}

/** Writes activation(x) to `out`; 'none' is not an activation here (callers write x to out directly). */
export function activation(e: Emit, act: string, x: string, out: string): void {
  switch (act) {
    case 'relu':
      e.w.node('Relu', [x], [out]);
      return;
    case 'tanh':
      e.w.node('Tanh', [x], [out]);
      return;
    case 'sigmoid':
      e.w.node('Sigmoid', [x], [out]);
      return;
    case 'silu':
      silu(e, x, out);
      return;
    case 'gelu':
      if (e.target === 'ort') e.w.node('Gelu', [x], [out], {}, 'com.microsoft');
      else standardGelu(e, x, out, 'none');
      return;
    case 'gelu_tanh':
      if (e.target === 'ort') e.w.node('FastGelu', [x], [out], {}, 'com.microsoft');
      else standardGelu(e, x, out, 'tanh');
      return;
  }
}
