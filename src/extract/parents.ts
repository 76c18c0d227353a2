/** The reverse edges of an extraction problem: for each class, the nodes that use it as a child. */
import type { ExtractionProblem } from './problem.js';

export interface Parents {
  /** Nodes using class c are `parentNodes[parentStart[c] .. parentStart[c+1])`, once per occurrence. */
  readonly parentStart: Int32Array;
  readonly parentNodes: Int32Array;
}

export function parentsOf(p: ExtractionProblem): Parents {
  const parentStart = new Int32Array(p.classCount + 1);
  for (const d of p.childClass) parentStart[d + 1]++;
  for (let c = 0; c < p.classCount; c++) parentStart[c + 1]! += parentStart[c]!;
  const fill = parentStart.slice(0, p.classCount);
  const parentNodes = new Int32Array(p.childClass.length);
  for (let n = 0; n < p.nodeCount; n++) {
    for (let k = p.childStart[n]!; k < p.childStart[n + 1]!; k++) parentNodes[fill[p.childClass[k]!]!++] = n;
  }
  return { parentStart, parentNodes };
}
