/**
 * The files the ONNX reader's fuzzer mutates: the real exported models in ../shared/data/onnx (when
 * present) and small models built here with netsat's own writer, so part of the fuzz runs on any
 * clone. One hand-made model carries what the writer never emits (int64 and float16 initializers in
 * typed fields, a Constant node, an op netsat does not model, symbolic dims, external data), so the
 * structure mutations find those fields to break. Structure steps re-encode the model, so they
 * mutate a real model with its weights in an external file (the form large exports take), while
 * byte steps mutate the file as it is.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import {
  AttributeProto_AttributeType,
  ModelProtoSchema,
  NodeProtoSchema,
  OperatorSetIdProtoSchema,
  StringStringEntryProtoSchema,
  TensorProto_DataLocation,
  TensorProtoSchema,
  TypeProtoSchema,
  ValueInfoProtoSchema,
} from 'onnx-buf';
import { writeOnnx } from '../../../src/io/onnx/export.js';
import { SHARED_DIR } from '../shared.js';
import { randomNetwork } from '../random-network.js';

export interface FuzzSeed {
  readonly name: string;
  /** The file as it is: what byte steps mutate. */
  readonly bytes: Uint8Array;
  /**
   * The same model for structure steps, which re-encode it: a real model's weights moved to an
   * external file in the fuzz folder, so a case does not copy megabytes through protobuf's writer.
   */
  readonly structureBytes: Uint8Array;
}

/** How many random networks the built seeds hold beside the hand-made one. */
const BUILT_NETWORKS = 6;

/** The external data file the hand-made model's weight lives in, inside the fuzz folder's model dir. */
export const EXTERNAL_FILE = 'weights.bin';

/** Where the fuzzed bytes claim to come from, so external data paths resolve in a known folder. */
export interface FuzzFolder {
  /** The path readOnnx is told the bytes came from; its folder holds EXTERNAL_FILE and the real models' weights. */
  readonly modelPath: string;
}

/** A temporary model folder with the external weight file, and a file outside it that a path with ".." would reach. */
export function makeFuzzFolder(): FuzzFolder {
  const root = mkdtempSync(join(tmpdir(), 'netsat-fuzz-'));
  mkdirSync(join(root, 'model'));
  writeFileSync(join(root, 'model', EXTERNAL_FILE), new Uint8Array(Float32Array.from([1, 2, 3, 4]).buffer));
  writeFileSync(join(root, 'outside.bin'), new Uint8Array(64));
  return { modelPath: join(root, 'model', 'model.onnx') };
}

/** Initializers smaller than this stay in the file when a model's weights move out. */
const EXTERNAL_MIN_BYTES = 1024;

/** `bytes` with every large raw_data payload moved to `<name>.weights` beside the folder's model path. */
function externalized(name: string, bytes: Uint8Array, folder: FuzzFolder): Uint8Array {
  const model = fromBinary(ModelProtoSchema, bytes);
  const file = `${name}.weights`;
  const payloads: Uint8Array[] = [];
  let offset = 0;
  for (const t of model.graph?.initializer ?? []) {
    if (t.rawData.length < EXTERNAL_MIN_BYTES) continue;
    const entry = (key: string, value: string) => create(StringStringEntryProtoSchema, { key, value });
    t.externalData = [entry('location', file), entry('offset', String(offset)), entry('length', String(t.rawData.length))];
    t.dataLocation = TensorProto_DataLocation.EXTERNAL;
    payloads.push(t.rawData);
    offset += t.rawData.length;
    t.rawData = new Uint8Array(0);
  }
  writeFileSync(join(dirname(folder.modelPath), file), Buffer.concat(payloads));
  return toBinary(ModelProtoSchema, model);
}

function value(name: string, dims: readonly (number | string)[], elemType = 1) {
  const dim = dims.map((d) => ({ value: typeof d === 'string' ? { case: 'dimParam' as const, value: d } : { case: 'dimValue' as const, value: BigInt(d) } }));
  return create(ValueInfoProtoSchema, { name, type: create(TypeProtoSchema, { value: { case: 'tensorType', value: { elemType, shape: { dim } } } }) });
}

/**
 * x[batch, 4] → Reshape(int64 shape) → Mul(Constant) → Add(external w) → Gather(int64 idx) → Foo
 * (unmodelled, typed by value_info) → Expand to a shape given at run time (the input `target`, whose
 * length is the output's rank) → Add(Cast of float16 data).
 */
