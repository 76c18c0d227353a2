/**
 * ONNX's backend tests as netsat's users meet them: each test is a model with inputs and expected
 * outputs. A test goes through four stages, each only where the one before passed:
 * - ort: onnxruntime runs the original model to the expected outputs (else the test says nothing about netsat);
 * - imported: readOnnx takes the model;
 * - roundTrip: writeOnnx writes it back (the model's opset, standard ops) and onnxruntime runs that to the expected outputs;
 * - optimized: optimize() with its defaults, checked on the test's own inputs (as `netsat optimize --verify-inputs
 *   test_data_set_0 ...` checks) and written as `netsat optimize` writes (target 'ort'), runs to the expected outputs.
 * A failure's reason is the first line of the error (or of the mismatch).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as ort from 'onnxruntime-node';
import { readOnnx } from '../../src/io/onnx/decode.js';
import { writeOnnx } from '../../src/io/onnx/export.js';
import type { OnnxOrigin } from '../../src/io/onnx/origin.js';
import { createSession } from '../../src/io/onnx/verify-ort.js';
import type { Network } from '../../src/network/network.js';
import { readInputSets } from '../../src/io/onnx/input-sets.js';
import { optimize } from '../../src/optimize.js';
import type { RuleFile } from '../../src/rules/ast.js';
import { shippedRuleFiles } from '../../src/rules/library.js';
import { outputMismatch } from './backend-compare.js';
import { readTensorProto, tensorProtoToOrt } from './tensor-proto-ort.js';

/** The suite's folders: ONNX's node tests, the PyTorch-exported models and operators, and simple models. */
export const BACKEND_CATEGORIES = ['node', 'pytorch-converted', 'pytorch-operator', 'simple'] as const;

export const STAGES = ['ort', 'imported', 'roundTrip', 'optimized'] as const;
export type Stage = (typeof STAGES)[number];

export interface BackendTest {
  /** `<category>/<test>`, e.g. `node/test_abs`. */
  readonly name: string;
  readonly dir: string;
}

/** One test_data_set_N folder: the inputs fed by graph input name and the outputs expected by name. */
interface DataSet {
  readonly feeds: Record<string, ort.Tensor>;
  readonly expected: Record<string, ort.Tensor>;
}

/** A stage's result; a pass may carry a note (how it passed), a failure always says why. */
export type StageOutcome = { readonly ok: true; readonly note?: string } | { readonly ok: false; readonly reason: string };

export interface BackendOutcome {
  readonly name: string;
  /** The stages reached, in order; the last one that is not ok is where the test stopped. */
  readonly stages: Partial<Record<Stage, StageOutcome>>;
}

/** Every test of the suite under `dataDir`, sorted by name. */
export function listBackendTests(dataDir: string): BackendTest[] {
  return BACKEND_CATEGORIES.flatMap((category) => {
    const root = join(dataDir, category);
    if (!existsSync(root)) return [];
    return readdirSync(root)
      .filter((test) => existsSync(join(root, test, 'model.onnx')))
      .map((test) => ({ name: `${category}/${test}`, dir: join(root, test) }));
  }).sort((a, b) => a.name.localeCompare(b.name));
}

/** The protos of `prefix`_0.pb, _1.pb, ... in `dir`, in index order. */
function numberedProtos(dir: string, prefix: string) {
  const files = readdirSync(dir).filter((f) => f.startsWith(`${prefix}_`) && f.endsWith('.pb'));
  const index = (f: string) => Number(f.slice(prefix.length + 1, -3));
  return files.sort((a, b) => index(a) - index(b)).map((f) => readTensorProto(readFileSync(join(dir, f))));
}

/** A proto's name where it names one of `names`, else the name in its position (older tests leave names empty). */
function named(protos: ReturnType<typeof numberedProtos>, names: readonly string[]): Record<string, ort.Tensor> {
  return Object.fromEntries(protos.map((p, i) => [names.includes(p.name) ? p.name : names[i]!, tensorProtoToOrt(p)]));
}

