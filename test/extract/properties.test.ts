import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extractDag } from '../../src/extract/dag-greedy.js';
import { UnextractableError } from '../../src/extract/errors.js';
import { extractIlp } from '../../src/extract/ilp.js';
import { checkSelection, dagCost, type Selection } from '../../src/extract/selection.js';
import { extractTree } from '../../src/extract/tree-greedy.js';
import type { ExtractionProblem } from '../../src/extract/problem.js';
import { arbitraryProblem, bruteForceOptimum } from './random-problem.js';

/** The selection, or undefined when the extractor reports an unextractable root. */
function attempt(run: () => Selection): Selection | undefined {
  try {
    return run();
  } catch (e) {
    if (e instanceof UnextractableError) return undefined;
    throw e;
  }
}

function expectValid(p: ExtractionProblem, s: Selection): void {
  checkSelection(p, s.choice);
  expect(s.cost).toBe(dagCost(p, s.choice));
}

describe('extractors on random cyclic e-graphs', () => {
  it('tree and DAG greedy return complete acyclic selections exactly when one exists', () => {
    fc.assert(
      fc.property(arbitraryProblem(), (p) => {
        const optimum = bruteForceOptimum(p);
        for (const s of [attempt(() => extractTree(p)), attempt(() => extractDag(p))]) {
          expect(s === undefined).toBe(optimum === undefined);
          if (s) {
            expectValid(p, s);
            expect(s.cost).toBeGreaterThanOrEqual(optimum! - 1e-9);
          }
        }
      }),
      { numRuns: 1000, seed: 20240601 },
    );
  });

  it('ILP is valid, no worse than either greedy, and equals the brute-force optimum', async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryProblem(6), async (p) => {
        const optimum = bruteForceOptimum(p);
        if (optimum === undefined) {
          await expect(extractIlp(p, { timeLimitMs: 5000 })).rejects.toBeInstanceOf(UnextractableError);
          return;
        }
        const ilp = await extractIlp(p, { timeLimitMs: 5000 });
        expectValid(p, ilp);
        expect(ilp.status).toBe('optimal');
        expect(ilp.cost).toBeLessThanOrEqual(extractTree(p).cost + 1e-9);
        expect(ilp.cost).toBeLessThanOrEqual(extractDag(p).cost + 1e-9);
        expect(ilp.cost).toBeCloseTo(optimum, 9);
      }),
      { numRuns: 200, seed: 7 },
    );
  });
});
