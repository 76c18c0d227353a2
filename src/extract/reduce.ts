/**
 * Problem reduction before the ILP. Each step keeps at least one optimal acyclic selection:
 * - nodes with a child class that has no acyclic term are dropped (they can never be picked);
 * - self-loop nodes (a child is their own class) are dropped (picking one is a cycle);
 * - dominated nodes are dropped: b dominates a in the same class when cost(b) <= cost(a) and b's
 *   child classes are a subset of a's, since swapping a for b adds no class and no cycle;
 * - classes and nodes unreachable from the roots are dropped;
 * - forced loops are dropped: a node whose forced reach (forced-reach.ts) contains its own class would
 *   close a cycle through single-node classes whenever it is picked. Dropping nodes turns classes into
 *   single-node ones, which forces more, so the steps repeat until nothing changes.
 * Single-node classes are collapsed later, in the model (their node's variable is the class's).
 */
import { bottomUp } from './bottom-up.js';
import { requireRoots } from './finish.js';
import { forcedReach, isMultiNode, reaches } from './forced-reach.js';
import { createProblem, type ExtractionProblem } from './problem.js';

export interface ReducedProblem {
  readonly problem: ExtractionProblem;
  /** Original node of each reduced node. */
  readonly nodeMap: Int32Array;
  /** Original class of each reduced class. */
  readonly classMap: Int32Array;
  readonly stats: { readonly droppedNodes: number; readonly dominatedNodes: number; readonly forcedLoopNodes: number; readonly droppedClasses: number };
}

/** Pairwise dominance is quadratic in class size; larger classes are left alone. */
const DOMINANCE_CLASS_LIMIT = 256;

function childSet(p: ExtractionProblem, n: number): Int32Array {
  const kids = p.childClass.slice(p.childStart[n]!, p.childStart[n + 1]!).sort();
  return kids.filter((c, i) => i === 0 || kids[i - 1] !== c);
}

function isSubset(a: Int32Array, b: Int32Array): boolean {
  let j = 0;
  for (const v of a) {
    while (j < b.length && b[j]! < v) j++;
    if (j === b.length || b[j] !== v) return false;
  }
  return true;
}

/** Reduces `p`; throws UnextractableError when a root has no acyclic term. */
export function reduceProblem(p: ExtractionProblem): ReducedProblem {
  let reduced = reduceStep(p, new Uint8Array(p.nodeCount));
  let forcedLoopNodes = 0;
  for (;;) {
    const r = reduced.problem;
    const reach = forcedReach(r);
    const loops = new Uint8Array(r.nodeCount);
    let count = 0;
    for (let n = 0; n < r.nodeCount; n++) {
      const c = r.nodeClass[n]!;
      if (isMultiNode(r, c) && reaches(reach, n, c)) {
        loops[n] = 1;
        count++;
      }
    }
    if (count === 0) break;
    forcedLoopNodes += count;
    const next = reduceStep(r, loops);
    reduced = {
      problem: next.problem,
      nodeMap: next.nodeMap.map((n) => reduced.nodeMap[n]!),
      classMap: next.classMap.map((c) => reduced.classMap[c]!),
      stats: { ...next.stats, dominatedNodes: reduced.stats.dominatedNodes + next.stats.dominatedNodes },
    };
  }
  const stats = {
    droppedNodes: p.nodeCount - reduced.problem.nodeCount,
    dominatedNodes: reduced.stats.dominatedNodes,
    forcedLoopNodes,
    droppedClasses: p.classCount - reduced.problem.classCount,
  };
  return { ...reduced, stats };
}

