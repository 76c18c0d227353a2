/** The speedup chart's value axis and text helpers: the scale chosen from the data, ticks at round numbers, names made safe for XML. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chooseScale } from '../../src/benchmark/chart-scale.js';
import { escapeXml, shorten, textWidth } from '../../src/benchmark/chart-text.js';

const labels = (values: number[]) => chooseScale(values).ticks.map((t) => t.label);

describe('chooseScale', () => {
  it('is linear within 10x of 1.0, with round ticks spanning the data', () => {
    const scale = chooseScale([0.94, 2.44]);
    expect(scale.kind).toBe('linear');
    expect(labels([0.94, 2.44])).toEqual(['0.5x', '1x', '1.5x', '2x', '2.5x']);
  });

  it('is logarithmic past 10x, 1-2-5 ticks over a few decades and powers of ten over many', () => {
    expect(chooseScale([3, 25]).kind).toBe('log');
    expect(labels([3, 25])).toEqual(['1x', '2x', '5x', '10x', '20x', '50x']);
    expect(labels([0.05, 45])).toEqual(['0.01x', '0.1x', '1x', '10x', '100x']);
    expect(labels([1e-300, 1e300]).length).toBeLessThanOrEqual(2 * 5 + 1);
  });

  it('always holds 1.0, even when every value lies above or below it', () => {
    for (const values of [[], [1.3, 1.6], [0.2, 0.4], [50]]) {
      const f = chooseScale(values).fraction(1);
      expect(f).toBeGreaterThanOrEqual(0);
      expect(f).toBeLessThanOrEqual(1);
    }
  });

  it('property: ticks run from 0 to 1 in order and every value lies between them, even near the float limits', () => {
    const speedup = fc.double({ min: Number.MIN_VALUE, max: Number.MAX_VALUE, noNaN: true });
    fc.assert(
      fc.property(fc.array(speedup, { maxLength: 8 }), (values) => {
        const scale = chooseScale(values);
        const span = Math.max(1, ...values) / Math.min(1, ...values);
        expect(scale.kind).toBe(span > 10 ? 'log' : 'linear');
        const fractions = scale.ticks.map((t) => t.fraction);
        expect(fractions[0]).toBe(0);
        expect(fractions.at(-1)).toBeCloseTo(1, 9);
        for (let i = 1; i < fractions.length; i++) expect(fractions[i]!).toBeGreaterThan(fractions[i - 1]!);
        for (const v of [1, ...values]) {
          const f = scale.fraction(v);
          expect(f).toBeGreaterThanOrEqual(-1e-9);
          expect(f).toBeLessThanOrEqual(1 + 1e-9);
        }
        for (const t of scale.ticks) expect(t.label).not.toMatch(/NaN|Infinity/);
      }),
      { seed: 20261203, numRuns: 500 },
    );
  });
});

describe('chart text', () => {
  it('escapes XML specials and replaces characters XML cannot carry', () => {
    expect(escapeXml(`a<b>&"c'`)).toBe('a&lt;b&gt;&amp;&quot;c&#39;');
    expect(escapeXml('x\u0000y\uD800z\uFFFF')).toBe('x\uFFFDy\uFFFDz\uFFFD');
    expect(escapeXml('\u{1F600} tab\there')).toBe('\u{1F600} tab\there');
  });

  it('counts wide scripts wider than Latin, and shortens by characters with an ellipsis', () => {
    expect(textWidth('中文', 10)).toBeGreaterThan(textWidth('ab', 10));
    expect(textWidth('abcd', 10)).toBe(Math.ceil(4 * 0.62 * 10));
    expect(shorten('abcdef', 4)).toBe('abc…');
    expect(shorten('abcd', 4)).toBe('abcd');
    expect([...shorten('😀😀😀😀😀', 3)]).toHaveLength(3);
  });
});
