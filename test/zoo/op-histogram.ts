/** A zoo network's layers by op, Constants left out: what a model's description counts. */
import type { Network } from '../../src/network/network.js';
import { opCounts } from '../../src/report/op-table.js';

export function opHistogram(network: Network): Record<string, number> {
  const counts = Object.fromEntries(opCounts(network));
  delete counts.Constant;
  return counts;
}

/** How many live layers of `op` carry attribute `name` equal to `value`. */
export function countWithAttr(network: Network, op: string, name: string, test: (value: unknown) => boolean): number {
  return network.layers.filter((l) => l.op === op && test(l.attributes[name])).length;
}
