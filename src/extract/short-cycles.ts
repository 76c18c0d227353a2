/**
 * Short cycles of the contracted class graph (multi-node class -> the forced reach of each of its
 * nodes, see forced-reach.ts), enumerated up front so the ILP starts with their cuts instead of
 * discovering them one solve at a time. Tensor e-graphs close most cycles through a few choices
 * (concat/split pairs), however many single-node classes lie between.
 */
import { isMultiNode, type ForcedReach } from './forced-reach.js';
import type { ExtractionProblem } from './problem.js';

/**
 * Elementary cycles of at most `maxLength` multi-node classes, each listed once (starting at its
 * smallest class id), stopping after `limit` cycles. Self-loops are left out: reduction removes them.
 */
export function shortCycles(p: ExtractionProblem, reach: ForcedReach, maxLength: number, limit: number): number[][] {
  const succ: number[][] = Array.from({ length: p.classCount }, () => []);
  for (let n = 0; n < p.nodeCount; n++) {
    const c = p.nodeClass[n]!;
    if (!isMultiNode(p, c)) continue;
    for (let i = reach.start[n]!; i < reach.start[n + 1]!; i++) {
      const d = reach.classes[i]!;
      if (d !== c && !succ[c]!.includes(d)) succ[c]!.push(d);
    }
  }
  const cycles: number[][] = [];
  const path: number[] = [];
  const onPath = new Uint8Array(p.classCount);
  const walk = (start: number, c: number): boolean => {
    for (const d of succ[c]!) {
      if (d === start && path.length >= 2) {
        cycles.push([...path]);
        if (cycles.length >= limit) return false;
      } else if (d > start && !onPath[d] && path.length < maxLength) {
        path.push(d);
        onPath[d] = 1;
        const more = walk(start, d);
        onPath[d] = 0;
        path.pop();
        if (!more) return false;
      }
    }
    return true;
  };
  for (let s = 0; s < p.classCount; s++) {
    path.push(s);
    onPath[s] = 1;
    const more = walk(s, s);
    onPath[s] = 0;
    path.pop();
    if (!more) break;
  }
  return cycles;
}
