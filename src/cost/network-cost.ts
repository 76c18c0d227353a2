/** The predicted cost of a whole network under a cost model: the sum over its live layers. */
import type { Network } from '../network/network.js';
import type { CostModel } from './cost-model.js';

export function networkCost(network: Network, model: CostModel): number {
  let total = 0;
  for (const layer of network.layers) {
    total += model.nodeCost(layer.op, layer.attributes, layer.inputSlots.map((t) => t?.type), layer.outputs.map((t) => t.type));
  }
  return total;
}

/** Cost per op, for the report's breakdown. */
export function costByOp(network: Network, model: CostModel): Map<string, number> {
  const out = new Map<string, number>();
  for (const layer of network.layers) {
    const c = model.nodeCost(layer.op, layer.attributes, layer.inputSlots.map((t) => t?.type), layer.outputs.map((t) => t.type));
    out.set(layer.op, (out.get(layer.op) ?? 0) + c);
  }
  return out;
}
