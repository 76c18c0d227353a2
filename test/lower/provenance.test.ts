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
      if (p.replaced.length) expect(p.layer.startsWith(p.replaced.join(' + '))).toBe(true);
    }
  });
});
