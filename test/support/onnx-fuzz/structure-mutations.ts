/**
 * Structure-level mutations of a decoded ModelProto: the fields a byte flip rarely reaches with a
 * meaningful value. Each kind reads its step's three numbers as picks (which node, which slot, which
 * bad value), modulo what they index, so every step applies to every model and shrinks toward the
 * first target and the first bad value. Payload bytes are never written in place: they are views
 * into the seed.
 */
import { create } from '@bufbuild/protobuf';
import {
  AttributeProto_AttributeType,
  AttributeProtoSchema,
  OperatorSetIdProtoSchema,
  StringStringEntryProtoSchema,
  TensorProto_DataLocation,
  TensorProtoSchema,
  TypeProtoSchema,
  ValueInfoProtoSchema,
} from 'onnx-buf';
import type { AttributeProto, GraphProto, ModelProto, TensorProto, ValueInfoProto } from 'onnx-buf';

export const STRUCTURE_KINDS = ['dim', 'dtype', 'nodeInput', 'nodeOutput', 'node', 'attribute', 'data', 'external', 'opset', 'graphIo'] as const;
export type StructureKind = (typeof STRUCTURE_KINDS)[number];

export interface StructureStep {
  kind: StructureKind;
  /** Picks the target (node, tensor, value info). */
  a: number;
  /** Picks the slot within it (dim, input, attribute). */
  b: number;
  /** Picks the bad value. */
  c: number;
}

const pick = <T>(list: readonly T[], n: number): T | undefined => (list.length ? list[n % list.length] : undefined);

const I64_MAX = 2n ** 63n - 1n;
const DIM_VALUES = [-1n, 0n, 2n ** 40n + 1n, 2n ** 31n, 2n ** 20n, I64_MAX, -I64_MAX, 1n, 7n, 2n ** 62n];
const DIM_PARAMS = ['N', '', 'a b', '∂', '0', 'batch'];
/** Element type codes: unknown (0, 99, negative), unsupported (uint8 ... float8), supported. */
const DTYPES = [0, 99, 2, 3, 8, 11, 16, 17, 21, -1, 1, 6, 7, 9, 10];
const OPSETS = [0n, 12n, 22n, 2n ** 62n, -1n, 1n, 7n, 13n, 21n];
const EXTERNAL_LOCATIONS = ['../outside.bin', '/etc/hostname', 'missing.bin', 'sub/../../outside.bin', '', '.', '..', 'weights.bin', './weights.bin'];
const EXTERNAL_NUMBERS = ['-4', '99999999999999999999', 'abc', '4', '0', '1e3', ''];
const OP_TYPES = ['Relu', 'Reshape', 'Transpose', 'Slice', 'Concat', 'Split', 'Gather', 'MatMul', 'Conv', 'Softmax', 'Constant', 'Shape', 'Expand', 'Loop', 'Attention', 'Foo', ''];
const DOMAINS = ['com.microsoft', 'ai.onnx', 'custom.x', 'ai.onnx.ml'];

/** The value infos with a tensor type: graph inputs, outputs and value_info. */
function valueInfos(g: GraphProto): ValueInfoProto[] {
  return [...g.input, ...g.output, ...g.valueInfo];
}

function tensorTypeOf(v: ValueInfoProto | undefined) {
  return v?.type?.value.case === 'tensorType' ? v.type.value.value : undefined;
}

/** All tensor names a node may read. */
function names(g: GraphProto): string[] {
  return [...g.input.map((v) => v.name), ...g.initializer.map((t) => t.name), ...g.node.flatMap((n) => n.output)];
}

function mutateDim(g: GraphProto, s: StructureStep): void {
  if (s.c % 3 === 2) {
    const t = pick(g.initializer, s.a);
    if (t) t.dims[s.b % Math.max(1, t.dims.length)] = DIM_VALUES[s.c % DIM_VALUES.length]!;
    return;
  }
  const shape = tensorTypeOf(pick(valueInfos(g), s.a))?.shape;
  if (!shape) return;
  const dims = shape.dim;
  const k = s.b % (dims.length + 1);
  if (s.c % 7 === 6) dims.splice(k, 1);
  else if (s.c % 3 === 1) dims[k] = { $typeName: 'onnx.TensorShapeProto.Dimension', denotation: '', value: { case: 'dimParam', value: DIM_PARAMS[s.c % DIM_PARAMS.length]! } };
  else dims[k] = { $typeName: 'onnx.TensorShapeProto.Dimension', denotation: '', value: { case: 'dimValue', value: DIM_VALUES[s.c % DIM_VALUES.length]! } };
}

