/**
 * Builds an ExtractionProblem from the generic e-graph engine through its read-only extraction hooks
 * (classIds, classNodes, nodeOp, nodePayload, nodeChildren). The e-graph must be rebuilt, so
 * children are canonical class ids. Problem ids are dense; the maps lead back to e-graph ids.
 */
import type { EGraph } from '../egraph/egraph.js';
import { createProblem, type ExtractionProblem } from './problem.js';

/** The cost of one e-node from its op, payload and (canonical) child class ids. */
export type NodeCostFunction = (op: number, payload: number, childClassIds: Int32Array) => number;

export interface EGraphProblem {
  readonly problem: ExtractionProblem;
  /** The e-graph class id of each problem class. */
  readonly classIdOf: Int32Array;
  /** The e-graph node id of each problem node. */
  readonly nodeIdOf: Int32Array;
}

export function problemFromEGraph<D>(egraph: EGraph<D>, roots: readonly number[], cost: NodeCostFunction): EGraphProblem {
  // classIds() throws the engine's EGraphStateError when unions are not yet rebuilt.
  const classIdOf = Int32Array.from(egraph.classIds());
  const dense = new Map<number, number>();
  classIdOf.forEach((id, c) => dense.set(id, c));
  const nodeIdOf: number[] = [];
  const nodeClass: number[] = [];
  const nodeCost: number[] = [];
  const childStart: number[] = [0];
  const childClass: number[] = [];
  classIdOf.forEach((id, c) => {
    for (const node of egraph.classNodes(id)) {
      const children = egraph.nodeChildren(node);
      nodeIdOf.push(node);
      nodeClass.push(c);
      nodeCost.push(cost(egraph.nodeOp(node), egraph.nodePayload(node), children));
      for (const child of children) childClass.push(dense.get(child)!);
      childStart.push(childClass.length);
    }
  });
  const problem = createProblem({
    classCount: classIdOf.length,
    nodeClass,
    nodeCost,
    childStart,
    childClass,
    roots: roots.map((r) => dense.get(egraph.find(r))!),
    classNames: Array.from(classIdOf, String),
  });
  return { problem, classIdOf, nodeIdOf: Int32Array.from(nodeIdOf) };
}

/** The e-node chosen for each needed e-graph class, from a selection over `ep.problem`. */
export function chosenNodes(ep: EGraphProblem, choice: Int32Array): Map<number, number> {
  const chosen = new Map<number, number>();
  choice.forEach((node, c) => {
    if (node >= 0) chosen.set(ep.classIdOf[c]!, ep.nodeIdOf[node]!);
  });
  return chosen;
}
