/**
 * ONNX's backend test suite (Debian's libonnx-testdata, ONNX 1.12) through netsat: how many tests
 * onnxruntime passes, and of those how many netsat imports, round-trips and optimizes to the expected
 * outputs, with the refusals of each stage grouped by reason. Writes onnx-backend.{json,md}; the JSON also holds
 * each test's outcome. Run with `npm run bench -- onnx-backend`.
 */
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { BACKEND_DATA_DIR, BACKEND_DATA_ENV } from '../test/support/onnx-backend-data.js';
import { backendSummary, listBackendTests, refusals, runBackendCase, STAGES } from '../test/support/onnx-backend-suite.js';
import type { BackendOutcome } from '../test/support/onnx-backend-suite.js';
import { writeResults } from './report.js';
import type { Row } from './report.js';

/** The commit measured, and whether src/ or rules/ differed from it: the figures belong to a state of the code. */
function measuredCommit(): string {
  const git = (...args: string[]) => spawnSync('git', args, { encoding: 'utf8' }).stdout?.trim() ?? '';
  const commit = git('rev-parse', '--short', 'HEAD') || 'an unknown commit';
  return git('status', '--porcelain', '--', 'src', 'rules') ? `${commit} with uncommitted changes to src/ or rules/` : commit;
}

if (!BACKEND_DATA_DIR) {
  console.log(`skipped: ONNX's backend test data are missing (apt-get install libonnx-testdata, or set ${BACKEND_DATA_ENV})`);
  process.exit(0);
}

const tests = listBackendTests(BACKEND_DATA_DIR);
const outcomes: BackendOutcome[] = [];
const start = performance.now();
for (const test of tests) outcomes.push(await runBackendCase(test));
const seconds = (performance.now() - start) / 1000;

const summary = backendSummary(outcomes);
console.log(summary);
// Passes with a note (optimized with optimize's own check off) are listed after the refusals.
const grouped = (notes: boolean) => STAGES.flatMap((stage) => refusals(outcomes, stage, notes).map(([reason, count]) => ({ stage, passed: notes, reason, count })));
const rows: Row[] = [...grouped(false), ...grouped(true)].map((r) => ({ ...r, reason: r.reason.replaceAll('|', '\\|') }));
writeResults('onnx-backend', "ONNX's backend test suite through netsat", rows, {
  notes: [
    `${tests.length} tests (ONNX 1.12: node, pytorch-converted, pytorch-operator, simple), at ${measuredCommit()}; every stage on every test in ${seconds.toFixed(0)} s.`,
    `${summary}.`,
    "Each stage runs only where the one before passed: ort = onnxruntime runs the original to the expected outputs (rtol 1e-3, atol 1e-7); imported = readOnnx takes it; roundTrip = writeOnnx (target onnx) runs to the expected outputs; optimized = optimize() with defaults, its check on the test's own inputs (as --verify-inputs test_data_set_0 ...), written with target ort, runs to them; a pass whose check failed and that ran with the check off carries a note.",
    'Refusals by stage, grouped by reason (names of nodes and tensors taken out); rows with passed = true are passes with a note, grouped the same way:',
  ].join('\n\n'),
  data: { seconds, outcomes },
});
