/**
 * The speedup chart of `netsat bench`: a well-formed SVG with one bar or marked gap per cell, every
 * name present and escaped, the same bytes for the same input, typed errors for values that are not
 * speedups, and, opened in headless Chromium, no two text elements overlapping on a 30 x 5 matrix or
 * with long model names.
 */
import { existsSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChartBar, speedupChart } from '../../src/benchmark/chart.js';
import { NetsatError } from '../../src/errors.js';
import { EXAMPLE_PATH, exampleChart } from './chart-example.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.log(`skipped the speedup chart's Chromium tests: no ${CHROMIUM} (apt-get install -y chromium)`);

const STRATEGIES = ['rules only', 'tree greedy', 'DAG greedy', 'ILP', 'onnxruntime'];

/** A full matrix, values drawn from a seeded generator over 0.5x..4x, one failed cell in seven. */
function matrix(models: readonly string[], seed: number, strategies: readonly string[] = STRATEGIES): ChartBar[] {
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  return models.flatMap((group) =>
    strategies.map((series) => {
      if (next() < 1 / 7) return { group, series, value: undefined, note: 'failed: time limit' };
      const value = 0.5 + 3.5 * next();
      return { group, series, value, low: value * 0.95, high: value * 1.05 };
    }),
  );
}

const MODEL_STEMS = ['llama', 'bert', 'gpt2', 'squeezenet-fire', 'mobilenet-v3-small', 'whisper-encoder'];
const THIRTY_MODELS = Array.from({ length: 30 }, (_, i) => `${MODEL_STEMS[i % 6]}-${i}`);
const LONG_NAMES = [
  'a-very-long-model-name-exported-from-pytorch-with-every-option-spelled-out',
  'mistral-7b-instruct-v0.3-sliding-window-attention-gqa-8-kv-heads',
  'short',
  '模型-中文名称-llama-量化-int8',
  'phi-3-mini-4k-instruct-fused-qkv-and-gate-up-projections',
];

const countOf = (svg: string, cls: string) => svg.split(`class="${cls}"`).length - 1;

describe('speedupChart', () => {
  it('gives the same bytes for the same bars', () => {
    const bars = matrix(THIRTY_MODELS, 7);
    expect(speedupChart(bars, { title: 't' })).toBe(speedupChart(structuredClone(bars), { title: 't' }));
  });

  it('draws one bar or marked gap per model and strategy, a cell never given counting as a gap', () => {
    const bars = matrix(['llama', 'bert'], 3).filter((b) => !(b.group === 'bert' && b.series === 'ILP'));
    const svg = speedupChart(bars);
    expect(countOf(svg, 'bar') + countOf(svg, 'gap')).toBe(10);
    expect(svg).toContain('bert · ILP: not run');
  });

  it('escapes every name, in labels, legend and tooltips', () => {
    const svg = speedupChart([
      { group: `<m&'1">`, series: 's<&>', value: 1.5, note: 'unused' },
      { group: `<m&'1">`, series: 'b"q', value: undefined, note: 'fail <&>' },
    ]);
    expect(svg).toContain('&lt;m&amp;&#39;1&quot;&gt;');
    expect(svg).toContain('s&lt;&amp;&gt;');
    expect(svg).toContain('fail &lt;&amp;&gt;');
    expect(svg).not.toMatch(/<m&|s<&|fail </);
  });

  it('names the scale on the axis: linear within 10x of 1.0, log beyond', () => {
    const linear = speedupChart([{ group: 'm', series: 's', value: 3 }], { valueLabel: 'predicted speedup (x)' });
    const log = speedupChart([{ group: 'm', series: 's', value: 40 }]);
    expect(linear).toContain('>predicted speedup (x)</text>');
    expect(linear).toContain('>linear scale</text>');
    expect(log).toContain('>log scale</text>');
    expect(log).toContain('>1x = no change</text>');
  });

  it.each([Number.NaN, -1, 0, Number.POSITIVE_INFINITY])('refuses a value of %s with where and hint', (value) => {
    const error = catchError(() => speedupChart([{ group: 'bert', series: 'ILP', value }]));
    expect(error).toBeInstanceOf(NetsatError);
    expect(error.where).toBe("model 'bert', strategy 'ILP'");
    expect(error.hint).toContain('note');
  });

  it('refuses a spread whose low is above its high, and two bars for one cell', () => {
    expect(() => speedupChart([{ group: 'm', series: 's', value: 2, low: 3, high: 1 }])).toThrow(NetsatError);
    expect(() =>
      speedupChart([
        { group: 'm', series: 's', value: 2 },
        { group: 'm', series: 's', value: 3 },
      ]),
    ).toThrow(/two bars for one cell/);
  });

  it('draws the example in docs/ from its generator (npx tsx test/benchmark/chart-example.ts)', () => {
    expect(readFileSync(EXAMPLE_PATH, 'utf8')).toBe(exampleChart());
  });

  it('property: any bars give one bar or gap per cell and only finite numbers in attributes', () => {
    fc.assert(
      fc.property(anyBars, ({ bars, cells }) => {
        const svg = speedupChart(bars);
        expect(countOf(svg, 'bar') + countOf(svg, 'gap')).toBe(cells);
        for (const [, value] of svg.matchAll(/="([^"]*)"/g)) expect(value).not.toMatch(/NaN|Infinity|undefined/);
      }),
      { seed: 20261203, numRuns: 200 },
    );
  });
});

