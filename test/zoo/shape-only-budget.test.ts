/**
 * A full-size zoo network's shape-only weights take no memory, so they leave saturation its memory
 * budget: four Llama-3-8B blocks name 3.5 GB of weights, more than the default 1 GiB budget, and
 * still saturate.
 */
import { describe, expect, it } from 'vitest';
import { optimizeSync } from '../../src/optimize.js';
import { zooEntry } from '../../src/zoo/catalog.js';

describe('shape-only weights under the memory budget', () => {
  it('llama-3-8b-x4 saturates under the default budget, fusing every block', () => {
    const { network, report } = optimizeSync(zooEntry('llama-3-8b-x4').build(), { verify: false, explanations: false });
    expect(report.budget.stops).toEqual([]);
    expect(report.runner.stopReason).toBe('saturated');
    expect(network.layers.filter((l) => l.op === 'Softmax')).toHaveLength(0);
  });
});
