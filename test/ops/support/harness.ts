/**
 * Shared test support for op families: running an op through the registry's attribute and shape
 * checks, checking that inference agrees with the kernel, seeded data, and shape generators.
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { allocData } from '../../../src/ops/ndarray.js';
import { inferTypes, resolveAttrs } from '../../../src/ops/registry.js';
import { numel } from '../../../src/ops/shape.js';
import type { Attrs, CostFacts, DType, NDArray, OpDef, TensorType } from '../../../src/ops/types.js';
import { rng } from '../../../src/interp/random.js';

/** Every property test runs from this seed, so a failure reproduces. */
export const SEED = 42;

/** One random use of an op: its inputs (undefined for an absent optional input) and attributes. */
export interface OpCase<Input extends NDArray | undefined = NDArray> {
  inputs: Input[];
  attrs: Attrs;
}

export function opNamed(ops: readonly OpDef[], name: string): OpDef {
  const op = ops.find((o) => o.name === name);
  if (!op) throw new Error(`no op ${name}`);
  return op;
}

export function typeOf(x: NDArray): TensorType {
  return { dtype: x.dtype, shape: x.shape };
}

/** Inferred output types of `op` on these input types. */
export function infer(op: OpDef, inputs: readonly (TensorType | undefined)[], attrs: Attrs = {}): TensorType[] {
  return inferTypes(op, inputs, resolveAttrs(op, attrs));
}

/** Runs `op` as the interpreter would: attributes resolved, types inferred, then the kernel. */
export function run(op: OpDef, inputs: readonly (NDArray | undefined)[], attrs: Attrs = {}): NDArray[] {
  const resolved = resolveAttrs(op, attrs);
  const outputTypes = inferTypes(
    op,
    inputs.map((x) => x && typeOf(x)),
    resolved,
  );
  return op.kernel!(inputs, { attrs: resolved, outputTypes });
}

/** Asserts that what the kernel returns has exactly the inferred dtypes and shapes; returns the outputs. */
export function expectInferMatchesKernel(op: OpDef, inputs: readonly (NDArray | undefined)[], attrs: Attrs = {}): NDArray[] {
  const resolved = resolveAttrs(op, attrs);
  const types = inferTypes(
    op,
    inputs.map((x) => x && typeOf(x)),
    resolved,
  );
  const outputs = op.kernel!(inputs, { attrs: resolved, outputTypes: types });
  expect(outputs.map(typeOf)).toEqual(types);
  for (const out of outputs) {
    expect(out.data.length).toBe(numel(out.shape));
    expect(out.data.constructor).toBe(allocData(out.dtype, 0).constructor);
  }
  return outputs;
}

/** Seeded data: floats uniform in [lo, hi), integers in [lo, hi], booleans fair. */
export function random(dtype: DType, shape: readonly number[], seed: number, lo = -2, hi = 2): NDArray {
  const next = rng(seed);
  const n = numel(shape);
  const values = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const u = next();
    values[i] = dtype === 'bool' ? (u < 0.5 ? 1 : 0) : dtype.startsWith('int') ? lo + Math.floor(u * (hi - lo + 1)) : lo + u * (hi - lo);
  }
  const data = allocData(dtype, n);
  data.set(values);
  return { dtype, shape: [...shape], data };
}

export function arr(dtype: DType, shape: readonly number[], values: readonly number[]): NDArray {
  const data = allocData(dtype, values.length);
  data.set(values);
  expect(values.length).toBe(numel(shape));
  return { dtype, shape: [...shape], data };
}

export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-5): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (Math.abs(a - e) > tol * Math.max(1, Math.abs(e))) {
      throw new Error(`element ${i}: got ${a}, expected ${e} (tolerance ${tol})`);
    }
  }
}

/** A shape of rank in [minRank, maxRank] with dims in [1, maxDim]. */
export function shapeArb(minRank = 0, maxRank = 4, maxDim = 4): fc.Arbitrary<number[]> {
  return fc.array(fc.integer({ min: 1, max: maxDim }), { minLength: minRank, maxLength: maxRank });
}

/** A shape and a version of it that broadcasts to it: some dims set to 1, some leading dims dropped. */
function broadcastableTo(full: readonly number[]): fc.Arbitrary<number[]> {
  return fc
    .tuple(fc.array(fc.boolean(), { minLength: full.length, maxLength: full.length }), fc.integer({ min: 0, max: full.length }))
    .map(([ones, drop]) => full.map((d, i) => (ones[i] ? 1 : d)).slice(drop));
}

/** `count` shapes that broadcast together (their broadcast is one of them or a mix). */
export function broadcastShapesArb(count: number, maxRank = 4): fc.Arbitrary<number[][]> {
  return shapeArb(0, maxRank).chain((full) => fc.tuple(...Array.from({ length: count }, () => broadcastableTo(full))));
}

export const seedArb = fc.integer({ min: 0, max: 2 ** 31 - 1 });

/** Asserts that `fn` throws an error of class `kind` whose message contains every fragment. */
export function expectThrows(fn: () => unknown, kind: new (...args: never[]) => Error, ...fragments: string[]): void {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(kind);
  for (const f of fragments) expect((caught as Error).message).toContain(f);
}

/** The op names of a family that `cases` does not cover: every op must have a property case. */
function uncovered(ops: readonly OpDef[], cases: Readonly<Record<string, unknown>>): string[] {
  return ops.map((o) => o.name).filter((n) => !(n in cases));
}

/**
 * The tests every op family runs, inside the caller's describe: every op of `ops` has a case, and on
 * every case the inferred dtypes and shapes are those the kernel produces. `skip` names ops without
 * a kernel, which the caller checks its own way.
 */
export function itInfersWhatTheKernelsProduce(
  ops: readonly OpDef[],
  cases: Readonly<Record<string, fc.Arbitrary<OpCase<NDArray | undefined>>>>,
  options: { numRuns: number; skip?: readonly string[] },
): void {
  it('has a property case for every op', () => {
    expect(uncovered(ops, cases)).toEqual([]);
  });

  for (const [name, arb] of Object.entries(cases)) {
    if (options.skip?.includes(name)) continue;
    it(`${name}: inferred dtype and shape are those the kernel produces`, () => {
      fc.assert(
        fc.property(arb, (c) => {
          expectInferMatchesKernel(opNamed(ops, name), c.inputs, c.attrs);
        }),
        { seed: SEED, numRuns: options.numRuns },
      );
    });
  }
}

/** The cost facts of `op` on these input types, with attributes resolved and outputs inferred. */
export function costOf(op: OpDef, inputs: readonly (TensorType | undefined)[], attrs: Attrs = {}): CostFacts {
  const resolved = resolveAttrs(op, attrs);
  return op.cost(inputs, inferTypes(op, inputs, resolved), resolved);
}