function handMade(): Uint8Array {
  const attr = (name: string, fields: Record<string, unknown>) => ({ name, ...fields });
  const graph = {
    name: 'fuzz_features',
    input: [value('x', ['batch', 4]), value('target', [2], 7)],
    output: [value('y', ['batch', 2])],
    valueInfo: [value('f', ['batch', 2])],
    initializer: [
      create(TensorProtoSchema, { name: 'shape', dataType: 7, dims: [2n], int64Data: [-1n, 4n] }),
      create(TensorProtoSchema, {
        name: 'w',
        dataType: 1,
        dims: [4n],
        dataLocation: TensorProto_DataLocation.EXTERNAL,
        externalData: [create(StringStringEntryProtoSchema, { key: 'location', value: EXTERNAL_FILE })],
      }),
      create(TensorProtoSchema, { name: 'idx', dataType: 7, dims: [2n], rawData: new Uint8Array(BigInt64Array.from([0n, 3n]).buffer) }),
      create(TensorProtoSchema, { name: 'half', dataType: 10, dims: [2n], int32Data: [0x3c00, 0xc000] }),
    ],
    node: [
      create(NodeProtoSchema, { opType: 'Reshape', input: ['x', 'shape'], output: ['r'], name: 'reshape' }),
      create(NodeProtoSchema, {
        opType: 'Constant',
        output: ['c'],
        name: 'const',
        attribute: [attr('value', { type: AttributeProto_AttributeType.TENSOR, t: create(TensorProtoSchema, { dataType: 1, dims: [4n], floatData: [0.5, 1, 2, 4] }) })],
      }),
      create(NodeProtoSchema, { opType: 'Mul', input: ['r', 'c'], output: ['m'], name: 'mul' }),
      create(NodeProtoSchema, { opType: 'Add', input: ['m', 'w'], output: ['a'], name: 'add' }),
      create(NodeProtoSchema, {
        opType: 'Gather',
        input: ['a', 'idx'],
        output: ['g'],
        name: 'gather',
        attribute: [attr('axis', { type: AttributeProto_AttributeType.INT, i: 1n })],
      }),
      create(NodeProtoSchema, {
        opType: 'Foo',
        domain: 'example.fuzz',
        input: ['g'],
        output: ['f'],
        name: 'foo',
        attribute: [attr('alpha', { type: AttributeProto_AttributeType.FLOAT, f: 0.5 })],
      }),
      create(NodeProtoSchema, { opType: 'Cast', input: ['half'], output: ['h'], name: 'cast', attribute: [attr('to', { type: AttributeProto_AttributeType.INT, i: 1n })] }),
      create(NodeProtoSchema, { opType: 'Expand', input: ['f', 'target'], output: ['e'], name: 'expand' }),
      create(NodeProtoSchema, { opType: 'Add', input: ['e', 'h'], output: ['y'], name: 'bias' }),
    ],
  };
  const opsetImport = [create(OperatorSetIdProtoSchema, { domain: '', version: 18n }), create(OperatorSetIdProtoSchema, { domain: 'example.fuzz', version: 1n })];
  return toBinary(ModelProtoSchema, create(ModelProtoSchema, { irVersion: 8n, producerName: 'netsat-fuzz', opsetImport, graph }));
}

/** The hand-made model and random networks written by writeOnnx: small, so a case costs about a millisecond. */
export function builtSeeds(): FuzzSeed[] {
  const built = Array.from({ length: BUILT_NETWORKS }, (_, k) => writeOnnx(randomNetwork(1000 + k, { minLayers: 4, maxLayers: 14 })));
  return [handMade(), ...built].map((bytes, k) => ({ name: k ? `random-${k - 1}` : 'hand-made', bytes, structureBytes: bytes }));
}

/** The real models of ../shared/data/onnx, by file name (weights for structure steps written into `folder`); none when ../shared is not beside the clone. */
export function realSeeds(folder: FuzzFolder): FuzzSeed[] {
  if (!SHARED_DIR) return [];
  const dir = join(SHARED_DIR, 'data', 'onnx');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.onnx'))
    .sort()
    .map((f) => {
      const name = f.replace(/\.onnx$/, '');
      const bytes = new Uint8Array(readFileSync(join(dir, f)));
      return { name, bytes, structureBytes: externalized(name, bytes, folder) };
    });
}
