/**
 * The class graph with single-node classes contracted away. A class of one node is forced: once it is
 * used, its node and all that node's child classes are used too. So picking a node n commits to every
 * class reached from n's children through single-node classes, and the first multi-node classes met
 * on those paths (its "forced reach") are where the next real choices are. Cycles of a choice then
 * show as cycles between multi-node classes, which is a far smaller graph on tensor e-graphs (resnet50:
 * 100 of 2,656 classes), and a node whose forced reach contains its own class can never be picked.
 */
import type { ExtractionProblem } from './problem.js';

export interface ForcedReach {
  /** Multi-node classes forced by node n are `classes[start[n] .. start[n+1])`, ascending, distinct. */
  readonly start: Int32Array;
  readonly classes: Int32Array;
}

export function isMultiNode(p: ExtractionProblem, c: number): boolean {
  return p.classStart[c + 1]! - p.classStart[c]! > 1;
}

/** Sorted distinct multi-node classes among `n`'s children and the memoised reaches of its single-node children. */
function reachOfNode(p: ExtractionProblem, n: number, memo: (Int32Array | undefined)[]): Int32Array {
  const into = new Set<number>();
  for (let k = p.childStart[n]!; k < p.childStart[n + 1]!; k++) {
    const d = p.childClass[k]!;
    if (isMultiNode(p, d)) into.add(d);
    else for (const e of memo[d] ?? []) into.add(e);
  }
  return Int32Array.from(into).sort();
}

/**
 * Forced reach of every node. Single-node classes are expanded once each, children first, with an
 * explicit stack (chains of them run thousands deep). A cycle made only of single-node classes has
 * no acyclic term and reduction removes it; here a class met again while open contributes nothing.
 */
export function forcedReach(p: ExtractionProblem): ForcedReach {
  const memo: (Int32Array | undefined)[] = new Array(p.classCount);
  const open = new Uint8Array(p.classCount);
  const only = (c: number) => p.classNodes[p.classStart[c]!]!;
  for (let s = 0; s < p.classCount; s++) {
    if (isMultiNode(p, s) || memo[s]) continue;
    const stack = [s];
    while (stack.length > 0) {
      const c = stack[stack.length - 1]!;
      if (!open[c]) {
        open[c] = 1;
        const n = only(c);
        for (let k = p.childStart[n]!; k < p.childStart[n + 1]!; k++) {
          const d = p.childClass[k]!;
          if (!isMultiNode(p, d) && !memo[d] && !open[d]) stack.push(d);
        }
      } else {
        stack.pop();
        memo[c] ??= reachOfNode(p, only(c), memo);
      }
    }
  }
  const start = new Int32Array(p.nodeCount + 1);
  const classes: number[] = [];
  for (let n = 0; n < p.nodeCount; n++) {
    const c = p.nodeClass[n]!;
    for (const d of isMultiNode(p, c) ? reachOfNode(p, n, memo) : memo[c]!) classes.push(d);
    start[n + 1] = classes.length;
  }
  return { start, classes: Int32Array.from(classes) };
}

export function reaches(f: ForcedReach, n: number, c: number): boolean {
  for (let i = f.start[n]!; i < f.start[n + 1]!; i++) if (f.classes[i] === c) return true;
  return false;
}
