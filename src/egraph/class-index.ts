import type { EGraph } from './egraph.js';

/**
 * A snapshot of a clean e-graph for searching and extraction, rebuilt after each rebuild (as egg
 * rebuilds its class list and op index): the canonical classes, each class's live nodes contiguous
 * and sorted by op, and for each op the classes holding it. Built with two counting sorts over the
 * live nodes, all in typed arrays.
 */
export interface ClassIndex {
  /** Canonical class ids, ascending. */
  readonly classes: Int32Array;
  /**
   * Nodes of class c are nodes[start[c] .. start[c + 1]), sorted by op (indexed by id; a
   * non-canonical id holds no nodes, so one array serves as both ends).
   */
  readonly start: Int32Array;
  readonly nodes: Int32Array;
  /** Classes holding op o are opClasses[opStart[o] .. opStart[o + 1]). */
  readonly opStart: Int32Array;
  readonly opClasses: Int32Array;
  readonly bytes: number;
}

export function buildClassIndex<D>(egraph: EGraph<D>): ClassIndex {
  const { store, unionFind, live } = egraph;
  const ops = store.ops;
  const idCount = store.count;
  const opCount = egraph.maxOp + 1;
  const liveCount = egraph.hashcons.size;

  // Pass 1: live nodes sorted by op (counting sort), with their classes.
  const opStart = new Int32Array(opCount + 1);
  for (let n = 0; n < idCount; n++) if (live[n] === 1) opStart[ops[n]! + 1]!++;
  for (let o = 0; o < opCount; o++) opStart[o + 1]! += opStart[o]!;
  const byOp = new Int32Array(liveCount);
  const cursor = opStart.slice(0, opCount);
  for (let n = 0; n < idCount; n++) if (live[n] === 1) byOp[cursor[ops[n]!]!++] = n;

  // Pass 2: stable counting sort by class, so each class's nodes stay sorted by op.
  const classOf = new Int32Array(liveCount);
  const start = new Int32Array(idCount + 1);
  for (let i = 0; i < liveCount; i++) {
    const c = unionFind.find(byOp[i]!);
    classOf[i] = c;
    start[c + 1]!++;
  }
  for (let c = 0; c < idCount; c++) start[c + 1]! += start[c]!;
  const classes = new Int32Array(egraph.classCount);
  let k = 0;
  for (let c = 0; c < idCount; c++) if (unionFind.isRoot(c)) classes[k++] = c;
  const fill = start.slice(0, idCount);
  const nodes = new Int32Array(liveCount);
  for (let i = 0; i < liveCount; i++) nodes[fill[classOf[i]!]!++] = byOp[i]!;

  // Op → classes: walk nodes in op order, keeping each class once per op.
  const lastOp = new Int32Array(idCount).fill(-1);
  const opClassesAll = new Int32Array(liveCount);
  const classStart = new Int32Array(opCount + 1);
  let m = 0;
  for (let o = 0; o < opCount; o++) {
    classStart[o] = m;
    for (let i = opStart[o]!, stop = opStart[o + 1]!; i < stop; i++) {
      const c = classOf[i]!;
      if (lastOp[c] === o) continue;
      lastOp[c] = o;
      opClassesAll[m++] = c;
    }
  }
  classStart[opCount] = m;
  const opClasses = opClassesAll.slice(0, m);
  const bytes = classes.byteLength + start.byteLength + nodes.byteLength + classStart.byteLength + opClasses.byteLength;
  return { classes, start, nodes, opStart: classStart, opClasses, bytes };
}
