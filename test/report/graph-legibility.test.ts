/**
 * The report's layer graphs stay readable on a transformer of about 200 layers: opened in headless
 * Chromium at its default view (no zoom), every node label is drawn at 8 screen pixels or more.
 * (Scaled to the page width, a graph that tall or wide shrank its labels to a pixel or two.)
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { roofline } from '../../src/cost/roofline.js';
import { optimizeSync } from '../../src/optimize.js';
import { renderHtmlReport } from '../../src/report/html.js';
import { buildExportedLlama } from '../../src/zoo/llama-exported.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.log(`skipped "graph labels are legible": no ${CHROMIUM} (apt-get install -y chromium)`);

/** The smallest label font size in screen pixels, per graph: font-size in SVG units times the SVG's scale on screen. */
const SMALLEST_LABEL_PX = `(() => Object.fromEntries(['before', 'after'].map((id) => {
  const sizes = [...document.querySelectorAll('#' + id + ' svg g.node text')].map((t) => t.getScreenCTM().a * parseFloat(t.getAttribute('font-size')));
  return [id, { labels: sizes.length, smallest: Math.min(...sizes) }];
})))()`;

describe('HTML report graphs', () => {
  it.skipIf(!hasChromium)(
    'labels are at least 8 px on screen for a ~200-layer transformer',
    async () => {
      const before = buildExportedLlama({ layers: 4, hidden: 32, heads: 4, kvHeads: 2, intermediate: 64, batch: 1, seq: 8, withData: false });
      const drawn = before.layers.filter((l) => l.op !== 'Constant').length;
      expect(drawn).toBeGreaterThanOrEqual(200);
      const { network: after, report } = optimizeSync(before, { verify: false, explanations: false });
      const html = await renderHtmlReport({ title: 'llama', before, after, report, model: roofline('h100-sxm') });
      const path = join(mkdtempSync(join(tmpdir(), 'netsat-legible-')), 'r.html');
      writeFileSync(path, html);
      const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
      try {
        const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
        await page.goto(pathToFileURL(path).href);
        const sizes = await page.evaluate<Record<string, { labels: number; smallest: number }>>(SMALLEST_LABEL_PX);
        expect(sizes['before']!.labels).toBeGreaterThanOrEqual(drawn);
        for (const g of Object.values(sizes)) expect(g.smallest).toBeGreaterThanOrEqual(8);
        // A new layer's short name stands for the layers it replaced: the hover says which.
        const hovers = await page.evaluate<string[]>(
          `[...document.querySelectorAll('#after svg g.node a')].map((a) => a.getAttribute('xlink:title') ?? a.getAttribute('title') ?? '')`,
        );
        expect(hovers.some((t) => t.includes('replaces: '))).toBe(true);
      } finally {
        await browser.close();
      }
    },
    60_000,
  );
});