/** The test's test_data_set_N folders, in order. */
function dataSetDirs(test: BackendTest): string[] {
  return readdirSync(test.dir)
    .filter((f) => f.startsWith('test_data_set_'))
    .sort()
    .map((f) => join(test.dir, f));
}

/** The test's data sets, named after the session's inputs and outputs. */
function dataSets(test: BackendTest, session: ort.InferenceSession): DataSet[] {
  // Sequence and optional values have no form in onnxruntime-node's API, so such tests cannot run here.
  const opaque = [...session.inputMetadata, ...session.outputMetadata].find((m) => !m.isTensor);
  if (opaque) throw new Error(`"${opaque.name}" is a sequence, map or optional value, which onnxruntime-node cannot feed or fetch`);
  return dataSetDirs(test).map((dir) => ({ feeds: named(numberedProtos(dir, 'input'), session.inputNames), expected: named(numberedProtos(dir, 'output'), session.outputNames) }));
}

const firstLine = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0]!;

/** Runs `session` on every data set: undefined when all outputs match, else why not. */
async function mismatch(session: ort.InferenceSession, sets: readonly DataSet[]): Promise<string | undefined> {
  for (const set of sets) {
    const missing = session.inputNames.find((n) => !set.feeds[n]);
    if (missing) return `input ${missing} is not one the original model reads`;
    const actual = await session.run(Object.fromEntries(session.inputNames.map((n) => [n, set.feeds[n]!])));
    for (const [name, expected] of Object.entries(set.expected)) {
      const why = outputMismatch(name, expected, actual[name]);
      if (why) return why;
    }
  }
  return undefined;
}

/** Loads `model` in onnxruntime and runs it on the data sets, which `sets` may make from the session (the original's input and output names). */
async function runStage(model: Uint8Array, sets: (session: ort.InferenceSession) => readonly DataSet[]): Promise<StageOutcome> {
  let session: ort.InferenceSession | undefined;
  try {
    session = await createSession(model);
    const why = await mismatch(session, sets(session));
    return why ? { ok: false, reason: why } : { ok: true };
  } catch (e) {
    return { ok: false, reason: firstLine(e) };
  } finally {
    await session?.release();
  }
}

/** Runs `step` as a stage: an exception is a failure with the error's first line as the reason. */
async function attempt<T>(step: () => T | Promise<T>): Promise<{ value: T } | { failure: StageOutcome }> {
  try {
    return { value: await step() };
  } catch (e) {
    return { failure: { ok: false, reason: firstLine(e) } };
  }
}

/** Takes one test through the stages, stopping at the first that fails. */
export async function runBackendCase(test: BackendTest): Promise<BackendOutcome> {
  const stages: BackendOutcome['stages'] = {};
  const outcome = { name: test.name, stages };
  const bytes = new Uint8Array(readFileSync(join(test.dir, 'model.onnx')));
  let sets: DataSet[] = [];
  stages.ort = await runStage(bytes, (session) => (sets = dataSets(test, session)));
  if (!stages.ort.ok) return outcome;
  const imported = await attempt(() => readOnnx(bytes, { path: join(test.dir, 'model.onnx') }));
  stages.imported = 'failure' in imported ? imported.failure : { ok: true };
  if ('failure' in imported) return outcome;
  const { network, origin } = imported.value;
  const written = await attempt(() => writeOnnx(network, { origin }));
  stages.roundTrip = 'failure' in written ? written.failure : await runStage(written.value, () => sets);
  if (stages.roundTrip.ok) stages.optimized = await optimizeStage(network, origin, sets, dataSetDirs(test));
  return outcome;
}

