import { describe, expect, it } from 'vitest';
import { ShapeError } from '../../src/errors.js';
import { getOp, inferTypes, resolveAttrs } from '../../src/ops/registry.js';

const split = (dim: number, numOutputs: number) =>
  inferTypes(getOp('Split'), [{ dtype: 'float32', shape: [dim] }], resolveAttrs(getOp('Split'), { numOutputs })).map((t) => t.shape[0]);

describe('Split into numOutputs parts', () => {
  it('makes parts of ceil(dim / n) with a smaller last one, as ONNX does', () => {
    expect(split(6, 3)).toEqual([2, 2, 2]);
    expect(split(7, 3)).toEqual([3, 3, 1]);
  });

  it('refuses more parts than elements, as onnxruntime does', () => {
    expect(() => split(2, 3)).toThrow(ShapeError);
    expect(() => split(5, 4)).toThrow(ShapeError);
  });
});
