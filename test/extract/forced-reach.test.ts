import { describe, expect, it } from 'vitest';
import { forcedReach, reaches } from '../../src/extract/forced-reach.js';
import { cycleCut } from '../../src/extract/ilp-model.js';
import { ProblemBuilder } from '../../src/extract/problem-builder.js';
import { reduceProblem } from '../../src/extract/reduce.js';

/** x = concat(a, b) or input; a = split0(s) or conv; s = split(x) (single node); b = leaf. */
function concatSplitLoop() {
  const b = new ProblemBuilder();
  const x = b.addClass('x');
  const a = b.addClass('a');
  const s = b.addClass('s');
  const leaf = b.addClass('leaf');
  b.addNode(x, 0, [a, leaf], 'concat');
  b.addNode(x, 5, [], 'input');
  b.addNode(a, 0, [s], 'split0');
  b.addNode(a, 2, [x], 'conv');
  b.addNode(s, 0, [x], 'split');
  b.addNode(leaf, 1, [], 'leaf');
  b.addRoot(x);
  return { p: b.build(), x, a, s };
}

describe('forced reach (single-node classes contracted)', () => {
  it('passes through single-node classes to the next multi-node class', () => {
    const { p, x, a } = concatSplitLoop();
    const f = forcedReach(p);
    expect(reaches(f, 0, a)).toBe(true); // concat -> a
    expect(reaches(f, 2, x)).toBe(true); // split0 -> s (forced) -> x
    expect(reaches(f, 2, a)).toBe(false);
  });

  it('cuts a cycle between its multi-node classes only', () => {
    const { p, x, a, s } = concatSplitLoop();
    const cut = cycleCut(p, forcedReach(p), [x, a, s]);
    expect(Array.from(cut.indices).sort()).toEqual([0, 2, 3]); // concat; split0 and conv both reach x
    expect(cut.upper).toBe(1);
  });

  it('drops a node whose forced reach holds its own class, and repeats', () => {
    const b = new ProblemBuilder();
    const x = b.addClass();
    const s = b.addClass();
    b.addNode(x, 0, [s], 'loop'); // x -> s -> x with s forced: never pickable
    b.addNode(x, 3, [], 'input');
    b.addNode(s, 0, [x], 'only');
    b.addRoot(x);
    const reduced = reduceProblem(b.build());
    expect(reduced.stats.forcedLoopNodes).toBe(1);
    expect(reduced.problem.nodeCount).toBe(1);
  });
});
