/**
 * Checking an optimized network against its input, as optimize() does by default: several seeded
 * input sets with symbolic dims bound to distinct values, run by the reference interpreter, or by
 * onnxruntime where the interpreter has no kernel for an op. Per output, the worst set is reported.
 */
import { NetsatError } from './errors.js';
import type { ExportTarget } from './io/onnx/emit.js';
import { openNetworksInOrt } from './io/onnx/verify-networks.js';
import type { InputSet, VerifiedOutput, VerifyOptions } from './interp/verify.js';
import { inputSets, verifyEquivalent } from './interp/verify.js';
import type { Layer } from './network/layer.js';
import type { Network } from './network/network.js';
import type { Tensor } from './network/tensor.js';
import { isComputed } from './ops/shape.js';
import { checkOrtRunnable, checkTensorSizes, ortRefusal } from './verifiable.js';
import type { CheckedOutput, VerificationReport } from './report/optimize-report.js';

export interface VerificationOptions extends VerifyOptions {
  /** Input sets drawn (default 3): seeds seed, seed + 1, ... with symbolic dims bound to distinct primes. */
  sets?: number;
}

/**
 * A live layer the reference interpreter cannot run (an opaque op, or one on a dtype it does not
 * compute: strings), if any: onnxruntime verifies such networks.
 */
export function unrunnableLayer(network: Network): Layer | undefined {
  const computed = (t: Tensor | undefined) => !t || isComputed(t.dtype);
  return network.layers.find((l) => l.op !== 'Constant' && (!l.opDef.kernel || !l.inputSlots.every(computed) || !l.outputs.every(computed)));
}

/** The sets to run: symbolic dims bound to distinct values (see inputSets). */
function plannedSets(original: Network, options: VerificationOptions): InputSet[] {
  return inputSets(original, { seed: options.seed ?? 1, count: options.sets ?? 3, ...(options.symbolValues ? { symbolValues: options.symbolValues } : {}) });
}

/** The largest value a symbolic dim takes in the planned sets (2, the retry's, at least). */
function largestSymbolValue(original: Network, options: VerificationOptions): number {
  return Math.max(2, ...plannedSets(original, options).flatMap((s) => Object.values(s.symbolValues)));
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

/**
 * The set to retry after `planned` failed with `e`: a NetsatError means the input network itself
 * cannot run on those sizes (its constants fix a symbolic dim, say), so every symbol goes to 2.
 * Anything else is rethrown; an error on the retry is the input's and reaches the caller.
 */
function retrySet(e: unknown, planned: InputSet): InputSet {
  if (!(e instanceof NetsatError)) throw e;
  return { seed: planned.seed, symbolValues: Object.fromEntries(Object.keys(planned.symbolValues).map((s) => [s, 2])) };
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
  const run = (set: InputSet) => ({ set, outputs: verifyEquivalent(original, optimized, { ...options, seed: set.seed, symbolValues: set.symbolValues }).outputs });
  return report(
    'interpreter',
    plannedSets(original, options).map((planned) => {
      try {
        return run(planned);
      } catch (e) {
        return run(retrySet(e, planned));
      }
    }),
  );
}

/** The check optimize() runs: the interpreter, or onnxruntime (the result written for `target`) where the interpreter cannot run the input. */
export async function verifyOptimized(original: Network, optimized: Network, target: ExportTarget, options: VerificationOptions = {}): Promise<VerificationReport> {
  if (!unrunnableLayer(original)) return verifyOptimizedSync(original, optimized, options);
  checkVerifiable(original, options);
  const pair = await openNetworksInOrt(original, optimized, target).catch(ortRefusal);
  const tolerances = { ...(options.rtol !== undefined ? { rtol: options.rtol } : {}), ...(options.atol !== undefined ? { atol: options.atol } : {}) };
  const run = async (set: InputSet) => ({ set, outputs: (await pair.compare(original, { seed: set.seed, symbolValues: set.symbolValues, ...tolerances })).outputs });
  const runs = [];
  try {
    for (const planned of plannedSets(original, options)) {
      try {
        runs.push(await run(planned));
      } catch (e) {
        runs.push(await run(retrySet(e, planned)));
      }
    }
  } finally {
    await pair.release();
  }
  return report('onnxruntime', runs);
}
