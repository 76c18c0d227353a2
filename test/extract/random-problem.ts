/** Seeded random extraction problems with cycles (self-loops, back edges), and a brute-force optimum. */
import fc from 'fast-check';
import { isUsableChoice } from '../../src/extract/acyclic-repair.js';
import { ProblemBuilder } from '../../src/extract/problem-builder.js';
import type { ExtractionProblem } from '../../src/extract/problem.js';
import { dagCost, pruneChoice } from '../../src/extract/selection.js';

interface NodeSpec {
  cost: number;
  children: number[];
}

/** Up to `maxClasses` classes of 1..3 nodes; children are any class, so cycles are common. */
export function arbitraryProblem(maxClasses = 7): fc.Arbitrary<ExtractionProblem> {
  return fc.integer({ min: 1, max: maxClasses }).chain((classCount) => {
    const node = fc.record({
      cost: fc.oneof(fc.integer({ min: 0, max: 10 }), fc.double({ min: 0, max: 5, noNaN: true })),
      children: fc.array(fc.integer({ min: 0, max: classCount - 1 }), { maxLength: 3 }),
    });
    return fc
      .tuple(
        fc.array(fc.array(node, { minLength: 1, maxLength: 3 }), { minLength: classCount, maxLength: classCount }),
        fc.uniqueArray(fc.integer({ min: 0, max: classCount - 1 }), { minLength: 1, maxLength: 2 }),
      )
      .map(([classes, roots]) => build(classes, roots));
  });
}

function build(classes: NodeSpec[][], roots: number[]): ExtractionProblem {
  const b = new ProblemBuilder();
  for (let c = 0; c < classes.length; c++) b.addClass();
  classes.forEach((nodes, c) => nodes.forEach((n) => b.addNode(c, n.cost, n.children)));
  roots.forEach((r) => b.addRoot(r));
  return b.build();
}

/** The least DAG cost over every acyclic complete choice, or undefined when there is none. */
export function bruteForceOptimum(p: ExtractionProblem): number | undefined {
  const choice = new Int32Array(p.classCount);
  let best: number | undefined;
  const visit = (c: number) => {
    if (c === p.classCount) {
      if (isUsableChoice(p, choice)) {
        const cost = dagCost(p, pruneChoice(p, choice));
        if (best === undefined || cost < best) best = cost;
      }
      return;
    }
    for (let i = p.classStart[c]!; i < p.classStart[c + 1]!; i++) {
      choice[c] = p.classNodes[i]!;
      visit(c + 1);
    }
  };
  visit(0);
  return best;
}