function mutateDtype(g: GraphProto, s: StructureStep): void {
  const code = DTYPES[s.c % DTYPES.length]!;
  const target = s.b % 3;
  if (target === 0) {
    const t = tensorTypeOf(pick(valueInfos(g), s.a));
    if (t) t.elemType = code;
  } else if (target === 1) {
    const t = pick(g.initializer, s.a);
    if (t) t.dataType = code;
  } else {
    const to = pick(
      g.node.flatMap((n) => n.attribute.filter((a) => a.name === 'to' || a.name === 'dtype')),
      s.a,
    );
    if (to) to.i = BigInt(code);
  }
}

/** Rewires one input: dangling, omitted, another node's output (a later one makes a cycle), the node's own output, or one more or fewer. */
function mutateNodeInput(g: GraphProto, s: StructureStep): void {
  const node = pick(g.node, s.a);
  if (!node) return;
  const k = s.b % (node.input.length + 1);
  const choice = s.c % 6;
  if (choice === 0) node.input[k] = `dangling_${s.c}`;
  else if (choice === 1) node.input[k] = '';
  else if (choice === 2) node.input[k] = pick(names(g), s.c) ?? 'x';
  else if (choice === 3) node.input[k] = node.output[0] ?? 'self';
  else if (choice === 4) node.input.push(pick(names(g), s.c) ?? 'x');
  else node.input.splice(k, 1);
}

function mutateNodeOutput(g: GraphProto, s: StructureStep): void {
  const node = pick(g.node, s.a);
  if (!node) return;
  const k = s.b % (node.output.length + 1);
  const choice = s.c % 5;
  if (choice === 0) node.output[k] = pick(names(g), s.c) ?? 'x';
  else if (choice === 1) node.output[k] = '';
  else if (choice === 2) node.output.splice(k, 1);
  else if (choice === 3) node.output.push(`extra_${s.c}`);
  else node.output = [];
}

function mutateNode(g: GraphProto, s: StructureStep): void {
  const node = pick(g.node, s.a);
  if (!node) return;
  const choice = s.c % 6;
  if (choice === 0) g.node.splice(s.a % g.node.length, 1);
  else if (choice === 1) g.node.push({ ...node, name: '' });
  else if (choice === 2) node.opType = OP_TYPES[s.b % OP_TYPES.length]!;
  else if (choice === 3) node.domain = DOMAINS[s.b % DOMAINS.length]!;
  else if (choice === 4) node.name = pick(g.node, s.b)?.name ?? '';
  else g.node.reverse();
}

/** A value of the wrong kind, out of range, or absurdly long. */
function badAttribute(a: AttributeProto, c: number): void {
  const choice = c % 9;
  if (choice === 0) a.type = ((a.type + 1 + (c % 12)) % 14) as AttributeProto_AttributeType;
  else if (choice === 1) a.i = DIM_VALUES[c % DIM_VALUES.length]!;
  else if (choice === 2) a.ints = Array.from({ length: 100_000 }, (_, k) => BigInt(k));
  else if (choice === 3) a.ints = [DIM_VALUES[c % DIM_VALUES.length]!, -1n];
  else if (choice === 4) a.f = [Number.NaN, Number.POSITIVE_INFINITY, -0][c % 3]!;
  else if (choice === 5) a.floats = [];
  else if (choice === 6) a.t = create(TensorProtoSchema, { dataType: DTYPES[c % DTYPES.length]!, dims: [DIM_VALUES[c % DIM_VALUES.length]!], floatData: [1] });
  else if (choice === 7) a.type = AttributeProto_AttributeType.GRAPH;
  else a.strings = [new Uint8Array([0xff, 0xfe])];
}

function mutateAttribute(g: GraphProto, s: StructureStep): void {
  const node = pick(g.node, s.a);
  if (!node) return;
  const attr = pick(node.attribute, s.b);
  if (s.c % 10 === 9 || !attr) {
    // Missing, or one the op does not have.
    if (attr) node.attribute.splice(node.attribute.indexOf(attr), 1);
    else node.attribute.push(create(AttributeProtoSchema, { name: ['axis', 'perm', 'to', 'value', 'zzz'][s.b % 5]!, type: AttributeProto_AttributeType.INTS, ints: [2n ** 40n] }));
    return;
  }
  badAttribute(attr, s.c);
}

