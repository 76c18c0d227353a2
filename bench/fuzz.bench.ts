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
import fc from 'fast-check';
import { fuzzPlanArb, prepareSeeds, runFuzzCase } from '../test/support/onnx-fuzz/fuzz-case.js';
import type { FuzzPlan, PreparedSeed } from '../test/support/onnx-fuzz/fuzz-case.js';
import { builtSeeds, makeFuzzFolder, realSeeds } from '../test/support/onnx-fuzz/seeds.js';
import type { FuzzFolder } from '../test/support/onnx-fuzz/seeds.js';
import { median, writeResults } from './report.js';
import type { Row } from './report.js';

const CASES = Number(process.argv[2] ?? 100_000);
const SEED = 20_261_202;
const REAL_SHARE = 0.25;
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

function tallyOf(file: string): SeedTally {
  let t = tallies.get(file);
  if (!t) tallies.set(file, (t = { cases: 0, networks: 0, writeRefused: 0, errors: new Map(), failures: 0, readMs: [] }));
  return t;
}

/** Runs `count` cases of one fast-check seed on `seeds`, tallying per seed file. */
function runGroup(seeds: readonly PreparedSeed[], count: number, seed: number, folder: FuzzFolder): void {
  const plans = fc.sample(fuzzPlanArb(), { seed, numRuns: count });
  plans.forEach((plan, index) => {
    const file = seeds[plan.seed % seeds.length]!.name;
    const o = runFuzzCase(seeds, plan, folder);
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
    if ((index + 1) % 5000 === 0) console.log(`  ${index + 1} / ${count} cases (fast-check seed ${seed}), ${failures.size} distinct failures`);
  });
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
    `${CASES} cases. A case is a seed file mutated by structure steps (re-encoded) and/or byte steps; it passes when readOnnx returns a network that validates and writes (or a typed writer refusal) or throws a NetsatError with what and where, within 1 s.`,
    slowest ? `Slowest case (read + validate + write): ${slowest.ms.toFixed(1)} ms, ${replay(slowest)}.` : '',
    failures.size ? `Distinct failures (${failures.size}):\n\n${listed.join('\n')}` : 'No failures.',
  ]
    .filter(Boolean)
    .join('\n\n');
}

const folder = makeFuzzFolder();
const real = prepareSeeds(realSeeds(folder));
const realCases = real.length ? Math.round(CASES * REAL_SHARE) : 0;
const start = performance.now();
console.log(`built seeds: ${CASES - realCases} cases`);
runGroup(prepareSeeds(builtSeeds()), CASES - realCases, SEED, folder);
if (realCases) {
  console.log(`real seeds: ${realCases} cases`);
  runGroup(real, realCases, SEED + 1, folder);
}
console.log(`${CASES} cases in ${((performance.now() - start) / 1000).toFixed(0)} s, ${failures.size} distinct failures`);
writeResults('fuzz', 'ONNX reader fuzz', rows(), { notes: notes(), data: { cases: CASES, failures: [...failures.values()], slowest } });
