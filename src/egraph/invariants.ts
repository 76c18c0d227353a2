import type { EGraph } from './egraph.js';
import { EGraphStateError } from './errors.js';
import { hashNode } from './hashcons.js';

/**
 * Verifies what `rebuild()` promises (see EGraph's doc comment) and throws an EGraphStateError
 * naming the first violation. Costs O(nodes + parent cells); for tests and debugging.
 */
export function checkInvariantsOf<D>(egraph: EGraph<D>): void {
  const fail = (what: string): never => {
    throw new EGraphStateError(`invariant broken: ${what}`, { hint: 'call rebuild() before checking; otherwise this is an engine bug' });
  };
  if (egraph.pendingCount > 0 || egraph.analysisPending.length > 0 || egraph.touched.length > 0) fail('repairs are pending');
  const { store, unionFind, hashcons, live, parents } = egraph;
  const { ops, payloads, childStart, children } = store;
  let liveCount = 0;
  const classHasNode = new Uint8Array(store.count);
  const parentPairs = new Set<string>();
  for (let c = 0; c < store.count; c++) {
    if (!unionFind.isRoot(c)) continue;
    parents.forEach(c, (node) => parentPairs.add(`${c}:${node}`));
  }
  for (let n = 0; n < store.count; n++) {
    if (live[n] !== 1) continue;
    liveCount++;
    classHasNode[unionFind.find(n)] = 1;
    const start = childStart[n]!;
    const arity = childStart[n + 1]! - start;
    for (let i = start; i < start + arity; i++) {
      const child = children[i]!;
      if (!unionFind.isRoot(child)) fail(`node ${n} has non-canonical child ${child}`);
      if (!parentPairs.has(`${child}:${n}`)) fail(`node ${n} is missing from the parents of its child class ${child}`);
    }
    const found = hashcons.lookup(ops[n]!, payloads[n]!, children, start, arity, hashNode(ops[n]!, payloads[n]!, children, start, arity));
    if (found !== n) fail(found === -1 ? `live node ${n} is not in the hash-cons` : `nodes ${n} and ${found} are equal (congruence not closed)`);
    if (egraph.analysis) {
      const merged = egraph.analysis.merge(egraph.classData[unionFind.find(n)] as D, egraph.analysis.make(egraph, n));
      if (merged.changedFirst) fail(`analysis data of class ${unionFind.find(n)} is not up to date with node ${n}`);
    }
  }
  if (liveCount !== hashcons.size) fail(`hash-cons holds ${hashcons.size} nodes but ${liveCount} are live`);
  let roots = 0;
  for (let c = 0; c < store.count; c++) {
    if (!unionFind.isRoot(c)) continue;
    roots++;
    if (classHasNode[c] !== 1) fail(`class ${c} has no node`);
  }
  if (roots !== egraph.classCount) fail(`class count ${egraph.classCount} differs from the ${roots} canonical ids`);
}
