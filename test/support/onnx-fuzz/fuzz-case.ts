/**
 * One fuzz case of the ONNX reader: a seed file, structure steps applied to its decoded model, then
 * byte steps applied to the re-encoded bytes. The property: readOnnx returns a network (which then
 * validates, and writeOnnx writes or refuses with a typed error) or throws a NetsatError saying what
 * and where; never another exception, never longer than READ_BOUND_MS, never holding much more
 * memory than the file itself (dims are checked before anything is allocated).
 */
import { fromBinary, toBinary } from '@bufbuild/protobuf';
import fc from 'fast-check';
import { ModelProtoSchema } from 'onnx-buf';
import { NetsatError } from '../../../src/errors.js';
import { readOnnx } from '../../../src/io/onnx/decode.js';
import { writeOnnx } from '../../../src/io/onnx/export.js';
import { BYTE_KINDS, mutateBytes, structureSegments } from './byte-mutations.js';
import type { ByteStep, Segments } from './byte-mutations.js';
import type { FuzzFolder, FuzzSeed } from './seeds.js';
import { mutateStructure, STRUCTURE_KINDS } from './structure-mutations.js';
import type { StructureStep } from './structure-mutations.js';

/** The bound on one read; far above normal (milliseconds), so it fails on hangs, not on a busy machine. */
export const READ_BOUND_MS = 1000;

/** A read may keep the file's weights plus converted copies (int64, float16); far more means it allocated from a dim. */
const RETAINED_FACTOR = 16;
const RETAINED_SLACK = 64 * 2 ** 20;

export interface FuzzPlan {
  /** Picks the seed file (modulo the seeds given). */
  seed: number;
  structure: StructureStep[];
  bytes: ByteStep[];
}

export interface PreparedSeed extends FuzzSeed {
  readonly segments: Segments;
}

export function prepareSeeds(seeds: readonly FuzzSeed[]): PreparedSeed[] {
  return seeds.map((s) => ({ ...s, segments: structureSegments(s.bytes) }));
}

const nat = fc.nat({ max: 1_000_000 });
const structureStep: fc.Arbitrary<StructureStep> = fc.record({ kind: fc.constantFrom(...STRUCTURE_KINDS), a: nat, b: nat, c: nat });
const byteStep: fc.Arbitrary<ByteStep> = fc.record({ kind: fc.constantFrom(...BYTE_KINDS), at: fc.nat(), n: fc.nat({ max: 255 }), anywhere: fc.boolean() });

/** Plans: structure steps only, byte steps only, or both; each has at least one step. */
export function fuzzPlanArb(): fc.Arbitrary<FuzzPlan> {
  const steps = <T>(arb: fc.Arbitrary<T>, min: number) => fc.array(arb, { minLength: min, maxLength: 4 });
  const seed = fc.nat({ max: 1000 });
  return fc.oneof(
    { arbitrary: fc.record({ seed, structure: steps(structureStep, 1), bytes: fc.constant<ByteStep[]>([]) }), weight: 5 },
    { arbitrary: fc.record({ seed, structure: fc.constant<StructureStep[]>([]), bytes: steps(byteStep, 1) }), weight: 4 },
    { arbitrary: fc.record({ seed, structure: steps(structureStep, 1), bytes: steps(byteStep, 1) }), weight: 1 },
  );
}

/** The mutated file of a plan. */
export function mutatedBytes(seed: PreparedSeed, plan: FuzzPlan): Uint8Array {
  if (!plan.structure.length) return mutateBytes(seed.bytes, plan.bytes, seed.segments);
  const model = fromBinary(ModelProtoSchema, seed.structureBytes);
  for (const step of plan.structure) mutateStructure(model, step);
  const encoded = toBinary(ModelProtoSchema, model);
  return mutateBytes(encoded, plan.bytes, plan.bytes.length ? structureSegments(encoded) : []);
}

export interface FuzzOutcome {
  /** 'network', or the class of the typed error the reader (or writer) threw. */
  result: string;
  /** Why the case breaks the property; undefined when it holds. */
  failure: string | undefined;
  readMs: number;
  writeMs: number;
}

/** The exception and where it came from, with paths relative to the repository (results are committed). */
function describeError(stage: string, e: unknown): string {
  if (!(e instanceof Error)) return `${stage} threw a non-error: ${String(e)}`;
  const stack = (e.stack ?? '').split('\n').slice(1, 6).join('\n').replaceAll(`${process.cwd()}/`, '');
  return `${stage} threw ${e.constructor.name}, not a NetsatError: ${e.message.split('\n')[0]}\n${stack}`;
}

/** Why a thrown value breaks the property, or undefined for a typed error with what and where. */
function untyped(stage: string, e: unknown): string | undefined {
  if (!(e instanceof NetsatError)) return describeError(stage, e);
  if (!e.what || !e.where) return `${stage} threw ${e.constructor.name} without ${e.what ? 'where' : 'what'}: ${e.message}`;
  return undefined;
}

/** Validates and writes a network the reader accepted; returns the failure, if any, and the writer's typed refusal. */
function checkNetwork(model: ReturnType<typeof readOnnx>): { failure?: string; refused?: string } {
  try {
    model.network.validate();
  } catch (e) {
    return { failure: `readOnnx returned a network that does not validate: ${(e as Error).message}` };
  }
  try {
    writeOnnx(model.network, { origin: model.origin });
    return {};
  } catch (e) {
    return { failure: untyped('writeOnnx', e), refused: (e as Error).constructor.name };
  }
}

/** Runs one plan on the seeds; the outcome says whether the property holds. */
export function runFuzzCase(seeds: readonly PreparedSeed[], plan: FuzzPlan, folder: FuzzFolder): FuzzOutcome {
  const seed = seeds[plan.seed % seeds.length]!;
  const bytes = mutatedBytes(seed, plan);
  const before = process.memoryUsage().arrayBuffers;
  const start = performance.now();
  let model: ReturnType<typeof readOnnx> | undefined;
  let thrown: unknown;
  try {
    model = readOnnx(bytes, { path: folder.modelPath });
  } catch (e) {
    thrown = e;
  }
  const readMs = performance.now() - start;
  const retained = process.memoryUsage().arrayBuffers - before;
  const slow = readMs > READ_BOUND_MS ? `readOnnx took ${readMs.toFixed(0)} ms (bound ${READ_BOUND_MS} ms)` : undefined;
  const heavy = retained > RETAINED_FACTOR * bytes.length + RETAINED_SLACK ? `readOnnx kept ${retained} bytes for a ${bytes.length}-byte file` : undefined;
  if (!model) return { result: (thrown as Error)?.constructor?.name ?? 'non-error', failure: untyped('readOnnx', thrown) ?? slow ?? heavy, readMs, writeMs: 0 };
  const writeStart = performance.now();
  const checked = checkNetwork(model);
  return { result: checked.refused ? `network, write ${checked.refused}` : 'network', failure: checked.failure ?? slow ?? heavy, readMs, writeMs: performance.now() - writeStart };
}
