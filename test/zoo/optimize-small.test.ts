/**
 * Every zoo network goes through the optimizer without error: the small seeded copy of each
 * TENSAT model, each LLM block at one layer and each example, under a small saturation limit.
 */
import { describe, expect, it } from 'vitest';
import { optimizeSync } from '../../src/optimize.js';
import { ZOO_ENTRIES } from '../../src/zoo/catalog.js';

const SMALL = ZOO_ENTRIES.filter((e) => e.layers === undefined || e.layers === 1);
const LIMITS = { iterations: 2, nodes: 5_000, timeMs: 500 };

describe('the zoo under the optimizer', () => {
  it.each(SMALL.map((e) => [e.name, e] as const))('%s optimizes to a valid network no costlier than it was', (_, entry) => {
    const network = entry.buildWithWeights!();
    const { network: optimized, report } = optimizeSync(network, { limits: LIMITS, verify: false, explanations: false });
    optimized.validate();
    expect(optimized.outputs.map((o) => o.shape)).toEqual(network.outputs.map((o) => o.shape));
    expect(report.cost.after).toBeLessThanOrEqual(report.cost.before * (1 + 1e-9));
  });
});
