/**
 * Checking an optimized network against its input, as optimize() does by default: several seeded
 * input sets with symbolic dims bound to distinct values, run by the reference interpreter, or by
 * onnxruntime where the interpreter has no kernel for an op. Per output, the worst set is reported.
 */
import { NetsatError } from './errors.js';
import type { ExportTarget } from './io/onnx/emit.js';
import { openNetworksInOrt } from './io/onnx/verify-networks.js';
import { givenInputSets } from './interp/given-inputs.js';
import type { InputValues } from './interp/given-inputs.js';
import type { RandomOptions } from './interp/random.js';
import type { InputSet, VerifiedOutput, VerifyOptions } from './interp/verify.js';
import { inputSets, verifyEquivalent } from './interp/verify.js';
import type { Layer } from './network/layer.js';
import type { Network } from './network/network.js';
import type { Tensor } from './network/tensor.js';
import { isComputed, shapeSymbols } from './ops/shape.js';
import { checkOrtRunnable, checkTensorSizes, ortRefusal, UnverifiableError } from './verifiable.js';
import type { CheckedOutput, VerificationReport } from './report/optimize-report.js';

export interface VerificationOptions extends Omit<VerifyOptions, 'inputs'> {
  /** Input sets drawn (default 3): seeds seed, seed + 1, ... with symbolic dims bound to distinct primes. Unused where `inputs` are given. */
  sets?: number;
  /**
   * Input sets of your own, each a record of input name -> values (an input a set leaves out is
   * drawn from that set's seed). Given sets replace the drawn ones: the check runs on exactly these,
   * with the symbolic dims at the sizes their values fix. For inputs random draws cannot serve:
   * sizes, scales, axes or boxes an op reads from an input.
   */
  inputs?: readonly InputValues[];
}

/**
 * A live layer the reference interpreter cannot run (an opaque op, or one on a dtype it does not
 * compute: strings), if any: onnxruntime verifies such networks.
 */
export function unrunnableLayer(network: Network): Layer | undefined {
  const computed = (t: Tensor | undefined) => !t || isComputed(t.dtype);
  return network.layers.find((l) => l.op !== 'Constant' && (!l.opDef.kernel || !l.inputSlots.every(computed) || !l.outputs.every(computed)));
}

/** A set to run: as the report names it, the values given for it, and how the rest are drawn. */
interface PlannedSet {
  readonly set: InputSet;
  readonly values: InputValues;
  readonly random?: RandomOptions;
}

/** The sets to run: the given ones, else drawn ones with symbolic dims bound to distinct values (see inputSets). */
function plannedSets(original: Network, options: VerificationOptions): PlannedSet[] {
  const common = { seed: options.seed ?? 1, ...(options.symbolValues ? { symbolValues: options.symbolValues } : {}) };
  const given = options.inputs ?? [];
  if (given.length > 0) return givenInputSets(original, given, common).map((set, k) => ({ set, values: given[k]! }));
  return inputSets(original, { ...common, count: options.sets ?? 3 }).map((set) => ({ set, values: {} }));
}

/** The largest value a symbolic dim takes in the planned sets (2, the retry's, at least). */
function largestSymbolValue(original: Network, options: VerificationOptions): number {
  return Math.max(2, ...plannedSets(original, options).flatMap((p) => Object.values(p.set.symbolValues)));
}

/**
 * Throws an UnverifiableError when the check of `original` cannot run: a tensor too large at the
 * planned sizes, or (where the interpreter cannot run it) an op onnxruntime does not know either.
 * Cheap, so callers run it before saturation as well.
 */
export function checkVerifiable(original: Network, options: VerificationOptions = {}): void {
  checkTensorSizes(original, largestSymbolValue(original, options));
  if (unrunnableLayer(original)) checkOrtRunnable(original);
}

/** `planned` with the symbolic dims its given values do not fix at 2 (the input network's constants may fix one). */
function freeSymbolsAtTwo(original: Network, planned: PlannedSet): PlannedSet {
  const fixed = new Set(original.inputs.filter((t) => planned.values[t.name]).flatMap((t) => shapeSymbols(t.shape)));
  const symbolValues = Object.fromEntries(Object.entries(planned.set.symbolValues).map(([s, v]) => [s, fixed.has(s) ? v : 2]));
  return { ...planned, set: { ...planned.set, symbolValues } };
}

/**
 * What to run, in turn, for `planned`, where the input network cannot run on the one before (a
 * NetsatError): itself; its free symbolic dims at 2; then, for the interpreter, its drawn integers
 * at 0 as well, an index or axis that every dim holds (onnxruntime's check redraws so by itself).
 */
function attempts(original: Network, planned: PlannedSet, byInterpreter: boolean): PlannedSet[] {
  const atTwo = freeSymbolsAtTwo(original, planned);
  const resized = Object.entries(atTwo.set.symbolValues).some(([s, v]) => planned.set.symbolValues[s] !== v);
  const drawsAny = original.inputs.some((t) => !planned.values[t.name]);
  const zeros = { ...atTwo, random: { intRange: [0, 1] as const } };
  return [planned, ...(resized ? [atTwo] : []), ...(byInterpreter && drawsAny ? [zeros] : [])];
}

