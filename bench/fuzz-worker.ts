/**
 * The fuzz benchmark's worker thread: runs one group's cases from a given index and reports each
 * as it starts and ends, so the main thread survives, and records, a case that hangs or exhausts
 * the heap (it terminates this worker and starts another after that case).
 */
import fc from 'fast-check';
import { parentPort, workerData } from 'node:worker_threads';
import { fuzzPlanArb, prepareSeeds, runFuzzCase } from '../test/support/onnx-fuzz/fuzz-case.js';
import type { FuzzOutcome, FuzzPlan } from '../test/support/onnx-fuzz/fuzz-case.js';
import { builtSeeds, makeFuzzFolder, realSeeds } from '../test/support/onnx-fuzz/seeds.js';

export interface FuzzTask {
  group: 'built' | 'real';
  /** fast-check's seed: the plans are fc.sample(fuzzPlanArb(), { seed, numRuns: count }). */
  seed: number;
  count: number;
  from: number;
}

export type FuzzMessage = { kind: 'start'; index: number; file: string; plan: FuzzPlan } | { kind: 'done'; index: number; file: string; outcome: FuzzOutcome };

const task = workerData as FuzzTask;
const folder = makeFuzzFolder();
const seeds = prepareSeeds(task.group === 'built' ? builtSeeds() : realSeeds(folder));
const plans = fc.sample(fuzzPlanArb(), { seed: task.seed, numRuns: task.count });
for (let index = task.from; index < task.count; index++) {
  const plan = plans[index]!;
  const file = seeds[plan.seed % seeds.length]!.name;
  parentPort!.postMessage({ kind: 'start', index, file, plan } satisfies FuzzMessage);
  parentPort!.postMessage({ kind: 'done', index, file, outcome: runFuzzCase(seeds, plan, folder) } satisfies FuzzMessage);
}
