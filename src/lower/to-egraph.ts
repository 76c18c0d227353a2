/**
 * Network → tensor e-graph. Each live layer becomes one e-node per output, each tensor an e-class.
 * The maps returned let lowering (from-selection) recognize the original layers among the
 * selected nodes and keep them as they are.
 */
import { EGraph } from '../egraph/egraph.js';
import type { EGraphOptions } from '../egraph/egraph.js';
import type { Layer } from '../network/layer.js';
import type { Network } from '../network/network.js';
import type { Tensor } from '../network/tensor.js';
import { TensorAnalysis } from '../tensor/analysis.js';
import type { TensorData } from '../tensor/analysis.js';
import { TensorLanguage } from '../tensor/language.js';
import { isDeterministicOpaque } from '../ops/defs/opaque.js';
import type { TensorEGraph } from '../tensor/tensor-egraph.js';

export interface NetworkEGraph extends TensorEGraph {
  analysis: TensorAnalysis;
  /** The e-node of each output of each original layer: `nodeOf.get(layer)[k]` for output k. */
  nodeOf: Map<Layer, number[]>;
  /** The layer and output index behind an original e-node id (the first, for identical layers). */
  layerOfNode: Map<number, { layer: Layer; output: number }>;
  /** The classes of the network outputs, in order. */
  roots: number[];
}

/**
 * Builds the e-graph of `network`'s live layers. Random opaque ops (RandomNormalLike, ...) become
 * unique Opaque nodes, so two of them are never merged.
 */
export function networkToEGraph(network: Network, options: Pick<EGraphOptions<TensorData>, 'explanations'> = {}): NetworkEGraph {
  const language = new TensorLanguage();
  const analysis = new TensorAnalysis(language);
  const egraph = new EGraph<TensorData>(language, { analysis, ...options });
  const classOf = new Map<Tensor, number>();
  const nodeOf = new Map<Layer, number[]>();
  const layerOfNode = new Map<number, { layer: Layer; output: number }>();
  const absent = egraph.add(language.absentOp);
  for (const t of network.inputs) classOf.set(t, egraph.add(language.inputOp, language.addInput(t.name, t.type)));
  for (const layer of network.layers) {
    const nodes: number[] = [];
    if (layer.op === 'Constant') {
      const out = layer.outputs[0]!;
      const id = language.internConstant({ type: out.type, value: layer.constantData, source: out.name });
      nodes.push(egraph.add(language.constOp, id));
    } else {
      // A random op is equal to nothing, not even its twin on the same inputs: a unique opaque node.
      const random = layer.op === 'Opaque' && !isDeterministicOpaque(layer.attributes);
      const op = random ? undefined : language.opId(layer.op);
      const def = layer.opDef;
      const children: number[] = [];
      if (op !== undefined && language.hasAttrsChild(def)) children.push(egraph.add(language.attrsOp, language.internAttrs(layer.attributes)));
      for (const t of layer.inputSlots) children.push(t ? classOf.get(t)! : absent);
      layer.outputs.forEach((out, k) => {
        if (op === undefined) nodes.push(egraph.add(language.opaqueOp, language.addOpaque({ layer: layer.name, output: k, type: out.type }), children));
        else nodes.push(egraph.add(op, k, children));
      });
    }
    nodes.forEach((node, k) => {
      const cls = egraph.find(node);
      classOf.set(layer.outputs[k]!, cls);
      // A layer identical to an earlier one hash-conses to its node; the first layer keeps it.
      if (!layerOfNode.has(node)) layerOfNode.set(node, { layer, output: k });
    });
    nodeOf.set(layer, nodes);
  }
  egraph.rebuild();
  const roots = network.outputs.map((t) => egraph.find(classOf.get(t)!));
  return { egraph, language, analysis, classOf, nodeOf, layerOfNode, roots };
}
