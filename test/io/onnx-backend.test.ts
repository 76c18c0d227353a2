/**
 * ONNX's own backend tests (Debian's libonnx-testdata, ONNX 1.12) through netsat: of the tests
 * onnxruntime passes, netsat imports, round-trips and optimizes what it can to the expected outputs.
 * A ratchet, not a target: test/fixtures/onnx-backend/passing.json lists the tests that pass each
 * stage (and optimizedChecked: optimized with optimize's own check on), and one that passed and fails
 * now fails this suite with its reason. New passes are printed;
 * `NETSAT_BACKEND_RATCHET=update` adds them to the list (it never drops a test, so a regression cannot
 * be recorded away; dropping one is an edit of the file, visible in review). Every stage runs on
 * every test: about 45 s on 2 cores at 580 imported tests.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, expect, it } from 'vitest';
import { describeBackendSuite } from '../support/describe-backend-suite.js';
import { BACKEND_DATA_DIR } from '../support/onnx-backend-data.js';
import { backendSummary, listBackendTests, passed, RATCHETS, runBackendCase, STAGES } from '../support/onnx-backend-suite.js';
import type { BackendOutcome, RatchetKey } from '../support/onnx-backend-suite.js';

const PASSING = fileURLToPath(new URL('../fixtures/onnx-backend/passing.json', import.meta.url));
const UPDATE = process.env['NETSAT_BACKEND_RATCHET'] === 'update';
type Ratchet = Record<RatchetKey, string[]>;

function readRatchet(): Ratchet {
  const listed = JSON.parse(readFileSync(PASSING, 'utf8')) as Partial<Ratchet>;
  return Object.fromEntries(RATCHETS.map((s) => [s, listed[s] ?? []])) as Ratchet;
}

function whyNot(outcome: BackendOutcome | undefined, key: RatchetKey): string {
  if (!outcome) return 'the test is no longer in the suite';
  const failed = STAGES.map((s) => outcome.stages[s]).find((s) => s && !s.ok);
  if (failed && !failed.ok) return failed.reason;
  const optimized = outcome.stages.optimized;
  return optimized?.ok && optimized.note ? optimized.note : `${key} did not run`;
}

describeBackendSuite("ONNX's backend tests through netsat", () => {
  const outcomes = new Map<string, BackendOutcome>();
  const ratchet = readRatchet();

  beforeAll(async () => {
    for (const test of listBackendTests(BACKEND_DATA_DIR!)) outcomes.set(test.name, await runBackendCase(test));
    console.log(`ONNX backend suite: ${backendSummary([...outcomes.values()])}`);
  }, 20 * 60_000);

  it.each(RATCHETS)('every test that passed %s before passes it now', (key) => {
    const lost = ratchet[key].filter((name) => !passed(outcomes.get(name), key));
    expect(lost.map((name) => `${name}: ${whyNot(outcomes.get(name), key)}`)).toEqual([]);
  });

  it('reports the tests that pass a stage for the first time', () => {
    const gained = RATCHETS.map((key) => {
      const before = new Set(ratchet[key]);
      return [key, [...outcomes.values()].filter((o) => passed(o, key) && !before.has(o.name)).map((o) => o.name)] as const;
    });
    const count = gained.reduce((n, [, names]) => n + names.length, 0);
    if (count === 0) return;
    console.log(`new passes: ${gained.map(([key, names]) => `${key} +${names.length}`).join(', ')}`);
    if (!UPDATE) console.log('record them in test/fixtures/onnx-backend/passing.json with NETSAT_BACKEND_RATCHET=update');
    else writeFileSync(PASSING, `${JSON.stringify(Object.fromEntries(gained.map(([key, names]) => [key, [...ratchet[key], ...names].sort()])), null, 2)}\n`);
  });
});
