/**
 * Knuth's generalisation of Dijkstra to e-graphs: a node becomes ready once all its child classes are
 * resolved; its key is its own weight plus the keys of its children (once per use); a class is
 * resolved by its smallest ready key. Because a class is resolved only through already resolved
 * children, the result is acyclic by construction, and a class that stays unresolved has no acyclic
 * term at all. With weights = node costs this is egg's tree-cost greedy, computed without a fixpoint.
 */
import { MinHeap } from './min-heap.js';
import { parentsOf } from './parents.js';
import type { ExtractionProblem } from './problem.js';

export interface BottomUpResult {
  /** Per class: the node of smallest key, or -1 when the class has no acyclic term. */
  readonly choice: Int32Array;
  /** Per class: that node's key (Infinity when unresolved). */
  readonly key: Float64Array;
}

/** Weights must be non-negative (keys then never decrease upward, which makes the greedy exact). */
export function bottomUp(p: ExtractionProblem, weight: Float64Array): BottomUpResult {
  const { parentStart, parentNodes } = parentsOf(p);
  const pending = new Int32Array(p.nodeCount);
  const choice = new Int32Array(p.classCount).fill(-1);
  const key = new Float64Array(p.classCount).fill(Infinity);
  const resolved = new Uint8Array(p.classCount);
  const heap = new MinHeap();
  const offer = (n: number) => {
    let k = weight[n]!;
    for (let i = p.childStart[n]!; i < p.childStart[n + 1]!; i++) k += key[p.childClass[i]!]!;
    const c = p.nodeClass[n]!;
    if (!resolved[c] && (choice[c]! < 0 || k < key[c]!)) {
      choice[c] = n;
      key[c] = k;
      heap.push(k, c);
    }
  };
  for (let n = 0; n < p.nodeCount; n++) {
    pending[n] = p.childStart[n + 1]! - p.childStart[n]!;
    if (pending[n] === 0) offer(n);
  }
  while (heap.size > 0) {
    const c = heap.pop();
    if (resolved[c]) continue;
    resolved[c] = 1;
    for (let i = parentStart[c]!; i < parentStart[c + 1]!; i++) {
      const n = parentNodes[i]!;
      if (--pending[n]! === 0) offer(n);
    }
  }
  return { choice, key };
}
