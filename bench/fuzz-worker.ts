/**
 * The fuzz benchmark's worker process: runs one group's cases in [from, to) and reports each as it
 * starts and ends, so the benchmark survives, and records, a case that hangs or exhausts the heap
 * (it kills this process and starts another after that case). A process, not a worker thread: V8
 * aborts the whole process when a thread's heap runs out.
 */
import fc from 'fast-check';
import { fuzzPlanArb, prepareSeeds, runFuzzCase } from '../test/support/onnx-fuzz/fuzz-case.js';
import type { FuzzOutcome, FuzzPlan } from '../test/support/onnx-fuzz/fuzz-case.js';
import { builtSeeds, makeFuzzFolder, realSeeds } from '../test/support/onnx-fuzz/seeds.js';

export interface FuzzTask {
  group: 'built' | 'real';
  /** fast-check's seed: the plans are fc.sample(fuzzPlanArb(), { seed, numRuns: count }). */
  seed: number;
  count: number;
  from: number;
  to: number;
}

export type FuzzMessage = { kind: 'start'; index: number; file: string; plan: FuzzPlan } | { kind: 'done'; index: number; file: string; outcome: FuzzOutcome };

const task = JSON.parse(process.argv[2]!) as FuzzTask;
const send = (m: FuzzMessage) => process.send!(m);
const folder = makeFuzzFolder();
const seeds = prepareSeeds(task.group === 'built' ? builtSeeds() : realSeeds(folder));
const plans = fc.sample(fuzzPlanArb(), { seed: task.seed, numRuns: task.count });
for (let index = task.from; index < task.to; index++) {
  const plan = plans[index]!;
  const file = seeds[plan.seed % seeds.length]!.name;
  send({ kind: 'start', index, file, plan });
  send({ kind: 'done', index, file, outcome: runFuzzCase(seeds, plan, folder) });
}
process.disconnect();
