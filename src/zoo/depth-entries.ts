/**
 * An LLM block at the depths the benchmark compares (1, 4 and 32 blocks): one zoo entry per depth,
 * named `<base>-x<depth>`, full width shape-only and small width with seeded weights.
 */
import type { Network } from '../network/network.js';
import type { ZooEntry } from './entry.js';

export const DEPTHS = [1, 4, 32] as const;

/** Builds `layers` blocks at full width (shape-only) or small width with seeded weights. */
export type DepthBuilder = (layers: number, width: 'full' | 'small') => Network;

export function depthEntries(base: string, source: string, build: DepthBuilder): ZooEntry[] {
  return DEPTHS.map((layers) => ({
    name: `${base}-x${layers}`,
    group: 'llm',
    source,
    layers,
    build: () => build(layers, 'full'),
    buildWithWeights: () => build(layers, 'small'),
  }));
}
