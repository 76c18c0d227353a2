/**
 * The predicted cost of a whole network under a cost model: the sum over its live layers. Layers
 * computed from constants alone are folded before run time (as TensorRT and onnxruntime do) and
 * cost nothing, which is also how extraction prices them.
 */
import type { Layer } from '../network/layer.js';
import type { Network } from '../network/network.js';
import type { CostModel } from './cost-model.js';

/** Each live layer that runs (is not folded) with its cost, in topological order. */
function layerCosts(network: Network, model: CostModel): [Layer, number][] {
  const folded = new Set<Layer>();
  const out: [Layer, number][] = [];
  for (const layer of network.layers) {
    const inputs = layer.inputSlots.filter((t) => t !== undefined);
    if (layer.op === 'Constant' || (inputs.length > 0 && inputs.every((t) => t.producer && folded.has(t.producer)))) {
      folded.add(layer);
      continue;
    }
    out.push([
      layer,
      model.nodeCost(
        layer.op,
        layer.attributes,
        layer.inputSlots.map((t) => t?.type),
        layer.outputs.map((t) => t.type),
      ),
    ]);
  }
  return out;
}

export function networkCost(network: Network, model: CostModel): number {
  return layerCosts(network, model).reduce((sum, [, c]) => sum + c, 0);
}

/** Cost per op, for the report's breakdown; `opOf` names a layer's op (the report shows the op an Opaque layer keeps). */
export function costByOp(network: Network, model: CostModel, opOf: (layer: Layer) => string = (l) => l.op): Map<string, number> {
  const out = new Map<string, number>();
  for (const [layer, c] of layerCosts(network, model)) out.set(opOf(layer), (out.get(opOf(layer)) ?? 0) + c);
  return out;
}
