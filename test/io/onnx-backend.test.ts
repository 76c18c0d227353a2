/**
 * ONNX's own backend tests (Debian's libonnx-testdata, ONNX 1.12) through netsat: of the tests
 * onnxruntime passes, netsat imports, round-trips and optimizes what it can to the expected outputs.
 * A ratchet, not a target: test/fixtures/onnx-backend/passing.json lists the tests that pass each
 * stage, and one that passed and fails now fails this suite with its reason. New passes are printed;
 * `NETSAT_BACKEND_RATCHET=update` adds them to the list (it never drops a test, so a regression cannot
 * be recorded away; dropping one is an edit of the file, visible in review). Every stage runs on
 * every test: about 45 s on 2 cores at 580 imported tests.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, expect, it } from 'vitest';
import { describeBackendSuite } from '../support/describe-backend-suite.js';
import { BACKEND_DATA_DIR } from '../support/onnx-backend-data.js';
import { backendSummary, listBackendTests, passed, runBackendCase, STAGES } from '../support/onnx-backend-suite.js';
import type { BackendOutcome, Stage } from '../support/onnx-backend-suite.js';

const PASSING = fileURLToPath(new URL('../fixtures/onnx-backend/passing.json', import.meta.url));
const UPDATE = process.env['NETSAT_BACKEND_RATCHET'] === 'update';
type Ratchet = Record<Stage, string[]>;

function readRatchet(): Ratchet {
  const listed = JSON.parse(readFileSync(PASSING, 'utf8')) as Partial<Ratchet>;
  return Object.fromEntries(STAGES.map((s) => [s, listed[s] ?? []])) as Ratchet;
}

function whyNot(outcome: BackendOutcome | undefined, stage: Stage): string {
  if (!outcome) return 'the test is no longer in the suite';
  const failed = STAGES.map((s) => outcome.stages[s]).find((s) => s && !s.ok);
  return failed && !failed.ok ? failed.reason : `stage ${stage} did not run`;
}

describeBackendSuite("ONNX's backend tests through netsat", () => {
  const outcomes = new Map<string, BackendOutcome>();
  const ratchet = readRatchet();

  beforeAll(async () => {
    for (const test of listBackendTests(BACKEND_DATA_DIR!)) outcomes.set(test.name, await runBackendCase(test));
    console.log(`ONNX backend suite: ${backendSummary([...outcomes.values()])}`);
  }, 20 * 60_000);

  it.each(STAGES)('every test that passed stage %s before passes it now', (stage) => {
    const lost = ratchet[stage].filter((name) => !passed(outcomes.get(name), stage));
    expect(lost.map((name) => `${name}: ${whyNot(outcomes.get(name), stage)}`)).toEqual([]);
  });

  it('reports the tests that pass a stage for the first time', () => {
    const gained = STAGES.map((stage) => {
      const before = new Set(ratchet[stage]);
      return [stage, [...outcomes.values()].filter((o) => passed(o, stage) && !before.has(o.name)).map((o) => o.name)] as const;
    });
    const count = gained.reduce((n, [, names]) => n + names.length, 0);
    if (count === 0) return;
    console.log(`new passes: ${gained.map(([stage, names]) => `${stage} +${names.length}`).join(', ')}`);
    if (!UPDATE) console.log('record them in test/fixtures/onnx-backend/passing.json with NETSAT_BACKEND_RATCHET=update');
    else writeFileSync(PASSING, `${JSON.stringify(Object.fromEntries(gained.map(([stage, names]) => [stage, [...ratchet[stage], ...names].sort()])), null, 2)}\n`);
  });
});