/**
 * The input network failing on every attempt at a set is the inputs' domain, not a mismatch: nothing
 * can be compared. `e` is the last attempt's error; anything but a NetsatError may be netsat's own bug.
 */
function cannotRun(e: unknown, planned: PlannedSet, k: number, runtime: string): never {
  if (!(e instanceof NetsatError) || e instanceof UnverifiableError) throw e;
  const given = planned.set.given !== undefined;
  throw new UnverifiableError(`cannot verify: ${runtime} cannot run the input network on ${given ? `given input set ${k + 1}` : 'seeded inputs'}: ${e.what}`, {
    where: e.where ?? 'verification',
    hint: given
      ? 'the given values are outside what the network takes; check them against its inputs'
      : 'an input needs values random draws miss (an index within a dim, say): give the check your own inputs (--verify-inputs, library: verify: { inputs }), or skip it with --no-verify (verify: false)',
  });
}

/** Per output position, the worst comparison over all sets (a failure before a pass, then the larger error). */
function report(method: 'interpreter' | 'onnxruntime', runs: readonly { set: InputSet; outputs: readonly VerifiedOutput[] }[]): VerificationReport {
  const worst: CheckedOutput[] = [];
  runs.forEach(({ outputs }, set) =>
    outputs.forEach((o, k) => {
      const w = worst[k];
      if (!w || (w.pass && !o.pass) || (w.pass === o.pass && o.maxAbsError > w.maxAbsError)) worst[k] = { ...o, set };
    }),
  );
  return { method, pass: worst.every((o) => o.pass), outputs: worst, sets: runs.map((r) => r.set) };
}

/** The reference interpreter's check alone (for callers that cannot await); networks it cannot run are reported skipped. */
export function verifyOptimizedSync(original: Network, optimized: Network, options: VerificationOptions = {}): VerificationReport {
  const unrunnable = unrunnableLayer(original);
  if (unrunnable) {
    return { skipped: `the reference interpreter cannot run ${unrunnable.op} (at ${unrunnable.name}); optimize() verifies such networks with onnxruntime` };
  }
  checkTensorSizes(original, largestSymbolValue(original, options));
  const run = (p: PlannedSet) => {
    const random = { ...options.random, ...p.random };
    return { set: p.set, outputs: verifyEquivalent(original, optimized, { ...options, seed: p.set.seed, symbolValues: p.set.symbolValues, inputs: p.values, random }).outputs };
  };
  const runs = plannedSets(original, options).map((p, k) => {
    try {
      return runFirstSync(attempts(original, p, true), run);
    } catch (e) {
      return cannotRun(e, p, k, 'the reference interpreter');
    }
  });
  return report('interpreter', runs);
}

/** The check optimize() runs: the interpreter, or onnxruntime (the result written for `target`) where the interpreter cannot run the input. */
export async function verifyOptimized(original: Network, optimized: Network, target: ExportTarget, options: VerificationOptions = {}): Promise<VerificationReport> {
  if (!unrunnableLayer(original)) return verifyOptimizedSync(original, optimized, options);
  checkVerifiable(original, options);
  const planned = plannedSets(original, options);
  const pair = await openNetworksInOrt(original, optimized, target).catch(ortRefusal);
  const tolerances = { ...(options.rtol !== undefined ? { rtol: options.rtol } : {}), ...(options.atol !== undefined ? { atol: options.atol } : {}) };
  const run = async (p: PlannedSet) => ({
    set: p.set,
    outputs: (await pair.compare(original, { seed: p.set.seed, symbolValues: p.set.symbolValues, inputs: p.values, ...tolerances })).outputs,
  });
  const runs = [];
  try {
    for (const [k, p] of planned.entries()) runs.push(await runFirst(attempts(original, p, false), run).catch((e) => cannotRun(e, p, k, 'onnxruntime')));
  } finally {
    await pair.release();
  }
  return report('onnxruntime', runs);
}

/** The first of `attempts` that runs; the last one's error where each fails with a NetsatError (any other error at once). */
function runFirstSync<T>(attempts: readonly PlannedSet[], run: (p: PlannedSet) => T): T {
  let last: unknown;
  for (const attempt of attempts) {
    try {
      return run(attempt);
    } catch (e) {
      if (!(e instanceof NetsatError)) throw e;
      last = e;
    }
  }
  throw last;
}

/** runFirstSync for a check that awaits. */
async function runFirst<T>(attempts: readonly PlannedSet[], run: (p: PlannedSet) => Promise<T>): Promise<T> {
  let last: unknown;
  for (const attempt of attempts) {
    try {
      return await run(attempt);
    } catch (e) {
      if (!(e instanceof NetsatError)) throw e;
      last = e;
    }
  }
  throw last;
}
