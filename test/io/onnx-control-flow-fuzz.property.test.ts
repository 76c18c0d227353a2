/**
 * The reader's fuzz property on models with control flow: mutated If, Loop and Scan models (bytes,
 * which reach into the bodies, and structure) end in a network that validates and writes, or in a
 * typed error with what and where; never another exception. Seeded (fast-check).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fuzzPlanArb, prepareSeeds, runFuzzCase } from '../support/onnx-fuzz/fuzz-case.js';
import { makeFuzzFolder } from '../support/onnx-fuzz/seeds.js';
import { ifModel, loopModel, scanModel, untypedLoopModel } from './support/control-flow-models.js';

const CASES = 600;

describe('ONNX reader fuzz on control-flow models', () => {
  it(`${CASES} mutated If, Loop and Scan models end in a network or a typed error`, () => {
    const seeds = prepareSeeds(
      [ifModel, loopModel, scanModel, untypedLoopModel].map((make) => {
        const bytes = make();
        return { name: make.name, bytes, structureBytes: bytes };
      }),
    );
    const folder = makeFuzzFolder();
    const tally = { networks: 0, refused: 0 };
    fc.assert(
      fc.property(fuzzPlanArb(), (plan) => {
        const outcome = runFuzzCase(seeds, plan, folder);
        if (outcome.failure) throw new Error(`${outcome.failure}\n  seed file: ${seeds[plan.seed % seeds.length]!.name}`);
        tally[outcome.result.startsWith('network') ? 'networks' : 'refused']++;
      }),
      { seed: 20261203, numRuns: CASES },
    );
    expect(tally.networks).toBeGreaterThan(0);
    expect(tally.refused).toBeGreaterThan(0);
  });
});
