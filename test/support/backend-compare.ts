/**
 * Outputs against a backend test's expected outputs, as ONNX's backend test runner compares them:
 * same element type and shape, strings equal, numbers within numpy's assert_allclose (rtol 1e-3,
 * atol 1e-7, NaN equal to NaN).
 */
import type * as ort from 'onnxruntime-node';
import { halfToFloat } from '../../src/io/onnx/half.js';

export const BACKEND_RTOL = 1e-3;
export const BACKEND_ATOL = 1e-7;

function numbers(t: ort.Tensor): ArrayLike<number | bigint> {
  return t.type === 'float16' ? Array.from(t.data as Uint16Array, halfToFloat) : (t.data as ArrayLike<number | bigint>);
}

/** numpy's isclose for one element; equal infinities are close, a NaN only to a NaN. */
function close(actual: number, expected: number): boolean {
  if (Number.isNaN(actual) || Number.isNaN(expected)) return Number.isNaN(actual) && Number.isNaN(expected);
  return actual === expected || Math.abs(actual - expected) <= BACKEND_ATOL + BACKEND_RTOL * Math.abs(expected);
}

/** Why `actual` is not `expected` (one line), or undefined when it matches. */
export function outputMismatch(name: string, expected: ort.Tensor, actual: ort.Tensor | undefined): string | undefined {
  if (!actual) return `output ${name} is missing`;
  if (actual.type !== expected.type || actual.dims.join() !== expected.dims.join()) {
    return `output ${name} is ${actual.type}[${actual.dims.join(', ')}], expected ${expected.type}[${expected.dims.join(', ')}]`;
  }
  const [x, y] = expected.type === 'string' ? [expected.data as string[], actual.data as string[]] : [numbers(expected), numbers(actual)];
  let wrong = 0;
  for (let i = 0; i < x.length; i++) {
    const same = typeof x[i] === 'string' ? x[i] === y[i] : close(Number(y[i]), Number(x[i]));
    if (!same) wrong++;
  }
  return wrong ? `output ${name}: ${wrong} of ${x.length} values differ beyond rtol ${BACKEND_RTOL}, atol ${BACKEND_ATOL}` : undefined;
}
