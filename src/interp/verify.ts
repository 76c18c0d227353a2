/**
 * verifyEquivalent: runs two networks on the same seeded inputs and compares every output, the
 * way every rewrite in netsat is checked. Pass/fail per element follows numpy's allclose:
 * |a - b| <= atol + rtol * |b|.
 */
import { InterpretError, NetsatError } from '../errors.js';
import { bindShape, formatShape, sameShape, shapeSymbols } from '../ops/shape.js';
import type { NDArray } from '../ops/types.js';
import type { Network } from '../network/network.js';
import { interpret } from './interpret.js';
import type { RandomOptions } from './random.js';
import { randomArray, seedFor } from './random.js';

export interface VerifyOptions {
  /** Input values by name; missing ones are drawn from `seed`. */
  inputs?: Readonly<Record<string, NDArray>>;
  seed?: number;
  /** Values of symbolic dims for drawn inputs (default 2 each). */
  symbolValues?: Readonly<Record<string, number>>;
  random?: RandomOptions;
  /** Default 1e-4. */
  rtol?: number;
  /** Default 1e-5. */
  atol?: number;
}

/** One output compared between two networks (by the interpreter, or by onnxruntime). */
export interface VerifiedOutput {
  /** Output name in the first network (the second's output at the same position may differ). */
  name: string;
  shape: readonly number[];
  maxAbsError: number;
  /** Elements outside tolerance. */
  mismatches: number;
  pass: boolean;
  /** Why it failed when the shapes or dtypes themselves differ. */
  problem?: string;
}

export interface OutputComparison extends VerifiedOutput {
  maxRelError: number;
}

export interface VerifyResult {
  pass: boolean;
  outputs: OutputComparison[];
  /** The inputs both networks ran on. */
  inputs: Record<string, NDArray>;
}

/** Seeded values for every input of `network` not given in `given`. */
export function drawInputs(network: Network, options: Pick<VerifyOptions, 'inputs' | 'seed' | 'symbolValues' | 'random'> = {}): Record<string, NDArray> {
  const seed = options.seed ?? 0;
  const out: Record<string, NDArray> = { ...options.inputs };
  for (const t of network.inputs) {
    if (out[t.name]) continue;
    const bindings = new Map(shapeSymbols(t.shape).map((symbol) => [symbol, options.symbolValues?.[symbol] ?? 2]));
    const shape = bindShape(t.shape, bindings, t.name);
    out[t.name] = randomArray(t.dtype, shape, seedFor(seed, t.name), options.random);
  }
  return out;
}

/** One set of inputs a check runs on: a seed and the values its symbolic dims are bound to. */
export interface InputSet {
  readonly seed: number;
  readonly symbolValues: Readonly<Record<string, number>>;
  /** The inputs whose values the user gave (VerificationOptions.inputs); the others are drawn from `seed`. */
  readonly given?: readonly string[];
}

const PRIMES = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37];

/** The symbolic dims of `network`'s inputs, in order of first appearance. */
export function inputSymbols(network: Network): string[] {
  return [...new Set(network.inputs.flatMap((t) => shapeSymbols(t.shape)))];
}

/**
 * `count` input sets for checking `network`: seeds `seed`, `seed + 1`, ... and the symbolic dims
 * bound to distinct primes, shifted by one prime per set (2, 3, 5; then 3, 5, 7; ...), so a rewrite
 * that confuses batch with sequence, or holds only for one size, fails on some set. Values the
 * caller gives in `symbolValues` are kept in every set.
 */
export function inputSets(network: Network, options: { seed?: number; symbolValues?: Readonly<Record<string, number>>; count?: number } = {}): InputSet[] {
  const symbols = inputSymbols(network).filter((s) => options.symbolValues?.[s] === undefined);
  const seed = options.seed ?? 0;
  return Array.from({ length: options.count ?? 3 }, (_, k) => ({
    seed: seed + k,
    symbolValues: { ...Object.fromEntries(symbols.map((s, i) => [s, PRIMES[(i + k) % PRIMES.length]!])), ...options.symbolValues },
  }));
}

function failedToRun(name: string, expected: NDArray, e: NetsatError): OutputComparison {
  const problem = `the second network failed to run: ${e.what}`;
  return { name, shape: expected.shape, maxAbsError: Infinity, maxRelError: Infinity, mismatches: expected.data.length, pass: false, problem };
}

function compare(name: string, a: NDArray, b: NDArray, rtol: number, atol: number): OutputComparison {
  if (!sameShape(a.shape, b.shape) || a.dtype !== b.dtype) {
    return {
      name,
      shape: a.shape,
      maxAbsError: Infinity,
      maxRelError: Infinity,
      mismatches: a.data.length,
      pass: false,
      problem: `${a.dtype}${formatShape(a.shape)} vs ${b.dtype}${formatShape(b.shape)}`,
    };
  }
  let maxAbs = 0;
  let maxRel = 0;
  let mismatches = 0;
  for (let i = 0; i < a.data.length; i++) {
    const x = a.data[i]!;
    const y = b.data[i]!;
    if (Number.isNaN(x) || Number.isNaN(y)) {
      if (!(Number.isNaN(x) && Number.isNaN(y))) mismatches++;
      continue;
    }
    const abs = x === y ? 0 : Math.abs(x - y);
    const rel = abs === 0 ? 0 : abs / Math.max(Math.abs(y), Number.MIN_VALUE);
    if (abs > maxAbs) maxAbs = abs;
    if (rel > maxRel && Math.abs(y) > atol) maxRel = rel;
    if (abs > atol + rtol * Math.abs(y)) mismatches++;
  }
  return { name, shape: a.shape, maxAbsError: maxAbs, maxRelError: maxRel, mismatches, pass: mismatches === 0 };
}

/**
 * Runs `a` and `b` on the same inputs (constants without data get the same seeded data by name)
 * and compares their outputs position by position.
 */
export function verifyEquivalent(a: Network, b: Network, options: VerifyOptions = {}): VerifyResult {
  const rtol = options.rtol ?? 1e-4;
  const atol = options.atol ?? 1e-5;
  const names = (n: Network) =>
    n.inputs
      .map((t) => t.name)
      .sort()
      .join(', ');
  if (names(a) !== names(b)) {
    throw new InterpretError(`the networks have different inputs: [${names(a)}] vs [${names(b)}]`, { hint: 'verify networks with the same inputs' });
  }
  if (a.outputs.length !== b.outputs.length) {
    throw new InterpretError(`the networks have ${a.outputs.length} and ${b.outputs.length} outputs`, { hint: 'verify networks with the same outputs' });
  }
  const inputs = drawInputs(a, options);
  const run = { randomConstants: true, seed: options.seed ?? 0, ...(options.random ? { random: options.random } : {}) };
  const ra = interpret(a, inputs, run);
  let rb: Record<string, NDArray>;
  try {
    rb = interpret(b, inputs, run);
  } catch (e) {
    // `a` ran on these inputs and `b` did not: they are not equivalent, whatever the reason.
    if (!(e instanceof NetsatError)) throw e;
    const outputs = a.outputs.map((t) => failedToRun(t.name, ra[t.name]!, e));
    return { pass: false, outputs, inputs };
  }
  const outputs = a.outputs.map((t, k) => compare(t.name, ra[t.name]!, rb[b.outputs[k]!.name]!, rtol, atol));
  return { pass: outputs.every((o) => o.pass), outputs, inputs };
}
