/**
 * Builds an ExtractionProblem from the generic e-graph engine through its read-only extraction hooks
 * (classIds, classNodes, nodeOp, nodePayload, nodeChildren). The e-graph must be rebuilt, so
 * children are canonical class ids. Problem ids are dense; the maps lead back to e-graph ids.
 * A multi-output application (a Split, an attention with its cache) is one e-node per output but
 * one kernel, paid once whichever outputs are used: each of its nodes gets one extra child, a leaf
 * class holding the application's whole cost, so DAG cost pays it once as the network will. (A
 * share per output made a selection that uses one output of two look half price, and ILP, which
 * finds such selections, returned networks costlier than greedy's.)
 */
import type { EGraph } from '../egraph/egraph.js';
import { createProblem, type ExtractionProblem } from './problem.js';

/** The cost of one e-node from its op, payload and (canonical) child class ids. */
export type NodeCostFunction = (op: number, payload: number, childClassIds: Int32Array) => number;

/**
 * For a node that is one output of a multi-output application: a key naming the application (the
 * same for all its outputs) and the application's whole cost; undefined for other nodes.
 */
export type SharedCostFunction = (op: number, payload: number, childClassIds: Int32Array) => { key: string; cost: number } | undefined;

export interface EGraphProblem {
  readonly problem: ExtractionProblem;
  /** The e-graph class id of each problem class (a shared-cost leaf class has none: -1). */
  readonly classIdOf: Int32Array;
  /** The e-graph node id of each problem node (-1 for a shared-cost leaf). */
  readonly nodeIdOf: Int32Array;
}

export function problemFromEGraph<D>(egraph: EGraph<D>, roots: readonly number[], cost: NodeCostFunction, shared?: SharedCostFunction): EGraphProblem {
  // classIds() throws the engine's EGraphStateError when unions are not yet rebuilt.
  const classIdOf = Array.from(egraph.classIds());
  const dense = new Map<number, number>();
  classIdOf.forEach((id, c) => dense.set(id, c));
  const nodeIdOf: number[] = [];
  const nodeClass: number[] = [];
  const nodeCost: number[] = [];
  const childStart: number[] = [0];
  const childClass: number[] = [];
  const push = (node: number, c: number, own: number, children: Iterable<number>) => {
    nodeIdOf.push(node);
    nodeClass.push(c);
    nodeCost.push(own);
    childClass.push(...children);
    childStart.push(childClass.length);
  };
  // Leaf classes of shared costs, by application key; their nodes are added after the real ones.
  const leafOf = new Map<string, { cls: number; cost: number }>();
  const leafClass = (key: string, whole: number) => {
    let leaf = leafOf.get(key);
    if (!leaf) leafOf.set(key, (leaf = { cls: classIdOf.length + leafOf.size, cost: whole }));
    return leaf.cls;
  };
  classIdOf.forEach((id, c) => {
    for (const node of egraph.classNodes(id)) {
      const [op, payload, children] = [egraph.nodeOp(node), egraph.nodePayload(node), egraph.nodeChildren(node)];
      const kids = Array.from(children, (child) => dense.get(child)!);
      const group = shared?.(op, payload, children);
      if (group) push(node, c, 0, [...kids, leafClass(group.key, group.cost)]);
      else push(node, c, cost(op, payload, children), kids);
    }
  });
  for (const leaf of leafOf.values()) push(-1, leaf.cls, leaf.cost, []);
  const problem = createProblem({
    classCount: classIdOf.length + leafOf.size,
    nodeClass,
    nodeCost,
    childStart,
    childClass,
    roots: roots.map((r) => dense.get(egraph.find(r))!),
    classNames: [...classIdOf.map(String), ...[...leafOf.keys()].map((k) => `shared cost of ${k}`)],
  });
  return { problem, classIdOf: Int32Array.from([...classIdOf, ...new Array<number>(leafOf.size).fill(-1)]), nodeIdOf: Int32Array.from(nodeIdOf) };
}

/** The e-node chosen for each needed e-graph class, from a selection over `ep.problem`. */
export function chosenNodes(ep: EGraphProblem, choice: Int32Array): Map<number, number> {
  const chosen = new Map<number, number>();
  choice.forEach((node, c) => {
    if (node >= 0 && ep.classIdOf[c]! >= 0) chosen.set(ep.classIdOf[c]!, ep.nodeIdOf[node]!);
  });
  return chosen;
}
