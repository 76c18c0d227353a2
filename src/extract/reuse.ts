/**
 * A DAG-cost improvement after a greedy choice: a class switches to another of its nodes whose
 * children are all already in the selection, when that node's own cost is lower, unless that would
 * close a cycle. Every switch lowers the DAG cost: the new node adds only its own cost, and the old
 * one's exclusive children drop out. The greedy prices each class on its own, so it misses sharing
 * that only the whole selection shows: the residual sum of a SkipRMSNorm stays a separate Add though
 * the SkipRMSNorm chosen for the norm already computes it (its second output costs nothing more).
 */
import type { ExtractionProblem } from './problem.js';
import { pruneChoice } from './selection.js';

/** Rounds of switching; each only lowers the cost, so this bounds time, not correctness. */
const MAX_ROUNDS = 8;

function children(p: ExtractionProblem, n: number): Int32Array {
  return p.childClass.subarray(p.childStart[n]!, p.childStart[n + 1]!);
}

/** Whether `target` is reachable from `from` through the chosen nodes. */
function reaches(p: ExtractionProblem, choice: Int32Array, from: Int32Array, target: number): boolean {
  const seen = new Uint8Array(p.classCount);
  const stack = Array.from(from);
  while (stack.length) {
    const c = stack.pop()!;
    if (c === target) return true;
    if (seen[c]) continue;
    seen[c] = 1;
    stack.push(...children(p, choice[c]!));
  }
  return false;
}

/** The node of class `c` to switch to, or -1: cheaper than the chosen one, all its children selected, acyclic. */
function cheaperSelected(p: ExtractionProblem, choice: Int32Array, c: number): number {
  const chosen = choice[c]!;
  for (let k = p.classStart[c]!; k < p.classStart[c + 1]!; k++) {
    const n = p.classNodes[k]!;
    if (p.nodeCost[n]! >= p.nodeCost[chosen]!) continue;
    const kids = children(p, n);
    if (kids.every((child) => child !== c && choice[child]! >= 0) && !reaches(p, choice, kids, c)) return n;
  }
  return -1;
}

/** The choice (complete for the roots, acyclic) with every such switch made, pruned to the needed classes. */
export function reuseSelected(p: ExtractionProblem, choice: Int32Array): Int32Array {
  let current = pruneChoice(p, choice);
  for (let round = 0; round < MAX_ROUNDS; round++) {
    let changed = false;
    for (let c = 0; c < p.classCount; c++) {
      if (current[c]! < 0) continue;
      const n = cheaperSelected(p, current, c);
      if (n >= 0) {
        current[c] = n;
        changed = true;
      }
    }
    if (!changed) break;
    current = pruneChoice(p, current);
  }
  return current;
}
