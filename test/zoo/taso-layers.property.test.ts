/**
 * TASO's padding modes on netsat's explicit pads: SAME keeps ceil(size / stride) for any kernel,
 * VALID gives floor((size − kernel) / stride) + 1, for convs and pools alike.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Network } from '../../src/network/network.js';
import { tasoLayers } from '../../src/zoo/taso-layers.js';
import type { Padding } from '../../src/zoo/taso-layers.js';

const geometry = fc.record({
  height: fc.integer({ min: 1, max: 40 }),
  width: fc.integer({ min: 1, max: 40 }),
  kernelH: fc.constantFrom(1, 3, 5, 7),
  kernelW: fc.constantFrom(1, 3, 5, 7),
  stride: fc.integer({ min: 1, max: 3 }),
  padding: fc.constantFrom<Padding>('same', 'valid'),
});

const expected = (size: number, kernel: number, stride: number, padding: Padding) => (padding === 'same' ? Math.ceil(size / stride) : Math.floor((size - kernel) / stride) + 1);

describe('TASO padding', () => {
  it('a conv’s output size follows SAME or VALID', () => {
    const prop = fc.property(
      geometry.filter((g) => g.padding === 'same' || (g.height >= g.kernelH && g.width >= g.kernelW)),
      ({ height, width, kernelH, kernelW, stride, padding }) => {
        const network = new Network('conv');
        const L = tasoLayers(network, { divisor: 1 });
        const y = L.conv(network.addInput('x', 'float32', [1, 2, height, width]), { out: 4, kernel: [kernelH, kernelW], stride, padding });
        expect(y.shape).toEqual([1, 4, expected(height, kernelH, stride, padding), expected(width, kernelW, stride, padding)]);
      },
    );
    fc.assert(prop, { seed: 20261203, numRuns: 200 });
  });

  it('a pool’s output size follows SAME or VALID', () => {
    const prop = fc.property(
      geometry.filter((g) => g.padding === 'same' || (g.height >= g.kernelH && g.width >= g.kernelH)),
      ({ height, width, kernelH, stride, padding }) => {
        const network = new Network('pool');
        const L = tasoLayers(network, { divisor: 1 });
        const x = network.addInput('x', 'float32', [1, 2, height, width]);
        for (const y of [L.maxPool(x, kernelH, stride, padding), L.avgPool(x, kernelH, stride, padding)]) {
          expect(y.shape).toEqual([1, 2, expected(height, kernelH, stride, padding), expected(width, kernelH, stride, padding)]);
        }
      },
    );
    fc.assert(prop, { seed: 20261203, numRuns: 200 });
  });

  it('a channel count the divisor does not divide is a NetsatError naming the network', () => {
    const network = new Network('odd');
    const L = tasoLayers(network, { divisor: 8 });
    expect(() => L.width(100)).toThrow(/100 channels do not divide by the zoo's width divisor 8 \(at odd\)/);
  });
});
