/**
 * A selection: the chosen node of every class needed by the roots, plus how it was found. Its cost
 * is always recomputed by `dagCost`, never taken from an extractor's own bookkeeping.
 */
import { findChoiceCycles } from './choice-cycles.js';
import { SelectionError } from './errors.js';
import { classLabel, nodeLabel, type ExtractionProblem } from './problem.js';

export type ExtractorName = 'tree' | 'dag' | 'ilp';

/**
 * - `heuristic`: a greedy result, no optimality claim;
 * - `optimal`: the ILP proved it optimal (within HiGHS's tolerances);
 * - `time-limit`: the ILP stopped at its time limit; the best incumbent is returned with its gap;
 * - `solver-failed`: HiGHS failed; the best known selection (the greedy one) is returned with `reason`.
 */
export type SelectionStatus = 'heuristic' | 'optimal' | 'time-limit' | 'solver-failed';

export interface Selection {
  /** Per class: the chosen node, or -1 for classes the roots do not need. */
  readonly choice: Int32Array;
  /** DAG cost: each needed class's chosen node paid once (`dagCost`). */
  readonly cost: number;
  readonly extractor: ExtractorName;
  readonly status: SelectionStatus;
  /** A proven lower bound on the optimal DAG cost, when the extractor has one (ILP). */
  readonly lowerBound: number | null;
  /** (cost - lowerBound) / cost, when a lower bound is known. */
  readonly gap: number | null;
  /** Why the result is not proven optimal, when that is informative (time limit, solver failure). */
  readonly reason?: string;
  readonly timeMs: number;
}

/** Calls `visit(c)` once for every class reachable from the roots through chosen nodes. */
function forEachNeeded(p: ExtractionProblem, choice: Int32Array, visit: (c: number) => void): void {
  const seen = new Uint8Array(p.classCount);
  const stack = Array.from(p.roots);
  for (const r of stack) seen[r] = 1;
  while (stack.length > 0) {
    const c = stack.pop()!;
    const n = choice[c]!;
    if (n < 0) {
      throw new SelectionError(`${classLabel(p, c)} is needed but has no chosen node`, {
        hint: 'a selection must choose a node for every class reachable from the roots',
      });
    }
    visit(c);
    for (let k = p.childStart[n]!; k < p.childStart[n + 1]!; k++) {
      const d = p.childClass[k]!;
      if (!seen[d]) {
        seen[d] = 1;
        stack.push(d);
      }
    }
  }
}

/** The DAG cost of a choice: the sum of the chosen nodes' costs over the needed classes, each once. */
export function dagCost(p: ExtractionProblem, choice: Int32Array): number {
  let total = 0;
  forEachNeeded(p, choice, (c) => (total += p.nodeCost[choice[c]!]!));
  return total;
}

/** The choice restricted to the classes the roots need (others set to -1). */
export function pruneChoice(p: ExtractionProblem, choice: Int32Array): Int32Array {
  const out = new Int32Array(p.classCount).fill(-1);
  forEachNeeded(p, choice, (c) => (out[c] = choice[c]!));
  return out;
}

/** Throws a SelectionError unless the choice is complete for the roots, acyclic, and each node is in its class. */
export function checkSelection(p: ExtractionProblem, choice: Int32Array): void {
  if (choice.length !== p.classCount) {
    throw new SelectionError(`choice has ${choice.length} entries for ${p.classCount} classes`);
  }
  for (let c = 0; c < p.classCount; c++) {
    const n = choice[c]!;
    if (n >= p.nodeCount || (n >= 0 && p.nodeClass[n] !== c)) {
      throw new SelectionError(`${classLabel(p, c)} chose ${n < p.nodeCount ? nodeLabel(p, n) : `node ${n}`}, which is not one of its nodes`);
    }
  }
  forEachNeeded(p, choice, () => {});
  const [cycle] = findChoiceCycles(p, choice, 1);
  if (cycle) {
    throw new SelectionError(`the choice is cyclic: ${[...cycle, cycle[0]!].map((c) => classLabel(p, c)).join(' -> ')}`, {
      hint: 'an extracted term must not contain itself; pick another node in one of these classes',
    });
  }
}
