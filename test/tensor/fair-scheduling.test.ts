import { describe, expect, it } from 'vitest';
import { optimizeSync } from '../../src/optimize.js';
import { ARCHITECTURES, buildArchitecture } from '../../src/zoo/architectures.js';
import type { ArchitectureName } from '../../src/zoo/architectures.js';

/** Per block of `name` (small width: the dims do not change the e-graph): e-nodes saturation added, and layers after. */
function perBlock(name: ArchitectureName, blocks: number): { added: number; layers: number } {
  const { report } = optimizeSync(buildArchitecture(name, blocks, 'small'), { verify: false, explanations: false });
  return { added: (report.runner.final.enodes - report.runner.initial.enodes) / blocks, layers: report.layers.after / blocks };
}

describe('fair scheduling', () => {
  for (const name of ARCHITECTURES) {
    it(`explores a block of an 8-block ${name} as deeply as a lone block: the same fusions, e-nodes added within 10 %`, () => {
      const one = perBlock(name, 1);
      const eight = perBlock(name, 8);
      expect(eight.added).toBeGreaterThan(0.9 * one.added);
      expect(eight.added).toBeLessThan(1.1 * one.added);
      // The network's last RMSNorm/LayerNorm has no next block to fuse a residual into: up to one layer fewer per block.
      expect(Math.abs(eight.layers - one.layers)).toBeLessThanOrEqual(1);
    });
  }
});
