import type { EGraph } from './egraph.js';
import type { Term } from './term.js';

/**
 * The smallest term (fewest nodes) of class `root`: a plain tree extractor for the tutorial and
 * tests, written only against the public extraction hooks (classIds, classNodes, nodeChild). The
 * project's real extractors, with cost models and DAG costs, live in src/extract.
 */
export function extractSmallest<D>(egraph: EGraph<D>, root: number): { term: Term; size: number } {
  const size = new Map<number, number>();
  const best = new Map<number, number>();
  // Relax to a fixpoint: a class's size is the best over its nodes of 1 + its children's sizes.
  for (let changed = true; changed; ) {
    changed = false;
    for (const c of egraph.classIds()) {
      for (const n of egraph.classNodes(c)) {
        let total = 1;
        for (const child of egraph.nodeChildren(n)) total += size.get(child) ?? Infinity;
        if (total < (size.get(c) ?? Infinity)) {
          size.set(c, total);
          best.set(c, n);
          changed = true;
        }
      }
    }
  }
  const build = (c: number): Term => {
    const n = best.get(c)!;
    return { op: egraph.nodeOp(n), payload: egraph.nodePayload(n), children: Array.from(egraph.nodeChildren(n), build) };
  };
  const id = egraph.find(root);
  return { term: build(id), size: size.get(id)! };
}