/** Every TensorProto in the graph: initializers and Constant nodes' values. */
function tensors(g: GraphProto): TensorProto[] {
  return [...g.initializer, ...g.node.flatMap((n) => n.attribute.flatMap((a) => (a.t ? [a.t] : [])))];
}

/** Data that does not match the shape: short, long, in both raw_data and typed fields, or typed fields of another kind. */
function mutateData(g: GraphProto, s: StructureStep): void {
  const t = pick(tensors(g), s.a);
  if (!t) return;
  const choice = s.c % 6;
  if (choice === 0) t.rawData = t.rawData.subarray(0, s.b % Math.max(1, t.rawData.length));
  else if (choice === 1) t.rawData = new Uint8Array(t.rawData.length + 1 + (s.b % 7));
  else if (choice === 2) t.floatData = [1, 2, 3];
  else if (choice === 3) t.int64Data = [I64_MAX, -I64_MAX];
  else if (choice === 4) {
    t.rawData = new Uint8Array(0);
    t.int32Data = Array.from({ length: s.b % 5 }, (_, k) => k);
  } else t.doubleData = [1.5];
}

/** External data: locations leaving the folder, missing files, offsets and lengths out of range. */
function mutateExternal(g: GraphProto, s: StructureStep): void {
  const t = pick(tensors(g), s.a);
  if (!t) return;
  const entry = (key: string, value: string) => create(StringStringEntryProtoSchema, { key, value });
  t.dataLocation = s.c % 8 === 7 ? (5 as TensorProto_DataLocation) : TensorProto_DataLocation.EXTERNAL;
  t.externalData = [entry('location', EXTERNAL_LOCATIONS[s.b % EXTERNAL_LOCATIONS.length]!)];
  if (s.c % 2) t.externalData.push(entry('offset', EXTERNAL_NUMBERS[s.c % EXTERNAL_NUMBERS.length]!));
  if (s.c % 3) t.externalData.push(entry('length', EXTERNAL_NUMBERS[(s.c >> 2) % EXTERNAL_NUMBERS.length]!));
}

function mutateOpset(m: ModelProto, s: StructureStep): void {
  const choice = s.c % 4;
  if (choice === 0) m.opsetImport = [];
  else if (choice === 1) m.opsetImport.push(create(OperatorSetIdProtoSchema, { domain: '', version: OPSETS[s.b % OPSETS.length]! }));
  else if (choice === 2) {
    const o = pick(m.opsetImport, s.a);
    if (o) o.version = OPSETS[s.b % OPSETS.length]!;
  } else {
    const o = pick(m.opsetImport, s.a);
    if (o) o.domain = ['ai.onnx', 'x', ''][s.b % 3]!;
  }
}

/** Graph inputs and outputs: removed, duplicated, naming nothing, typed as something other than a shaped tensor. */
function mutateGraphIo(g: GraphProto, s: StructureStep): void {
  const list = s.b % 2 ? g.output : g.input;
  const v = pick(list, s.a);
  const choice = s.c % 8;
  if (choice === 0 && v) list.splice(list.indexOf(v), 1);
  else if (choice === 1 && v) list.push(v);
  else if (choice === 2) list.push(create(ValueInfoProtoSchema, { name: `nothing_${s.c}` }));
  else if (choice === 3) list.length = 0;
  else if (choice === 4 && v) v.name = pick(names(g), s.c) ?? '';
  else if (choice === 5 && v) v.type = create(TypeProtoSchema, { value: { case: 'sequenceType', value: {} } });
  else if (choice === 6 && v) v.type = undefined;
  else if (v) {
    const t = tensorTypeOf(v);
    if (t) t.shape = undefined;
  }
}

const GRAPH_MUTATIONS: Readonly<Record<Exclude<StructureKind, 'opset'>, (g: GraphProto, s: StructureStep) => void>> = {
  dim: mutateDim,
  dtype: mutateDtype,
  nodeInput: mutateNodeInput,
  nodeOutput: mutateNodeOutput,
  node: mutateNode,
  attribute: mutateAttribute,
  data: mutateData,
  external: mutateExternal,
  graphIo: mutateGraphIo,
};

/** Applies one step to `model` in place. */
export function mutateStructure(model: ModelProto, s: StructureStep): void {
  if (s.kind === 'opset') mutateOpset(model, s);
  else if (model.graph) GRAPH_MUTATIONS[s.kind](model.graph, s);
}
