/**
 * Turns any choice (possibly cyclic or incomplete, such as an ILP relaxation's or a stale greedy's)
 * into an acyclic, complete one that keeps as many of the preferred nodes as it can.
 */
import { bottomUp } from './bottom-up.js';
import { findChoiceCycles } from './choice-cycles.js';
import { requireRoots } from './finish.js';
import type { ExtractionProblem } from './problem.js';

/** True when every root has a choice and following the choices from the roots finds no cycle and no gap. */
export function isUsableChoice(p: ExtractionProblem, choice: Int32Array): boolean {
  const seen = new Uint8Array(p.classCount);
  const stack = Array.from(p.roots);
  while (stack.length > 0) {
    const c = stack.pop()!;
    if (seen[c]) continue;
    seen[c] = 1;
    const n = choice[c]!;
    if (n < 0) return false;
    for (let k = p.childStart[n]!; k < p.childStart[n + 1]!; k++) stack.push(p.childClass[k]!);
  }
  return findChoiceCycles(p, choice, 1).length === 0;
}

/**
 * `preferred` itself when usable; otherwise a bottom-up selection where each node weighs 0 if
 * preferred and 1 if not, so the result deviates from the preference in as few tree positions as
 * the bottom-up order finds. Throws UnextractableError when a root has no acyclic term.
 */
export function repairChoice(p: ExtractionProblem, preferred: Int32Array): Int32Array {
  if (isUsableChoice(p, preferred)) return preferred;
  const weight = new Float64Array(p.nodeCount);
  for (let n = 0; n < p.nodeCount; n++) weight[n] = preferred[p.nodeClass[n]!] === n ? 0 : 1;
  const { choice } = bottomUp(p, weight);
  requireRoots(p, choice);
  return choice;
}
