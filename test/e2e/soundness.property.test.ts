/**
 * Soundness at scale: random networks of every op family (see test/support/random-block-network.ts),
 * optimized with every shipped rule file and the default limits, either come back computing what
 * they computed (checked independently on several seeds and symbol bindings) or end in a typed
 * NetsatError. A result optimize had to heal is right, but it means a shipped rule does not hold on
 * that network, so it fails here too, shrunk, to become a fixture (test/fixtures/soundness).
 * `npm run bench -- soundness` runs the same cases on 10,000 networks.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { blockNetworkRecipeArb, buildBlockNetwork } from '../support/random-block-network.js';
import { describeOutcome, soundnessCase } from '../support/soundness-case.js';

describe('property: random networks of every op family with all shipped rules', () => {
  it('optimize returns an equivalent network, with no rule to heal, or a typed error', async () => {
    await fc.assert(
      fc.asyncProperty(blockNetworkRecipeArb(), async (recipe) => {
        const outcome = await soundnessCase(buildBlockNetwork(recipe));
        expect(describeOutcome(outcome)).toMatch(/^(verified|typed )/);
      }),
      { seed: 20_261_202, numRuns: 200 },
    );
  }, 600_000);
});