/** Optimizes (checked on the inputs in `dirs`), writes as `netsat optimize` does (target 'ort') and runs the result on the data sets. */
async function optimizeStage(network: Network, origin: OnnxOrigin, sets: readonly DataSet[], dirs: readonly string[]): Promise<StageOutcome> {
  const optimized = await attempt(() => optimizeForSuite(network, dirs));
  if ('failure' in optimized) return optimized.failure;
  const { result, unchecked } = optimized.value;
  const written = await attempt(() => writeOnnx(result, { origin, target: 'ort' }));
  const run = 'failure' in written ? written.failure : await runStage(written.value, () => sets);
  return run.ok && unchecked ? { ok: true, note: `optimized with its check off, which failed: ${unchecked}` } : run;
}

/**
 * optimize() with its defaults, its check on the test's own inputs (read from `dirs` as the CLI's
 * --verify-inputs reads them: random draws miss the domain of ops that read sizes, scales or axes
 * from inputs); where that fails, again with its check off (`unchecked` says why the check failed),
 * so the suite's data sets still check the result.
 */
async function optimizeForSuite(network: Network, dirs: readonly string[]): Promise<{ result: Network; unchecked?: string }> {
  // The default rules, parsed once: optimize() parses them on every call, about 0.5 s, most of a small test's time.
  shipped ??= shippedRuleFiles();
  try {
    return { result: (await optimize(network, { rules: shipped, verify: { inputs: readInputSets(dirs, network) } })).network };
  } catch (e) {
    return { result: (await optimize(network, { rules: shipped, verify: false })).network, unchecked: firstLine(e) };
  }
}

let shipped: RuleFile[] | undefined;

/** What the ratchet tracks: each stage, and optimizedChecked, the optimize stage passed with optimize's own check on (as `netsat optimize` runs). */
export const RATCHETS = [...STAGES, 'optimizedChecked'] as const;
export type RatchetKey = (typeof RATCHETS)[number];

/** Whether the test passed `key`. */
export function passed(outcome: BackendOutcome | undefined, key: RatchetKey): boolean {
  if (key !== 'optimizedChecked') return outcome?.stages[key]?.ok === true;
  const optimized = outcome?.stages.optimized;
  return optimized?.ok === true && !optimized.note;
}

/** A reason with its names, counts and onnxruntime's source locations taken out, so alike refusals group together. */
export function reasonGroup(reason: string): string {
  const general = reason
    .replace(/ \(at .*\)$/, '')
    .replace(/"[^"]*"/g, '"…"')
    .replace(/ Status Message: .*/, '')
    .replace(/Name:'[^']*'/g, '')
    .replace(/\d+ of \d+ values/g, 'values')
    .replace(/(node|input|output|initializer|tensor) [^\s:,]+/g, '$1 …');
  return general.length > 200 ? `${general.slice(0, 199)}…` : general;
}

/** Failures at `stage` grouped by reason (or, with `notes`, the passes' notes): [reason, count], most frequent first. */
export function refusals(outcomes: readonly BackendOutcome[], stage: Stage, notes = false): [string, number][] {
  const counts = new Map<string, number>();
  for (const o of outcomes) {
    const s = o.stages[stage];
    const text = s && (s.ok ? (notes ? s.note : undefined) : notes ? undefined : s.reason);
    if (text) counts.set(reasonGroup(text), (counts.get(reasonGroup(text)) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

/** The one-line summary: "ORT passes N; imported X (p %), round-trip Y, optimized Z (C with optimize's own check on)". */
export function backendSummary(outcomes: readonly BackendOutcome[]): string {
  const count = (key: RatchetKey) => outcomes.filter((o) => passed(o, key)).length;
  const ortPasses = count('ort');
  const percent = ortPasses ? ((100 * count('imported')) / ortPasses).toFixed(1) : '0';
  const optimized = `optimized ${count('optimized')} (${count('optimizedChecked')} with optimize's own check on)`;
  return `ORT passes ${ortPasses}; imported ${count('imported')} (${percent} %), round-trip ${count('roundTrip')}, ${optimized}`;
}
