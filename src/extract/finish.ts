/**
 * The common last step of every extractor: roots must be extractable, the choice is pruned to the
 * needed classes, validated, and priced by `dagCost`.
 */
import { UnextractableError } from './errors.js';
import { classLabel, type ExtractionProblem } from './problem.js';
import { checkSelection, dagCost, pruneChoice, type Selection } from './selection.js';

/** Throws an UnextractableError naming the first root without a choice. */
export function requireRoots(p: ExtractionProblem, choice: Int32Array): void {
  for (const r of p.roots) {
    if (choice[r]! < 0) {
      throw new UnextractableError(`root ${classLabel(p, r)} has no acyclic term`, {
        hint: 'every node under this class depends on the class itself (or on a class that does); add a node with no such cycle',
      });
    }
  }
}

export function finishSelection(p: ExtractionProblem, choice: Int32Array, info: Omit<Selection, 'choice' | 'cost' | 'gap' | 'timeMs'>, startMs: number): Selection {
  requireRoots(p, choice);
  const pruned = pruneChoice(p, choice);
  checkSelection(p, pruned);
  const cost = dagCost(p, pruned);
  const gap = info.lowerBound === null ? null : cost > 0 ? Math.max(0, (cost - info.lowerBound) / cost) : 0;
  return { ...info, choice: pruned, cost, gap, timeMs: performance.now() - startMs };
}
