import { describe, expect, it } from 'vitest';
import { optimizeSync } from '../../src/optimize.js';
import { buildExportedLlama, EXPORTED_LLAMA_EXAMPLE } from '../../src/zoo/llama-exported.js';

describe('provenance of new layers', () => {
  it('each displaced layer is credited to one new layer, and multi-output ops to all they replace', () => {
    const network = buildExportedLlama(EXPORTED_LLAMA_EXAMPLE);
    const opOf = new Map(network.layers.map((l) => [l.name, l.op]));
    const { report } = optimizeSync(network, { verify: false, explanations: false });
    const credited = report.newLayers.flatMap((p) => p.replaced);
    expect(new Set(credited).size).toBe(credited.length);
    for (const p of report.newLayers) {
      const ops = new Set(p.replaced.map((n) => opOf.get(n)));
      if (p.op === 'SkipRMSNorm') {
        // Output 1 is the residual sum, output 0 the norm: both the Add and the decomposed norm.
        expect(ops.has('Add') && ops.has('Pow') && ops.has('ReduceMean')).toBe(true);
      }
      if (p.op === 'GptAttention') {
        // The norm before the projections is the RMSNorm layer's doing, not the attention's.
        expect(ops.has('Pow')).toBe(false);
        expect(ops.has('Softmax')).toBe(true);
      }
    }
  });

  it('names each new layer by its op and a counter, unique in the network; what it replaced stays in its provenance', () => {
    const network = buildExportedLlama(EXPORTED_LLAMA_EXAMPLE);
    const { network: optimized, report } = optimizeSync(network, { verify: false, explanations: false });
    for (const p of report.newLayers) expect(p.layer).toMatch(new RegExp(`^${p.op}_\\d+$`));
    const names = optimized.layers.map((l) => l.name);
    expect(new Set(names).size).toBe(names.length);
    const norm = report.newLayers.find((p) => p.op === 'SkipRMSNorm')!;
    expect(norm.replaced.length).toBeGreaterThan(3);
  });
});
