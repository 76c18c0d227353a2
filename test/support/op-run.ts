/**
 * Running one op the way the interpreter does (attributes resolved, types inferred, kernel called),
 * checking that the kernel produced exactly the inferred types; plus seeded tensors and closeness.
 */
import { expect } from 'vitest';
import { ndarray } from '../../src/ops/ndarray.js';
import { getOp, inferTypes, outputCount, resolveAttrs } from '../../src/ops/registry.js';
import { numel } from '../../src/ops/shape.js';
import type { Attrs, DType, NDArray } from '../../src/ops/types.js';

/** Runs op `name` on concrete inputs; fails unless the outputs match inferTypes in count, dtype and shape. */
export function runOp(name: string, inputs: readonly (NDArray | undefined)[], attrs: Attrs = {}): NDArray[] {
  const op = getOp(name);
  const resolved = resolveAttrs(op, attrs);
  const types = inferTypes(
    op,
    inputs.map((a) => a && { dtype: a.dtype, shape: a.shape }),
    resolved,
  );
  const outputs = op.kernel!(inputs, { attrs: resolved, outputTypes: types });
  expect(outputs.map((o) => ({ dtype: o.dtype, shape: o.shape }))).toEqual(types.map((t) => ({ dtype: t.dtype, shape: [...t.shape] })));
  expect(outputs.length).toBe(outputCount(op, resolved));
  for (const o of outputs) expect(o.data.length).toBe(numel(o.shape));
  return outputs;
}

/** Infers op `name`'s output types from input types alone. */
export function inferOp(name: string, inputs: readonly ({ dtype: DType; shape: readonly (number | string)[] } | undefined)[], attrs: Attrs = {}) {
  const op = getOp(name);
  return inferTypes(op, inputs, resolveAttrs(op, attrs));
}

/** A tensor of values in [-1, 1) drawn from `seed` (mulberry32): cheap random data inside properties. */
export function randomArray(shape: readonly number[], seed: number, dtype: DType = 'float32'): NDArray {
  let s = seed >>> 0;
  const values = Array.from({ length: numel(shape) }, () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (((t ^ (t >>> 14)) >>> 0) / 2 ** 32) * 2 - 1;
  });
  return ndarray(dtype, shape, values);
}

export function array(shape: readonly number[], values: ArrayLike<number>, dtype: DType = 'float32'): NDArray {
  return ndarray(dtype, shape, values);
}

/** Elementwise |actual - expected| <= tol, reporting the first index that differs. */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-5): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) {
    if (!(Math.abs(actual[i]! - expected[i]!) <= tol)) {
      expect.fail(`element ${i}: got ${actual[i]}, expected ${expected[i]} (tol ${tol})`);
    }
  }
}
