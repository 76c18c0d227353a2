/**
 * Writes a saturated tensor e-graph in extraction-gym's serialized JSON (egraph-serialize), so
 * other extractors can be benchmarked on netsat's e-graphs; io/extraction-gym.ts reads it back.
 * Node ids are "n<id>", class ids the canonical class numbers; a child names one node of its class
 * (the format takes it for the whole class); costs are the cost model's node costs.
 */
import type { NodeCostFunction } from '../extract/from-egraph.js';
import type { NetworkEGraph } from '../lower/to-egraph.js';

interface SerializedNode {
  op: string;
  children: string[];
  eclass: string;
  cost: number;
}

export function toExtractionGymJSON(ng: NetworkEGraph, nodeCost: NodeCostFunction): string {
  const g = ng.egraph;
  const nodes: Record<string, SerializedNode> = {};
  const classType: Record<string, { type: string }> = {};
  for (const c of g.classIds()) {
    classType[String(c)] = { type: 'Tensor' };
    for (const n of g.classNodes(c)) {
      const kids = Array.from(g.nodeChildren(n), (k) => g.find(k));
      nodes[`n${n}`] = {
        op: ng.language.format(g.nodeOp(n), g.nodePayload(n)),
        children: kids.map((k) => `n${g.classNodes(k)[0]}`),
        eclass: String(c),
        cost: nodeCost(g.nodeOp(n), g.nodePayload(n), Int32Array.from(kids)),
      };
    }
  }
  const roots = [...new Set(ng.roots.map((r) => String(g.find(r))))];
  return `${JSON.stringify({ nodes, root_eclasses: roots, class_data: classType })}\n`;
}
