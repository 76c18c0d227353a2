/**
 * Fuzzing the ONNX reader at scale: 100,000 mutated files (bytes and structure; see
 * test/support/onnx-fuzz/), 75 % from small models built with netsat's writer and 25 % from the
 * real models of ../shared/data/onnx (all built when it is absent). Records, per seed file, the
 * cases run, how many ended in a network (and how many of those the writer refused, typed), the
 * typed errors by class, the failures (an untyped exception, a missing where, a read over 1 s, a
 * network that does not validate) and the read times; overall, the slowest case and each distinct
 * failure with the seed and index that replay it: fc.sample(fuzzPlanArb(), { seed, numRuns: index + 1 })[index].
 * Run: npm run bench -- fuzz (or npx tsx bench/fuzz.bench.ts [cases]).
 */
import { Worker } from 'node:worker_threads';
import type { FuzzOutcome, FuzzPlan } from '../test/support/onnx-fuzz/fuzz-case.js';
import { makeFuzzFolder, realSeeds } from '../test/support/onnx-fuzz/seeds.js';
import type { FuzzMessage, FuzzTask } from './fuzz-worker.js';
import { median, writeResults } from './report.js';
import type { Row } from './report.js';

const CASES = Number(process.argv[2] ?? 100_000);
const SEED = 20_261_202;
const REAL_SHARE = 0.25;
/** A case running longer than this is a hang: its worker is terminated and the next case goes on in a new one. */
const CASE_LIMIT_MS = 30_000;
/** A worker's heap: a case that allocates from a dim dies here instead of taking the machine. */
const WORKER_HEAP_MB = 1024;
/** A worker thread does not inherit tsx's loader, so it registers it before importing the TypeScript worker. */
const WORKER_BOOT = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(new URL('./fuzz-worker.ts', import.meta.url).href)}); });`;
/** Distinct failures listed in the notes, at most. */
const MAX_LISTED = 20;

interface SeedTally {
  cases: number;
  networks: number;
  writeRefused: number;
  errors: Map<string, number>;
  failures: number;
  readMs: number[];
}

interface Slowest {
  ms: number;
  seed: number;
  index: number;
  file: string;
  plan: FuzzPlan;
}

interface Failure {
  first: string;
  seed: number;
  index: number;
  file: string;
  plan: FuzzPlan;
}

const tallies = new Map<string, SeedTally>();
const failures = new Map<string, Failure>();
let slowest: Slowest | undefined;
let done = 0;

function tallyOf(file: string): SeedTally {
  let t = tallies.get(file);
  if (!t) tallies.set(file, (t = { cases: 0, networks: 0, writeRefused: 0, errors: new Map(), failures: 0, readMs: [] }));
  return t;
}

function record(seed: number, index: number, file: string, plan: FuzzPlan, o: FuzzOutcome): void {
  const t = tallyOf(file);
  t.cases++;
  t.readMs.push(o.readMs);
  if (o.result.startsWith('network')) {
    t.networks++;
    if (o.result !== 'network') t.writeRefused++;
  } else t.errors.set(o.result, (t.errors.get(o.result) ?? 0) + 1);
  const ms = o.readMs + o.writeMs;
  if (!slowest || ms > slowest.ms) slowest = { ms, seed, index, file, plan };
  if (o.failure) {
    t.failures++;
    const first = o.failure.split('\n').slice(0, 2).join(' ');
    if (!failures.has(first)) failures.set(first, { first, seed, index, file, plan });
  }
  if (++done % 5000 === 0) {
    console.log(`  ${done} cases, ${failures.size} distinct failures`);
    writeAll();
  }
}

/** Runs a task's cases in a worker from `task.from`; resolves with where to go on: after a case that killed it, or the end. */
function runWorker(task: FuzzTask): Promise<number> {
  return new Promise((resolve) => {
    const worker = new Worker(WORKER_BOOT, { eval: true, workerData: task, resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
    let current: { index: number; file: string; plan: FuzzPlan } | undefined;
    let death: string | undefined;
    let timer: NodeJS.Timeout | undefined;
    worker.on('message', (m: FuzzMessage) => {
      clearTimeout(timer);
      if (m.kind === 'done') {
        record(task.seed, m.index, m.file, current!.plan, m.outcome);
        current = undefined;
        return;
      }
      current = m;
      timer = setTimeout(() => {
        death = `the case ran over ${CASE_LIMIT_MS / 1000} s (a hang)`;
        void worker.terminate();
      }, CASE_LIMIT_MS);
    });
    worker.on('error', (e) => {
      death ??= `the case killed its worker: ${e.message}`;
    });
    worker.on('exit', () => {
      clearTimeout(timer);
      if (!current) {
        if (death) console.log(`  a worker failed before its first case: ${death}`);
        return resolve(task.count);
      }
      record(task.seed, current.index, current.file, current.plan, { result: 'killed', failure: death ?? 'the worker exited', readMs: CASE_LIMIT_MS, writeMs: 0 });
      resolve(current.index + 1);
    });
  });
}

/** Runs `count` cases of one fast-check seed, a worker at a time. */
async function runGroup(group: FuzzTask['group'], count: number, seed: number): Promise<void> {
  let from = 0;
  while (from < count) from = await runWorker({ group, seed, count, from });
}

function rows(): Row[] {
  const classes = [...new Set([...tallies.values()].flatMap((t) => [...t.errors.keys()]))].sort();
  const row = (file: string, t: SeedTally): Row => ({
    seed: file,
    cases: t.cases,
    network: t.networks,
    'write refused': t.writeRefused,
    ...Object.fromEntries(classes.map((c) => [c, t.errors.get(c) ?? 0])),
    failures: t.failures,
    'median read ms': t.readMs.length ? median(t.readMs) : null,
    'max read ms': t.readMs.length ? Math.max(...t.readMs) : null,
  });
  const all: SeedTally = { cases: 0, networks: 0, writeRefused: 0, errors: new Map(), failures: 0, readMs: [] };
  for (const t of tallies.values()) {
    all.cases += t.cases;
    all.networks += t.networks;
    all.writeRefused += t.writeRefused;
    all.failures += t.failures;
    for (const [c, n] of t.errors) all.errors.set(c, (all.errors.get(c) ?? 0) + n);
    all.readMs.push(...t.readMs);
  }
  return [...[...tallies].map(([f, t]) => row(f, t)), row('all', all)];
}

function notes(): string {
  const replay = (f: { seed: number; index: number; file: string; plan: FuzzPlan }) =>
    `seed file ${f.file}, fast-check seed ${f.seed}, index ${f.index}: \`${JSON.stringify(f.plan)}\``;
  const listed = [...failures.values()].slice(0, MAX_LISTED).map((f) => `- ${f.first}\n  (${replay(f)})`);
  return [
    `${done} cases. A case is a seed file mutated by structure steps (re-encoded) and/or byte steps; it passes when readOnnx returns a network that validates and writes (or a typed writer refusal) or throws a NetsatError with what and where, within 1 s.`,
    slowest ? `Slowest case (read + validate + write): ${slowest.ms.toFixed(1)} ms, ${replay(slowest)}.` : '',
    failures.size ? `Distinct failures (${failures.size}):\n\n${listed.join('\n')}` : 'No failures.',
  ]
    .filter(Boolean)
    .join('\n\n');
}

function writeAll(): void {
  writeResults('fuzz', 'ONNX reader fuzz', rows(), { notes: notes(), data: { cases: done, failures: [...failures.values()], slowest } });
}

const realCases = realSeeds(makeFuzzFolder()).length ? Math.round(CASES * REAL_SHARE) : 0;
const start = performance.now();
console.log(`built seeds: ${CASES - realCases} cases`);
await runGroup('built', CASES - realCases, SEED);
if (realCases) {
  console.log(`real seeds: ${realCases} cases`);
  await runGroup('real', realCases, SEED + 1);
}
console.log(`${done} cases in ${((performance.now() - start) / 1000).toFixed(0)} s, ${failures.size} distinct failures`);
writeAll();
