/**
 * Soundness at scale: 10,000 random networks of every op family (test/support/random-block-network.ts)
 * optimized with all shipped rules and the default limits, each judged as in
 * test/e2e/soundness.property.test.ts: verified independently, or a typed error. Records wrong
 * results, untyped errors, typed errors by class, op-family coverage, the rules that fired and the
 * time. A healed result is right, but its culprits are rules that do not hold: those are tallied
 * too. Every case not simply verified (a typed error on these valid networks is a bug too) is
 * shrunk by fast-check to a small network, written to soundness-failures/ beside the results (bench/out/, or bench/results/ when recording) to become
 * a fixture.
 * Run: npx tsx bench/soundness.bench.ts [cases]
 */
import fc from 'fast-check';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { BLOCK_FAMILIES, blockNetworkRecipeArb, buildBlockNetwork } from '../test/support/random-block-network.js';
import type { BlockNetworkRecipe } from '../test/support/random-block-network.js';
import { describeOutcome, soundnessCase } from '../test/support/soundness-case.js';
import type { SoundnessOutcome } from '../test/support/soundness-case.js';
import { markdownTable, median, RESULTS_DIR, writeResults } from './report.js';
import type { Row } from './report.js';

const CASES = Number(process.argv[2] ?? 10_000);
const SEED = 20_261_202;
/** Failures of one kind (see outcomeKey) are shrunk once, up to this many kinds. */
const MAX_SHRUNK = 20;

interface Tally {
  outcomes: Map<string, number>;
  typedByClass: Map<string, number>;
  culprits: Map<string, number>;
  familyBlocks: Map<string, number>;
  familyNetworks: Map<string, number>;
  rulesFired: Map<string, number>;
  symbolic: { batch: number; seq: number };
  ms: number[];
  layers: number[];
  failures: { index: number; key: string; outcome: string }[];
}

const bump = (m: Map<string, number>, k: string, by = 1) => m.set(k, (m.get(k) ?? 0) + by);

function record(t: Tally, index: number, recipe: BlockNetworkRecipe, outcome: SoundnessOutcome, ms: number, layers: number): void {
  bump(t.outcomes, outcome.kind);
  if (outcome.kind === 'typed') bump(t.typedByClass, outcome.errorClass);
  if (outcome.kind === 'healed') for (const c of outcome.culprits) bump(t.culprits, c);
  if (outcome.kind !== 'verified') t.failures.push({ index, key: outcomeKey(outcome), outcome: describeOutcome(outcome) });
  if ('report' in outcome) for (const r of outcome.report.rules) if (r.applied > 0) bump(t.rulesFired, r.name);
  for (const b of recipe.blocks) bump(t.familyBlocks, b.family);
  for (const f of new Set(recipe.blocks.map((b) => b.family))) bump(t.familyNetworks, f);
  if (typeof recipe.batch === 'string') t.symbolic.batch++;
  if (typeof recipe.seq === 'string') t.symbolic.seq++;
  t.ms.push(ms);
  t.layers.push(layers);
}

/** Runs every case through one fast-check run (so case i can be replayed by its path) and tallies. */
async function runAll(): Promise<Tally> {
  const t: Tally = {
    outcomes: new Map(),
    typedByClass: new Map(),
    culprits: new Map(),
    familyBlocks: new Map(),
    familyNetworks: new Map(),
    rulesFired: new Map(),
    symbolic: { batch: 0, seq: 0 },
    ms: [],
    layers: [],
    failures: [],
  };
  let index = 0;
  const property = fc.asyncProperty(blockNetworkRecipeArb(), async (recipe) => {
    const network = buildBlockNetwork(recipe);
    const t0 = performance.now();
    const outcome = await soundnessCase(network);
    record(t, index, recipe, outcome, performance.now() - t0, network.layers.length);
    if (++index % 500 === 0) console.log(`${index} cases: ${JSON.stringify(Object.fromEntries(t.outcomes))}`);
  });
  await fc.check(property, { seed: SEED, numRuns: CASES });
  return t;
}

/** What a shrunk case must keep: its kind, with the error class or healing's culprits. */
function outcomeKey(o: SoundnessOutcome): string {
  if (o.kind === 'typed' || o.kind === 'untyped') return `${o.kind} ${o.errorClass}`;
  return o.kind === 'healed' ? `healed ${o.culprits.join(' ')}` : o.kind;
}

/** Case `index` shrunk by fast-check to the smallest recipe that still ends the same way. */
async function shrink(index: number, key: string): Promise<{ recipe: BlockNetworkRecipe; outcome: string }> {
  const property = fc.asyncProperty(blockNetworkRecipeArb(), async (recipe) => outcomeKey(await soundnessCase(buildBlockNetwork(recipe))) !== key);
  const details = await fc.check(property, { seed: SEED, numRuns: CASES, path: String(index) });
  const recipe = details.counterexample![0];
  return { recipe, outcome: describeOutcome(await soundnessCase(buildBlockNetwork(recipe))) };
}

