/**
 * Fuzzing the ONNX reader at scale: 100,000 mutated files (bytes and structure; see
 * test/support/onnx-fuzz/), 75 % from small models built with netsat's writer and 25 % from the
 * real models of ../shared/data/onnx (all built when it is absent). Records, per seed file, the
 * cases run, how many ended in a network (and how many of those the writer refused, typed), the
 * typed errors by class, the failures (an untyped exception, a missing where, a read over 1 s, a
 * network that does not validate) and the read times; overall, the slowest case and each distinct
 * failure with the seed and index that replay it: fc.sample(fuzzPlanArb(), { seed, numRuns: index + 1 })[index].
 * Each case runs in a worker process (bench/fuzz-worker.ts), so a hang or heap exhaustion is recorded, not fatal.
 * Run: npm run bench -- fuzz (or npx tsx bench/fuzz.bench.ts [cases]).
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FuzzOutcome, FuzzPlan } from '../test/support/onnx-fuzz/fuzz-case.js';
import { makeFuzzFolder, realSeeds } from '../test/support/onnx-fuzz/seeds.js';
import type { FuzzMessage, FuzzTask } from './fuzz-worker.js';
import { median, writeResults } from './report.js';
import type { Row } from './report.js';

const CASES = Number(process.argv[2] ?? 100_000);
const SEED = 20_261_202;
const REAL_SHARE = 0.25;
/** A case running longer than this is a hang: its worker is terminated and the next case goes on in a new one. */
const CASE_LIMIT_MS = 10_000;
/** A worker's heap: a case that allocates from a dim dies here instead of taking the machine. */
const WORKER_HEAP_MB = 1024;
const WORKER = fileURLToPath(new URL('./fuzz-worker.ts', import.meta.url));
/** Rounds of the run; each runs a share of both groups. */
const CHUNKS = 20;
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
    const worker = fork(WORKER, [JSON.stringify(task)], { execArgv: ['--import', 'tsx', `--max-old-space-size=${WORKER_HEAP_MB}`], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
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
        worker.kill('SIGKILL');
      }, CASE_LIMIT_MS);
    });
    let stderr = '';
    worker.stderr?.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-2000);
    });
    worker.on('exit', (code, signal) => {
      if (code !== 0 && !death) death = `the case killed its worker (${signal ?? `exit ${code}`}): ${/FATAL ERROR: .*/.exec(stderr)?.[0] ?? 'no message'}`;
      clearTimeout(timer);
      if (!current) {
        if (death) console.log(`  a worker failed before its first case: ${death}`);
        return resolve(task.to);
      }
      record(task.seed, current.index, current.file, current.plan, { result: 'killed', failure: death ?? 'the worker exited', readMs: CASE_LIMIT_MS, writeMs: 0 });
      resolve(current.index + 1);
    });
  });
}

/** Runs cases [from, to) of one group's `count`, a worker process at a time. */
async function runRange(group: FuzzTask['group'], count: number, seed: number, from: number, to: number): Promise<void> {
  while (from < to) from = await runWorker({ group, seed, count, from, to });
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
const builtCases = CASES - realCases;
console.log(`${builtCases} cases on built seeds, ${realCases} on real ones, in ${CHUNKS} rounds`);
// Rounds alternate the groups, so the figures written every 5,000 cases cover both.
for (let k = 0; k < CHUNKS; k++) {
  const round = (n: number): [number, number] => [Math.floor((n * k) / CHUNKS), Math.floor((n * (k + 1)) / CHUNKS)];
  await runRange('built', builtCases, SEED, ...round(builtCases));
  if (realCases) await runRange('real', realCases, SEED + 1, ...round(realCases));
}
console.log(`${done} cases in ${((performance.now() - start) / 1000).toFixed(0)} s, ${failures.size} distinct failures`);
writeAll();
