/**
 * Short cycles of the class graph (class -> class of each child), enumerated up front so the ILP
 * starts with their cuts instead of discovering them one solve at a time. Tensor e-graphs close most
 * cycles in two to four steps (x = reshape(reshape(x)); concat/split pairs).
 */
import type { ExtractionProblem } from './problem.js';

/**
 * Elementary class cycles of at most `maxLength` classes, each listed once (starting at its smallest
 * class id), stopping after `limit` cycles. Self-loops are left out: reduction removes those nodes.
 */
export function shortCycles(p: ExtractionProblem, maxLength: number, limit: number): number[][] {
  // Distinct successor classes of each class.
  const succ: number[][] = Array.from({ length: p.classCount }, () => []);
  for (let n = 0; n < p.nodeCount; n++) {
    const c = p.nodeClass[n]!;
    for (let k = p.childStart[n]!; k < p.childStart[n + 1]!; k++) {
      const d = p.childClass[k]!;
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
