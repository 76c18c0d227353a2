/**
 * Verification with a real runtime: the original and the optimized ONNX models run in
 * onnxruntime-node on the same seeded inputs, and every output is compared within tolerances.
 */
import * as ort from 'onnxruntime-node';
import { drawInputs } from '../../interp/verify.js';
import type { VerifiedOutput } from '../../interp/verify.js';
import type { InputValues } from '../../interp/given-inputs.js';
import type { Network } from '../../network/network.js';
import type { NDArray } from '../../ops/types.js';
import { readOnnx } from './decode.js';
import { UnverifiableError } from '../../verifiable.js';
import { floatToHalf, halfToFloat } from './half.js';

export type GraphOptimizationLevel = 'disabled' | 'basic' | 'extended' | 'all';

/**
 * Session options for measurement and checks: 2 intra-op threads that sleep when idle (spinning
 * threads of idle sessions would otherwise steal the cores from the one running).
 */
export function sessionOptions(level: GraphOptimizationLevel): ort.InferenceSession.SessionOptions {
  return {
    graphOptimizationLevel: level,
    intraOpNumThreads: 2,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    // Fatal only: a model that fails to run is reported by the caller; onnxruntime's own error lines would only repeat it on stderr.
    logSeverityLevel: 4,
    extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
  };
}

export function createSession(model: Uint8Array, level: GraphOptimizationLevel = 'all'): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(model, sessionOptions(level));
}

const decoder = new TextDecoder();

/** int64 and uint64 values as BigInts: the bytes kept where there are some (exact above 2^53), else the stored doubles. */
function bigInts<T extends BigInt64Array | BigUint64Array>(Kind: { new (b: ArrayBuffer): T; from(a: ArrayLike<number>, f: (v: number) => bigint): T }, a: NDArray): T {
  const exact = a.exact;
  if (exact instanceof Uint8Array) return new Kind(new Uint8Array(exact).buffer);
  return Kind.from(a.data, (v) => BigInt(v));
}

/**
 * An NDArray as an onnxruntime tensor of its dtype: float16 as half-precision bits, int64 and
 * uint64 as BigInts, strings decoded from their bytes. onnxruntime-node has no bfloat16 tensors.
 */
export function toOrt(a: NDArray): ort.Tensor {
  const dims = [...a.shape];
  switch (a.dtype) {
    case 'int64':
      return new ort.Tensor('int64', bigInts(BigInt64Array, a), dims);
    case 'uint64':
      return new ort.Tensor('uint64', bigInts(BigUint64Array, a), dims);
    case 'float16':
      return new ort.Tensor('float16', Uint16Array.from(a.data, floatToHalf), dims);
    case 'string':
      return new ort.Tensor(
        'string',
        ((a.exact ?? []) as readonly Uint8Array[]).map((s) => decoder.decode(s)),
        dims,
      );
    case 'bfloat16':
      throw new UnverifiableError('onnxruntime-node has no bfloat16 tensors, so a bfloat16 input cannot be fed to onnxruntime', {
        where: 'toOrt',
        hint: 'verify with the reference interpreter, or cast the input to float32 in the model',
      });
    case 'float32':
      return new ort.Tensor('float32', Float32Array.from(a.data), dims);
    default:
      // The other types' storage is onnxruntime's own typed array (Int8Array for int8, ...).
      return new ort.Tensor(a.dtype, a.data.slice() as ort.Tensor.DataTypeMap['int8'], dims);
  }
}

export interface OrtVerifyOptions {
  /** Values given for some inputs, by name; the others are drawn from `seed`. */
  inputs?: InputValues;
  seed?: number;
  /** Values of symbolic input dims (default 2 each). */
  symbolValues?: Readonly<Record<string, number>>;
  /** Integer inputs (token ids, say) are drawn in [lo, hi); default [0, 16). */
  intRange?: readonly [number, number];
  rtol?: number;
  atol?: number;
  graphOptimizationLevel?: GraphOptimizationLevel;
}

export interface OrtVerifyResult {
  pass: boolean;
  outputs: VerifiedOutput[];
}

/** Feeds for a network's inputs: the given ones, the others seeded. */
export function feedsFor(network: Network, options: OrtVerifyOptions = {}): Record<string, ort.Tensor> {
  const drawn = drawInputs(network, {
    ...(options.inputs ? { inputs: options.inputs } : {}),
    seed: options.seed ?? 0,
    symbolValues: options.symbolValues ?? {},
    random: { intRange: options.intRange ?? [0, 16] },
  });
  return Object.fromEntries(Object.entries(drawn).map(([k, v]) => [k, toOrt(v)]));
}

/** Seeded feeds for a model's inputs. */
export function seededFeeds(model: Uint8Array, options: OrtVerifyOptions = {}): Record<string, ort.Tensor> {
  return feedsFor(readOnnx(model).network, options);
}

/** A numeric tensor's elements as numbers (float16 arrives as its bit patterns). */
export function ortValues(t: ort.Tensor): ArrayLike<number | bigint> {
  return t.type === 'float16' ? Array.from(t.data as Uint16Array, halfToFloat) : (t.data as ArrayLike<number | bigint>);
}

/** String outputs match element for element, exactly. */
function compareStrings(name: string, shape: number[], x: readonly string[], y: readonly string[]): VerifiedOutput {
  const mismatches = x.filter((s, i) => s !== y[i]).length;
  return { name, shape, maxAbsError: mismatches ? Infinity : 0, mismatches, pass: mismatches === 0 };
}

