/**
 * Every dtype has storage, random data within what it holds, and an answer to "does the interpreter
 * compute on it": strings are carried, so a layer on strings is refused with a typed error and
 * verification goes to onnxruntime.
 */
import { describe, expect, it } from 'vitest';
import { InterpretError } from '../../src/errors.js';
import { interpret } from '../../src/interp/interpret.js';
import { randomArray } from '../../src/interp/random.js';
import { Network } from '../../src/network/network.js';
import { allocData, dataIsExact, exactKey } from '../../src/ops/ndarray.js';
import { isComputed, isFloating } from '../../src/ops/shape.js';
import { DTYPES } from '../../src/ops/types.js';
import { unrunnableLayer } from '../../src/verification.js';

/** [min, max] each integer type holds. */
const HOLDS: Record<string, [number, number]> = {
  int8: [-128, 127],
  int16: [-32768, 32767],
  uint8: [0, 255],
  uint16: [0, 65535],
  uint32: [0, 2 ** 32 - 1],
  uint64: [0, 2 ** 64],
};

describe('dtypes', () => {
  for (const dtype of DTYPES) {
    it(`${dtype}: random data in its storage, within what it holds`, () => {
      const a = randomArray(dtype, [64], 3, { intRange: [-1000, 1000], floatScale: 2 });
      expect(a.data.constructor).toBe(allocData(dtype, 0).constructor);
      if (dtype === 'string') {
        expect(a.exact).toHaveLength(64);
        return;
      }
      const [min, max] = HOLDS[dtype] ?? [-Infinity, Infinity];
      for (const v of a.data) {
        expect(v).toBeGreaterThanOrEqual(min);
        expect(v).toBeLessThanOrEqual(max);
        if (!isFloating(dtype)) expect(Number.isInteger(v)).toBe(true);
      }
      // The draws use the range: an unsigned type gets no negatives, but not only zeros either.
      expect(new Set(a.data).size).toBeGreaterThan(1);
    });
  }

  it('the interpreter refuses a layer on strings, and verification sends the network to onnxruntime', () => {
    expect(DTYPES.filter((d) => !isComputed(d))).toEqual(['string']);
    const n = new Network('strings');
    const x = n.addInput('x', 'string', [2]);
    const y = n.addLayer('Concat', [x, x], { axis: 0 }).outputs[0]!;
    n.markOutput(y);
    expect(unrunnableLayer(n)?.op).toBe('Concat');
    expect(() => interpret(n, { x: randomArray('string', [2], 0) })).toThrow(InterpretError);
  });

  it('data hold a value bit for bit unless it is a string, an integer beyond 2^53 or a NaN payload', () => {
    const big = { dtype: 'uint64' as const, shape: [1], data: Float64Array.of(2 ** 64), exact: new Uint8Array(8).fill(255) };
    expect(dataIsExact(big)).toBe(false);
    expect(exactKey(big)).toBe('ffffffffffffffff');
    const small = { dtype: 'int64' as const, shape: [1], data: Float64Array.of(5), exact: Uint8Array.of(5, 0, 0, 0, 0, 0, 0, 0) };
    expect(dataIsExact(small)).toBe(true);
    expect(exactKey(small)).toBe('');
  });
});
