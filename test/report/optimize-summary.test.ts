/** The summary says how far the extraction can be trusted: optimal, a time limit with its gap, or a heuristic. */
import { describe, expect, it } from 'vitest';
import { optimize } from '../../src/optimize.js';
import { formatOptimizeSummary, optimizeSummary } from '../../src/report/optimize-summary.js';
import { ZOO } from '../../src/zoo/catalog.js';

const context = { input: 'gpt2.json', output: null, network: 'gpt2', device: 'h100-sxm' };

describe("the summary's extractor status", () => {
  it('dag is a heuristic, ilp optimal when proven, a time limit with its gap otherwise', async () => {
    for (const [extractor, text] of [
      ['dag', 'extractor dag (heuristic)'],
      ['ilp', 'extractor ilp (optimal)'],
    ] as const) {
      const before = ZOO['gpt2']!();
      const { network, report } = await optimize(before, { verify: false, extractor, explanations: false });
      const summary = optimizeSummary(report, context);
      expect(formatOptimizeSummary(summary, before, network)).toContain(text);
      expect(summary.extraction.status).toBe(extractor === 'dag' ? 'heuristic' : 'optimal');
      const stopped = { ...summary, extraction: { ...summary.extraction, status: 'time-limit' as const, gap: 0.0123 } };
      expect(formatOptimizeSummary(stopped, before, network)).toContain(`extractor ${extractor} (time limit, within 1.23 % of optimal)`);
    }
  });
});
