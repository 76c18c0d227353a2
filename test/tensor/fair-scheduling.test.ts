import { describe, expect, it } from 'vitest';
import { optimizeSync } from '../../src/optimize.js';
import type { Network } from '../../src/network/network.js';
import { buildBertBlock } from '../../src/zoo/bert.js';
import { buildExportedLlama } from '../../src/zoo/llama-exported.js';

// Shape-only blocks of four architectures as exported; the dims do not change the e-graph's size.
const llama = { hidden: 64, heads: 4, kvHeads: 2, intermediate: 128, batch: 1, seq: 8 };
const ARCHITECTURES: Record<string, (layers: number) => Network> = {
  llama: (layers) => buildExportedLlama({ ...llama, layers }),
  qwen2: (layers) => buildExportedLlama({ ...llama, layers, qkvBias: true }),
  phi3: (layers) => buildExportedLlama({ ...llama, kvHeads: 4, layers, fusedProjections: true }),
  bert: (layers) => buildBertBlock({ hidden: 64, heads: 4, intermediate: 128, batch: 1, seq: 8, layers }),
};

/** Per block: e-nodes saturation added, and layers after optimization. */
function perBlock(build: (layers: number) => Network, blocks: number): { added: number; layers: number } {
  const { report } = optimizeSync(build(blocks), { verify: false, explanations: false });
  return { added: (report.runner.final.enodes - report.runner.initial.enodes) / blocks, layers: report.layers.after / blocks };
}

describe('fair scheduling', () => {
  for (const [name, build] of Object.entries(ARCHITECTURES)) {
    it(`explores a block of an 8-block ${name} as deeply as a lone block: the same fusions, e-nodes added within 10 %`, () => {
      const one = perBlock(build, 1);
      const eight = perBlock(build, 8);
      expect(eight.added).toBeGreaterThan(0.9 * one.added);
      expect(eight.added).toBeLessThan(1.1 * one.added);
      // The network's last RMSNorm/LayerNorm has no next block to fuse a residual into: up to one layer fewer per block.
      expect(Math.abs(eight.layers - one.layers)).toBeLessThanOrEqual(1);
    });
  }
});
