import type { EGraph } from './egraph.js';
import { hashNode } from './hashcons.js';

/**
 * Restores the e-graph's invariants after adds and unions (egg's deferred rebuild): repairs each
 * queued parent node (re-canonicalise its children, re-key it in the hash-cons; a collision is a
 * congruence, so the two classes are unioned, which may queue more), then brings analysis data to a
 * fixpoint and runs `modify` on merged classes, until no work is left. Each congruence is repaired
 * once per batch rather than once per union. Returns the number of congruence unions made.
 */
export function rebuild<D>(egraph: EGraph<D>): number {
  let unions = 0;
  while (egraph.pendingCount > 0 || egraph.analysisPending.length > 0 || egraph.touched.length > 0) {
    unions += repairParents(egraph);
    if (egraph.analysis) propagateAnalysis(egraph);
  }
  return unions;
}

function repairParents<D>(egraph: EGraph<D>): number {
  const { store, hashcons, unionFind } = egraph;
  let unions = 0;
  while (egraph.pendingCount > 0) {
    const node = egraph.pending[--egraph.pendingCount]!;
    // A dead node's live twin has its value and its parent cells, so repairing the twin suffices.
    if (egraph.live[node] !== 1) continue;
    // Read the arrays afresh each time: a union below may have grown them.
    const { ops, payloads, childStart, children } = store;
    const op = ops[node]!;
    const payload = payloads[node]!;
    const start = childStart[node]!;
    const arity = childStart[node + 1]! - start;
    let changed = false;
    for (let i = start, end = start + arity; i < end; i++) {
      const child = children[i]!;
      const root = unionFind.find(child);
      if (root !== child) {
        if (!changed) hashcons.remove(node, hashNode(op, payload, children, start, arity));
        changed = true;
        children[i] = root;
      }
    }
    // An unchanged node keeps its place under its value.
    if (!changed) continue;
    const hash = hashNode(op, payload, children, start, arity);
    const twin = hashcons.lookup(op, payload, children, start, arity, hash);
    if (twin === -1) hashcons.insert(node, hash);
    else {
      egraph.live[node] = 0;
      if (egraph.union(twin, node)) unions++;
    }
  }
  return unions;
}

function propagateAnalysis<D>(egraph: EGraph<D>): void {
  const analysis = egraph.analysis!;
  const { unionFind, classData } = egraph;
  while (egraph.analysisPending.length > 0) {
    const node = egraph.analysisPending.pop()!;
    if (egraph.live[node] !== 1) continue;
    const id = unionFind.find(node);
    const merged = analysis.merge(classData[id] as D, analysis.make(egraph, node));
    if (!merged.changedFirst) continue;
    classData[id] = merged.data;
    egraph.parents.forEach(id, (parent) => egraph.analysisPending.push(parent));
    if (analysis.modify) egraph.touched.push(id);
  }
  while (egraph.touched.length > 0 && egraph.pendingCount === 0 && egraph.analysisPending.length === 0) {
    const id = unionFind.find(egraph.touched.pop()!);
    analysis.modify?.(egraph, id);
  }
}
