/**
 * What the zoo knows of one network: its name, the paper or config it follows, and how to build
 * it at full size (shapes only where weights are not needed) or small with seeded weights.
 */
import type { Network } from '../network/network.js';

export interface ZooEntry {
  /** Kebab-case and unique: 'resnext-50', 'llama-3-8b-x4'. */
  name: string;
  group: 'tensat' | 'llm' | 'example';
  /** The paper or config the network follows, one line. */
  source: string;
  /** Blocks, for the LLM entries built at 1, 4 and 32. */
  layers?: number;
  /** Shapes only where weights are not needed. */
  build(): Network;
  /** Builds it with small seeded weights, so a runtime can measure it; absent where the entry cannot carry weights. */
  buildWithWeights?(): Network;
}

/** An entry built from one builder at two sizes: `full` shape-only, `small` with seeded weights. */
export function twoSizeEntry<C extends object>(
  fields: Omit<ZooEntry, 'build' | 'buildWithWeights'>,
  build: (config: C & { withData?: boolean }) => Network,
  full: C,
  small: C,
): ZooEntry {
  return { ...fields, build: () => build(full), buildWithWeights: () => build({ ...small, withData: true }) };
}
