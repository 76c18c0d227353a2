/**
 * Fuzzing the ONNX reader: mutated files (bytes and structure) end in a network that validates and
 * writes (or a typed refusal from the writer) or in a NetsatError saying what and where; never
 * another exception, and each read well under the 1 s bound (READ_BOUND_MS, checked per
 * case, far above the milliseconds a read takes). Seeded: set NETSAT_FUZZ_SEED to explore other
 * cases; a failure prints fast-check's seed and path and the shrunk plan. 100,000 cases run in
 * `npm run bench -- fuzz`; the crashes found are pinned in onnx-fuzz-regressions.test.ts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fuzzPlanArb, prepareSeeds, runFuzzCase } from '../support/onnx-fuzz/fuzz-case.js';
import { builtSeeds, makeFuzzFolder, realSeeds } from '../support/onnx-fuzz/seeds.js';
import type { FuzzFolder, FuzzSeed } from '../support/onnx-fuzz/seeds.js';
import { describeShared } from '../support/shared.js';

const SEED = Number(process.env.NETSAT_FUZZ_SEED ?? 20261202);
/** 2,000 cases in all; a real model's case reads megabytes (tens of ms), a built one's a few kB (about 2 ms). */
const BUILT_CASES = 1750;
const REAL_CASES = 250;
/** vitest's limit for a whole run of cases, far above its usual seconds: a loaded machine must not fail it. */
const RUN_LIMIT_MS = 600_000;

/** Runs `numRuns` cases on `seeds`; returns how many ended in a network and how many were refused. */
function fuzz(folder: FuzzFolder, seeds: readonly FuzzSeed[], numRuns: number, seed: number): { networks: number; refused: number } {
  const prepared = prepareSeeds(seeds);
  const tally = { networks: 0, refused: 0 };
  fc.assert(
    fc.property(fuzzPlanArb(), (plan) => {
      const outcome = runFuzzCase(prepared, plan, folder);
      if (outcome.failure) throw new Error(`${outcome.failure}\n  seed file: ${prepared[plan.seed % prepared.length]!.name}`);
      if (outcome.result.startsWith('network')) tally.networks++;
      else tally.refused++;
    }),
    { seed, numRuns },
  );
  return tally;
}

describe('ONNX reader fuzz on models built with the writer', () => {
  it(
    `${BUILT_CASES} mutated files end in a network or a typed error, each read under 1 s`,
    () => {
      const seeds = builtSeeds();
      const copies = seeds.map((s) => new Uint8Array(s.bytes));
      const tally = fuzz(makeFuzzFolder(), seeds, BUILT_CASES, SEED);
      // Both ends are reached, so the mutations are neither all fatal nor all harmless.
      expect(tally.networks).toBeGreaterThan(0);
      expect(tally.refused).toBeGreaterThan(0);
      seeds.forEach((s, i) => expect(s.bytes).toEqual(copies[i]));
    },
    RUN_LIMIT_MS,
  );
});

describeShared('ONNX reader fuzz on the real models', () => {
  it(
    `${REAL_CASES} mutated files end in a network or a typed error, each read under 1 s`,
    () => {
      const folder = makeFuzzFolder();
      const tally = fuzz(folder, realSeeds(folder), REAL_CASES, SEED + 1);
      expect(tally.networks).toBeGreaterThan(0);
      expect(tally.refused).toBeGreaterThan(0);
    },
    RUN_LIMIT_MS,
  );
});