describe.skipIf(!hasChromium)('speedupChart in headless Chromium', () => {
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
    page = await browser.newPage();
  });
  afterAll(async () => browser?.close());

  it('opens as an SVG document whose labels are the names, escapes undone', async () => {
    const groups = ['llama', `a<b>&"c'`, 'gpt2'];
    const series = ['tree', `x & <y>`, 'ILP'];
    const bars = groups.flatMap((group) => series.map((s, i) => ({ group, series: s, value: 1 + i / 2 })));
    const drawn = await parseInChromium(page, speedupChart(bars));
    expect(drawn.error).toBe('');
    expect(drawn.root).toBe('svg');
    expect(drawn.groupLabels).toEqual(groups);
    expect(drawn.groupTitles).toEqual(groups);
    expect(drawn.legend).toEqual(series);
    expect(drawn.cells).toBe(9);
  });

  it.each([
    ['30 models x 5 strategies', THIRTY_MODELS, STRATEGIES],
    ['long model names', LONG_NAMES, STRATEGIES],
    ['10 strategies on two devices, hatched past the palette', THIRTY_MODELS.slice(0, 8), STRATEGIES.flatMap((s) => [`${s} @ h100-sxm`, `${s} @ a100-sxm`])],
  ])('no two text elements overlap: %s', async (_, models, strategies) => {
    const svg = speedupChart(matrix(models, 11, strategies), { title: 'netsat bench: measured speedup', valueLabel: 'measured speedup (x), median and middle half' });
    await page.setContent(svg);
    const { texts, width, height } = await page.evaluate<{ texts: Quad[]; width: number; height: number }>(TEXT_QUADS);
    expect(texts.length).toBeGreaterThan(models.length + strategies.length);
    for (const quad of texts) for (const [x, y] of quad) expect(x >= 0 && x <= width && y >= 0 && y <= height).toBe(true);
    const overlapping = texts.flatMap((a, i) => texts.slice(i + 1).flatMap((b, j) => (overlap(a, b) ? [[i, i + 1 + j]] : [])));
    expect(overlapping).toEqual([]);
  });

  it('property: any bars give a well-formed SVG with one bar or gap per cell', async () => {
    await fc.assert(
      fc.asyncProperty(anyBars, async ({ bars, cells }) => {
        const drawn = await parseInChromium(page, speedupChart(bars, { title: 'random' }));
        expect(drawn.error).toBe('');
        expect(drawn.cells).toBe(cells);
      }),
      { seed: 20261203, numRuns: 100 },
    );
  });
});