function compare(name: string, a: ort.Tensor, b: ort.Tensor | undefined, rtol: number, atol: number): VerifiedOutput {
  const shape = [...a.dims];
  if (!b) return { name, shape, maxAbsError: Infinity, mismatches: a.size, pass: false, problem: 'missing from the optimized model' };
  if (a.type !== b.type || a.dims.join() !== b.dims.join()) {
    return { name, shape, maxAbsError: Infinity, mismatches: a.size, pass: false, problem: `${a.type}[${a.dims.join(', ')}] vs ${b.type}[${b.dims.join(', ')}]` };
  }
  if (a.type === 'string') return compareStrings(name, shape, a.data as string[], b.data as string[]);
  const x = ortValues(a);
  const y = ortValues(b);
  let maxAbs = 0;
  let mismatches = 0;
  for (let i = 0; i < x.length; i++) {
    const u = Number(x[i]);
    const v = Number(y[i]);
    if (Number.isNaN(u) || Number.isNaN(v)) {
      if (!(Number.isNaN(u) && Number.isNaN(v))) mismatches++;
      continue;
    }
    const err = Math.abs(u - v);
    maxAbs = Math.max(maxAbs, err);
    if (err > atol + rtol * Math.abs(u)) mismatches++;
  }
  return { name, shape, maxAbsError: maxAbs, mismatches, pass: mismatches === 0 };
}

/**
 * The original model failing on its inputs is the inputs' domain, not a mismatch: an axis or
 * index input drawn out of range even as 0, or given values it does not take. Nothing can be compared then.
 */
function originalFailed(e: Error, given: boolean): never {
  const on = given ? 'the given inputs' : 'seeded inputs';
  throw new UnverifiableError(`cannot verify: onnxruntime cannot run the original model on ${on}: ${e.message.split('\n')[0]}`, {
    where: 'onnxruntime',
    hint: given
      ? 'the given values are outside what the model takes; check them against its inputs'
      : 'an input needs values random draws miss (a shape whose size matches, say): give the check your own inputs (--verify-inputs, library: verify: { inputs }), or skip it with --no-verify (verify: false)',
  });
}

/** onnxruntime's Div and Mod on integers refuse a zero divisor, which draws from [0, n) often hold. */
const ZERO_DIVISOR = /(division|modulo) by zero/i;

/**
 * Integers to draw again when the original failed on the first draws: from 1 up where a drawn 0
 * was a divisor, else all zeros, an index or axis that every dim holds (Gather, GatherElements,
 * CumSum on indices drawn up to 16 where a dim is 3).
 */
function fallbackRange(e: Error, options: OrtVerifyOptions): readonly [number, number] {
  if (!ZERO_DIVISOR.test(e.message)) return [0, 1];
  const [lo, hi] = options.intRange ?? [0, 16];
  return [Math.max(lo, 1), Math.max(hi, 2)];
}

/** The original's outputs on its inputs, and those inputs: drawn again (fallbackRange) where the first draws were out of its domain. */
async function runOriginal(session: ort.InferenceSession, inputs: Network, options: OrtVerifyOptions) {
  const feeds = feedsFor(inputs, options);
  const given = inputs.inputs.filter((t) => options.inputs?.[t.name]).length;
  try {
    return { feeds, expected: await session.run(feeds) };
  } catch (e) {
    // Nothing to draw again where every input was given.
    if (given === inputs.inputs.length) originalFailed(e as Error, true);
    const again = feedsFor(inputs, { ...options, intRange: fallbackRange(e as Error, options) });
    return { feeds: again, expected: await session.run(again).catch(() => originalFailed(e as Error, given > 0)) };
  }
}

/** The original and the optimized model open in onnxruntime, to be compared on one input set after another. */
export interface OrtPair {
  /** Runs both on inputs for `inputs` (the original's input tensors: given in options.inputs, else seeded) and compares every output of the original. */
  compare(inputs: Network, options?: OrtVerifyOptions): Promise<OrtVerifyResult>;
  release(): Promise<void>;
}

/** Opens both models once: their sessions, and the weights each holds, are shared by every input set. */
export async function openPair(original: Uint8Array, optimized: Uint8Array, level: GraphOptimizationLevel = 'all'): Promise<OrtPair> {
  const a = await createSession(original, level);
  const b = await createSession(optimized, level).catch(async (e) => {
    await a.release();
    throw e;
  });
  return {
    compare: (inputs, options = {}) => compareRuns(a, b, inputs, options),
    release: async () => void (await Promise.all([a.release(), b.release()])),
  };
}

async function compareRuns(a: ort.InferenceSession, b: ort.InferenceSession, inputs: Network, options: OrtVerifyOptions): Promise<OrtVerifyResult> {
  const { feeds, expected } = await runOriginal(a, inputs, options);
  // The optimized model failing where the original ran is a mismatch of every output, not an error.
  const actual = await b.run(Object.fromEntries(b.inputNames.map((n) => [n, feeds[n]!]))).catch((e: Error) => e);
  if (actual instanceof Error) {
    const outputs = a.outputNames.map((n) => ({
      name: n,
      shape: [...expected[n]!.dims],
      maxAbsError: Infinity,
      mismatches: expected[n]!.size,
      pass: false,
      problem: `the optimized model failed to run: ${actual.message}`,
    }));
    return { pass: false, outputs };
  }
  const outputs = a.outputNames.map((n) => compare(n, expected[n]!, actual[n], options.rtol ?? 1e-4, options.atol ?? 1e-5));
  return { pass: outputs.every((o) => o.pass), outputs };
}

/** Runs both models on the same seeded inputs (drawn from the original's inputs) and compares every output of the original. */
export async function verifyWithOrt(original: Uint8Array, optimized: Uint8Array, options: OrtVerifyOptions = {}): Promise<OrtVerifyResult> {
  const pair = await openPair(original, optimized, options.graphOptimizationLevel);
  try {
    return await pair.compare(readOnnx(original).network, options);
  } finally {
    await pair.release();
  }
}