/** The failures' shrunk networks, one per distinct outcome key, as JSON files to turn into fixtures. */
async function writeFailures(t: Tally): Promise<Row[]> {
  const dir = join(RESULTS_DIR, 'soundness-failures');
  // Only this run's failures: an earlier run's files would read as still open.
  rmSync(dir, { recursive: true, force: true });
  const seen = new Set<string>();
  const rows: Row[] = [];
  for (const f of t.failures) {
    if (seen.has(f.key) || seen.size >= MAX_SHRUNK) continue;
    seen.add(f.key);
    const small = await shrink(f.index, f.key);
    const network = buildBlockNetwork(small.recipe);
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `case-${f.index}.json`);
    writeFileSync(file, `${JSON.stringify({ case: f.index, outcome: small.outcome, recipe: small.recipe, network: network.toJSON() }, null, 2)}\n`);
    rows.push({ case: f.index, layers: network.layers.length, outcome: small.outcome, file: `soundness-failures/case-${f.index}.json` });
    console.log(`case ${f.index} shrunk to ${network.layers.length} layers: ${small.outcome}`);
  }
  return rows;
}

/** The failures found so far and what fixed them: the fixtures' own account (test/fixtures/soundness). */
function fixtureRows(): Row[] {
  const dir = join(dirname(RESULTS_DIR), '..', 'test', 'fixtures', 'soundness');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      const { found, pending } = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { found: string; pending?: string };
      return { fixture: file, found, pending: pending ?? '' };
    });
}

const t0 = performance.now();
const t = await runAll();
const seconds = (performance.now() - t0) / 1000;
const shrunk = await writeFailures(t);

const count = (k: string) => t.outcomes.get(k) ?? 0;
const sorted = [...t.ms].sort((a, b) => a - b);
const rows: Row[] = [
  {
    cases: CASES,
    verified: count('verified'),
    healed: count('healed'),
    'wrong results': count('wrong'),
    'untyped errors': count('untyped'),
    'typed errors': count('typed'),
    'batch symbolic': t.symbolic.batch,
    'seq symbolic': t.symbolic.seq,
    'median layers': median(t.layers),
    'median ms': Math.round(median(t.ms)),
    'p99 ms': Math.round(sorted[Math.floor(sorted.length * 0.99)] ?? 0),
    'total s': Math.round(seconds),
  },
];
const table = (m: Map<string, number>, key: string, value: string) => markdownTable([...m].sort((a, b) => b[1] - a[1]).map(([k, v]) => ({ [key]: k, [value]: v })));
const families = BLOCK_FAMILIES.map((f) => ({ family: f, blocks: t.familyBlocks.get(f) ?? 0, networks: t.familyNetworks.get(f) ?? 0 }));
const byClass = [...t.typedByClass].map(([c, n]) => `${n} ${c}`).join(', ');
const healedBy = [...t.culprits].map(([r, n]) => `${r} (${n})`).join(', ');
const summary =
  `**${CASES} networks: ${count('wrong')} wrong results, ${count('untyped')} untyped errors, ${count('typed')} typed errors${byClass ? ` (${byClass})` : ''}, ` +
  `${count('healed')} healed${healedBy ? ` without ${healedBy}` : ''}; ${Math.round(seconds)} s.**`;
const notes = [
  summary,
  `Seed ${SEED}; every shipped rule file, default limits and options of \`optimize()\`; each result checked by verifyEquivalent on seeds 11-13 with (batch, seq) = (2, 3), (3, 2), (2, 5).`,
  `## Typed errors by class\n\n${t.typedByClass.size ? table(t.typedByClass, 'class', 'cases') : '(none)\n'}`,
  `## Rules healing left out (cases)\n\n${t.culprits.size ? table(t.culprits, 'rule', 'cases') : '(none)\n'}`,
  `## Cases not simply verified, shrunk (one per kind of outcome)\n\n${shrunk.length ? markdownTable(shrunk) : '(none)\n'}`,
  `## Op-family coverage\n\n${markdownTable(families)}`,
  `## Rules that fired (cases in which each applied)\n\n${table(t.rulesFired, 'rule', 'cases')}`,
  `## Failures found so far, each a fixture (test/e2e/soundness-fixtures.test.ts)\n\nWhat the property found while the rules and the matcher were being fixed, shrunk; every fixture must verify with healing off.\n\n${markdownTable(fixtureRows())}`,
  '## Totals',
].join('\n\n');
writeResults('soundness', `Soundness: ${CASES} random networks through optimize()`, rows, {
  notes,
  data: {
    seed: SEED,
    outcomes: Object.fromEntries(t.outcomes),
    typedByClass: Object.fromEntries(t.typedByClass),
    culprits: Object.fromEntries(t.culprits),
    families,
    rulesFired: Object.fromEntries(t.rulesFired),
    failures: t.failures.map((f) => ({ case: f.index, outcome: f.outcome })),
    shrunk,
  },
});
console.log(JSON.stringify(rows[0]));