/** Bars over random names (any code points, XML specials included), values, spreads, gaps and cells left out. */
const anyBars = fc
  .tuple(
    fc.uniqueArray(fc.oneof(fc.string(), fc.string({ unit: 'binary', maxLength: 30 })), { minLength: 1, maxLength: 6 }),
    fc.uniqueArray(fc.oneof(fc.string(), fc.string({ unit: 'binary', maxLength: 30 })), { minLength: 1, maxLength: 5 }),
  )
  .chain(([groups, series]) => {
    const speedup = fc.double({ min: Number.MIN_VALUE, max: Number.MAX_VALUE, noNaN: true });
    const cell = fc.oneof(
      fc.constant(undefined),
      fc.record({ value: fc.constant(undefined), note: fc.string() }),
      fc.record({ value: speedup }),
      fc
        .tuple(speedup, speedup, speedup)
        .map((xs) => xs.sort((a, b) => a - b))
        .map(([low, value, high]) => ({ value, low, high })),
    );
    return fc.array(cell, { minLength: groups.length * series.length, maxLength: groups.length * series.length }).map((drawn) => {
      const bars: ChartBar[] = groups.flatMap((group, g) =>
        series.flatMap((s, i) => {
          const c = drawn[g * series.length + i];
          return c === undefined ? [] : [{ group, series: s, ...c }];
        }),
      );
      return { bars, cells: new Set(bars.map((b) => b.group)).size * new Set(bars.map((b) => b.series)).size };
    });
  });

type Quad = [number, number][];

/** Each text element's box, turned with it (rotated labels), as four corners in page pixels; and the SVG's size. */
const TEXT_QUADS = `(() => {
  const svg = document.querySelector('svg');
  const texts = [...svg.querySelectorAll('text')].filter((t) => t.textContent.trim() !== '').map((t) => {
    const b = t.getBBox();
    const m = t.getCTM();
    return [[b.x, b.y], [b.x + b.width, b.y], [b.x + b.width, b.y + b.height], [b.x, b.y + b.height]].map(([x, y]) => [m.a * x + m.c * y + m.e, m.b * x + m.d * y + m.f]);
  });
  return { texts, width: svg.width.baseVal.value, height: svg.height.baseVal.value };
})()`;

/** Whether two convex quads overlap by more than half a pixel (separating axis test over both quads' edges). */
function overlap(a: Quad, b: Quad): boolean {
  for (const quad of [a, b]) {
    for (let i = 0; i < 4; i++) {
      const [x1, y1] = quad[i]!;
      const [x2, y2] = quad[(i + 1) % 4]!;
      const length = Math.hypot(x2 - x1, y2 - y1) || 1;
      const axis = [(y1 - y2) / length, (x2 - x1) / length] as const;
      const project = (q: Quad) => q.map(([x, y]) => x * axis[0] + y * axis[1]);
      const pa = project(a);
      const pb = project(b);
      if (Math.min(Math.max(...pa), Math.max(...pb)) - Math.max(Math.min(...pa), Math.min(...pb)) <= 0.5) return false;
    }
  }
  return true;
}

interface Parsed {
  error: string;
  root: string;
  groupLabels: string[];
  groupTitles: string[];
  legend: string[];
  cells: number;
}

/** The SVG as Chromium's strict XML parser reads it: its parse error if any, labels as text, and the count of cells. */
function parseInChromium(page: Page, svg: string): Promise<Parsed> {
  return page.evaluate<Parsed>(`((source) => {
    const doc = new DOMParser().parseFromString(source, 'image/svg+xml');
    const error = doc.querySelector('parsererror');
    const texts = (selector) => [...doc.querySelectorAll(selector)].map((e) => e.textContent);
    const ownText = (e) => [...e.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent).join('');
    return {
      error: error === null ? '' : error.textContent || 'parse error',
      root: doc.documentElement.localName,
      groupLabels: [...doc.querySelectorAll('text.group-label')].map(ownText),
      groupTitles: texts('text.group-label > title'),
      legend: texts('g.legend-item > text'),
      cells: doc.querySelectorAll('g.bar, g.gap').length,
    };
  })(${JSON.stringify(svg)})`);
}

function catchError(f: () => unknown): NetsatError {
  try {
    f();
  } catch (error) {
    return error as NetsatError;
  }
  throw new Error('expected an error');
}
