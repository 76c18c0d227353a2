/**
 * checkedType, the reader's check of every type an op's rule computes: it passes exactly the shapes
 * whose dims are symbols or sizes (safe integers ≥ 0, at most 2^40 elements in all), whatever else
 * a rule fed a corrupt node gives (NaN, undefined past a short shape, negatives, fractions).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkedType, MAX_ELEMENTS } from '../../src/io/onnx/dims.js';
import { OnnxImportError } from '../../src/io/onnx/errors.js';
import type { Dim } from '../../src/ops/types.js';

const goodDim = fc.oneof(fc.nat({ max: 64 }), fc.constantFrom('batch', 'seq', '2*n'));
const badDim = fc.constantFrom(Number.NaN, undefined, null, -1, 0.5, Number.POSITIVE_INFINITY) as fc.Arbitrary<Dim>;

const check = (shape: Dim[]) => () => checkedType({ dtype: 'float32', shape }, 'y');

describe('checkedType', () => {
  it('passes shapes of symbols and sizes', () => {
    fc.assert(
      fc.property(fc.array(goodDim, { maxLength: 5 }), (shape) => {
        expect(checkedType({ dtype: 'float32', shape }, 'y').shape).toEqual(shape);
      }),
      { seed: 20261203 },
    );
  });

  it('refuses a shape with any dim that is not a size, naming where', () => {
    const shapes = fc.tuple(fc.array(goodDim, { maxLength: 3 }), badDim, fc.array(goodDim, { maxLength: 3 })).map(([a, bad, b]) => [...a, bad, ...b]);
    fc.assert(
      fc.property(shapes, (shape) => {
        expect(check(shape)).toThrow(OnnxImportError);
        expect(check(shape)).toThrow(/dimension|negative/);
      }),
      { seed: 20261203 },
    );
  });

  it('refuses more elements than MAX_ELEMENTS', () => {
    expect(check([MAX_ELEMENTS, 2])).toThrow(/more than 2\^40 elements/);
  });
});