/** One pass of the steps above, with the nodes marked in `excluded` dropped from the start. */
function reduceStep(p: ExtractionProblem, excluded: Uint8Array): ReducedProblem {
  const extractable = bottomUp(p, p.nodeCost).choice;
  requireRoots(p, extractable);
  const keep = new Uint8Array(p.nodeCount);
  for (let n = 0; n < p.nodeCount; n++) {
    const c = p.nodeClass[n]!;
    let ok = !excluded[n] && extractable[c]! >= 0;
    for (let k = p.childStart[n]!; k < p.childStart[n + 1]! && ok; k++) {
      const d = p.childClass[k]!;
      ok = d !== c && extractable[d]! >= 0;
    }
    keep[n] = ok ? 1 : 0;
  }

  let dominatedNodes = 0;
  for (let c = 0; c < p.classCount; c++) {
    const members = Array.from(p.classNodes.subarray(p.classStart[c]!, p.classStart[c + 1]!)).filter((n) => keep[n]);
    if (members.length < 2 || members.length > DOMINANCE_CLASS_LIMIT) continue;
    const sets = members.map((n) => childSet(p, n));
    for (let i = 0; i < members.length; i++) {
      const a = members[i]!;
      for (let j = 0; j < members.length && keep[a]; j++) {
        const b = members[j]!;
        if (i === j || !keep[b] || p.nodeCost[b]! > p.nodeCost[a]! || !isSubset(sets[j]!, sets[i]!)) continue;
        // Equal nodes dominate each other; the lower id survives.
        const strictly = p.nodeCost[b]! < p.nodeCost[a]! || sets[j]!.length < sets[i]!.length || b < a;
        if (strictly) {
          keep[a] = 0;
          dominatedNodes++;
        }
      }
    }
  }

  // Reachability from the roots through kept nodes.
  const reached = new Uint8Array(p.classCount);
  const stack = Array.from(p.roots);
  for (const r of stack) reached[r] = 1;
  while (stack.length > 0) {
    const c = stack.pop()!;
    for (let i = p.classStart[c]!; i < p.classStart[c + 1]!; i++) {
      const n = p.classNodes[i]!;
      if (!keep[n]) continue;
      for (let k = p.childStart[n]!; k < p.childStart[n + 1]!; k++) {
        const d = p.childClass[k]!;
        if (!reached[d]) {
          reached[d] = 1;
          stack.push(d);
        }
      }
    }
  }

  const classId = new Int32Array(p.classCount).fill(-1);
  const classMap: number[] = [];
  for (let c = 0; c < p.classCount; c++) {
    if (reached[c]) {
      classId[c] = classMap.length;
      classMap.push(c);
    }
  }
  const nodeMap: number[] = [];
  const nodeClass: number[] = [];
  const nodeCost: number[] = [];
  const childStart: number[] = [0];
  const childClass: number[] = [];
  for (let n = 0; n < p.nodeCount; n++) {
    const c = p.nodeClass[n]!;
    if (!keep[n] || !reached[c]) continue;
    nodeMap.push(n);
    nodeClass.push(classId[c]!);
    nodeCost.push(p.nodeCost[n]!);
    for (let k = p.childStart[n]!; k < p.childStart[n + 1]!; k++) childClass.push(classId[p.childClass[k]!]!);
    childStart.push(childClass.length);
  }
  const problem = createProblem({
    classCount: classMap.length,
    nodeClass,
    nodeCost,
    childStart,
    childClass,
    roots: Array.from(p.roots, (r) => classId[r]!),
    ...(p.nodeNames ? { nodeNames: nodeMap.map((n) => p.nodeNames![n]!) } : {}),
    ...(p.classNames ? { classNames: classMap.map((c) => p.classNames![c]!) } : {}),
  });
  return {
    problem,
    nodeMap: Int32Array.from(nodeMap),
    classMap: Int32Array.from(classMap),
    stats: { droppedNodes: p.nodeCount - nodeMap.length, dominatedNodes, forcedLoopNodes: 0, droppedClasses: p.classCount - classMap.length },
  };
}

/** A reduced-problem choice expressed on the original problem (-1 elsewhere). */
export function expandChoice(original: ExtractionProblem, reduced: ReducedProblem, choice: Int32Array): Int32Array {
  const out = new Int32Array(original.classCount).fill(-1);
  choice.forEach((n, c) => {
    if (n >= 0) out[reduced.classMap[c]!] = reduced.nodeMap[n]!;
  });
  return out;
}
