/**
 * Cycles in a choice: following the chosen node of each class from the roots, a class that reaches
 * itself. E-graphs are cyclic, so every extractor and the checker need this.
 */
import type { ExtractionProblem } from './problem.js';

/**
 * Up to `limit` cycles reachable from the roots, each as a list of classes [c0, ..., ck-1] where the
 * chosen node of c_i has c_(i+1) among its children and the chosen node of c_(k-1) has c0. Classes
 * without a choice are skipped (completeness is checked elsewhere). Iterative, so deep graphs are fine.
 */
export function findChoiceCycles(p: ExtractionProblem, choice: Int32Array, limit = 1): number[][] {
  const cycles: number[][] = [];
  // 0 = unseen, 1 = on the DFS stack, 2 = done
  const state = new Uint8Array(p.classCount);
  const stack: number[] = [];
  const nextChild: number[] = [];
  const onStackIndex = new Int32Array(p.classCount).fill(-1);
  for (const root of p.roots) {
    if (state[root] !== 0 || choice[root]! < 0) continue;
    stack.push(root);
    nextChild.push(p.childStart[choice[root]!]!);
    state[root] = 1;
    onStackIndex[root] = 0;
    while (stack.length > 0) {
      const top = stack.length - 1;
      const c = stack[top]!;
      const n = choice[c]!;
      const k = nextChild[top]!;
      if (k === p.childStart[n + 1]) {
        state[c] = 2;
        onStackIndex[c] = -1;
        stack.pop();
        nextChild.pop();
        continue;
      }
      nextChild[top] = k + 1;
      const d = p.childClass[k]!;
      if (state[d] === 1) {
        cycles.push(stack.slice(onStackIndex[d]!));
        if (cycles.length >= limit) return cycles;
      } else if (state[d] === 0 && choice[d]! >= 0) {
        state[d] = 1;
        onStackIndex[d] = stack.length;
        stack.push(d);
        nextChild.push(p.childStart[choice[d]!]!);
      }
    }
  }
  return cycles;
}
