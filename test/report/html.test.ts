/**
 * The HTML report opened in headless Chromium: the screenshot is not blank, and each graph has
 * one SVG node per drawn layer.
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
import { layerGraph } from '../../src/report/layer-graph.js';
import { buildExportedLlama } from '../../src/zoo/llama-exported.js';
import { ZOO } from '../../src/zoo/catalog.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.log(`skipped "renders in headless Chromium": no ${CHROMIUM} (apt-get install -y chromium)`);

describe('HTML report', () => {
  it.skipIf(!hasChromium)(
    'renders in headless Chromium with one SVG node per layer',
    async () => {
      const before = ZOO['gpt2']!();
      const { network: after, report } = optimizeSync(before, { verify: { seed: 1 } });
      const html = await renderHtmlReport({ title: 'gpt2', before, after, report, model: roofline('h100-sxm') });
      const path = join(mkdtempSync(join(tmpdir(), 'netsat-report-')), 'r.html');
      writeFileSync(path, html);
      const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
      try {
        const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
        await page.goto(pathToFileURL(path).href);
        const png = await page.screenshot({ fullPage: false });
        // Counts distinct colours among sampled pixels of the screenshot, decoded by the page (the test has no DOM types).
        const distinct = await page.evaluate<number>(`(async () => {
        const img = new Image();
        img.src = 'data:image/png;base64,${png.toString('base64')}';
        await img.decode();
        const c = document.createElement('canvas');
        c.width = img.width;
        c.height = img.height;
        const ctx = c.getContext('2d');
        ctx.drawImage(img, 0, 0);
        const data = ctx.getImageData(0, 0, c.width, c.height).data;
        const seen = new Set();
        for (let i = 0; i < data.length; i += 4 * 97) seen.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
        return seen.size;
      })()`);
        expect(distinct).toBeGreaterThan(2);
        const drawn = (n: typeof before) => n.layers.filter((l) => l.op !== 'Constant').length;
        expect(await page.locator('#before svg g.node').count()).toBe(drawn(before));
        expect(await page.locator('#after svg g.node').count()).toBe(drawn(after));
        expect(await page.locator('table').count()).toBeGreaterThanOrEqual(4);
      } finally {
        await browser.close();
      }
    },
    60_000,
  );

  it('collapses graphs over 300 layers by block, with a note', () => {
    const big = buildExportedLlama({ layers: 6, hidden: 32, heads: 4, kvHeads: 2, intermediate: 64, batch: 1, seq: 8 });
    const g = layerGraph(big, new Set(), '#fff');
    expect(g.collapsed).toBe(true);
    expect(g.nodes).toBe(7); // the stem and six blocks
    expect(g.note).toMatch(/collapsed into 7 blocks/);
  });
});
