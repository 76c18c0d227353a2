/**
 * Network → ONNX bytes. Live layers are written in topological order with their original names;
 * constants become initializers (raw_data straight from their data), the opset, producer and
 * metadata come from the file the network was read from.
 */
import { create, toBinary } from '@bufbuild/protobuf';
import {
  GraphProtoSchema,
  ModelProtoSchema,
  OperatorSetIdProtoSchema,
  StringStringEntryProtoSchema,
  TypeProtoSchema,
  TypeProto_TensorSchema,
  TensorShapeProtoSchema,
  TensorShapeProto_DimensionSchema,
  ValueInfoProtoSchema,
} from 'onnx-buf';
import type { StringStringEntryProto, TensorProto, ValueInfoProto } from 'onnx-buf';
import type { Network } from '../../network/network.js';
import type { Tensor } from '../../network/tensor.js';
import { onnxCodeOf } from './dtypes.js';
import type { Emit, ExportTarget } from './emit.js';
import { OnnxExportError } from './errors.js';
import { STANDARD_EXPORTERS } from './export-ops.js';
import { ortAbsorbedLayer } from './gpt-attention.js';
import { GraphWriter } from './graph-writer.js';
import { defaultOpsetOf, onnxOriginOf } from './origin.js';
import type { OnnxOrigin } from './origin.js';
import { exportForOrt } from './ort-ops.js';
import { OPSET_RANGE } from './decode.js';
import { takesFirstInput } from './op-input-types.js';
import { misplacedForm } from './opset-forms.js';
import { minimumIrVersion, OP_VERSIONS, opVersionAt } from './op-versions.js';
import { arrayToTensor } from './tensor-data.js';
import { keptAttributes } from './opaque-node.js';
import { bodyNames, outerReferences } from './subgraphs.js';

export interface OnnxWriteOptions {
  /** 'onnx' (default): standard ops only. 'ort': onnxruntime contrib ops for fused kinds where it has kernels. */
  target?: ExportTarget;
  /** Opset, producer and metadata to write; default: those of the file the network was read from, if any. */
  origin?: OnnxOrigin;
  /**
   * The default-domain opset to write, 7 to 21; default: the origin's (18 without one). Ops are written
   * in that opset's forms; a node kept as it was read (an Opaque layer) whose op changed between the
   * two opsets, or a form the opset cannot express, is refused (OnnxExportError).
   */
  opset?: number;
  /** metadata_props entries to write, replacing the origin's entries of the same keys. */
  metadata?: Readonly<Record<string, string>>;
}

function metadataProps(origin: OnnxOrigin | undefined, extra: Readonly<Record<string, string>>): StringStringEntryProto[] {
  const kept = (origin?.metadataProps ?? []).filter((p) => !(p.key in extra));
  return [...kept, ...Object.entries(extra).map(([key, value]) => create(StringStringEntryProtoSchema, { key, value }))];
}

function valueInfo(t: Tensor): ValueInfoProto {
  const dim = t.shape.map((d) =>
    create(TensorShapeProto_DimensionSchema, { value: typeof d === 'number' ? { case: 'dimValue', value: BigInt(d) } : { case: 'dimParam', value: d } }),
  );
  const tensorType = create(TypeProto_TensorSchema, { elemType: onnxCodeOf(t.dtype), shape: create(TensorShapeProtoSchema, { dim }) });
  return create(ValueInfoProtoSchema, { name: t.name, type: create(TypeProtoSchema, { value: { case: 'tensorType', value: tensorType } }) });
}

/**
 * The initializers some node or graph output reads. A rewrite can leave a weight without users
 * (q, k and v merged into one qkv weight keep the three originals as live constants), and
 * onnxruntime warns on every unused initializer it loads.
 */
function usedInitializers(w: GraphWriter, network: Network): TensorProto[] {
  // A control-flow body may be the only reader of an initializer of the graph around it.
  const read = new Set([...w.nodes.flatMap((n) => [...n.input, ...outerReferences(n)]), ...network.outputs.map((t) => t.name)]);
  return w.initializers.filter((t) => read.has(t.name));
}

const isDefaultDomain = (domain: string) => domain === '' || domain === 'ai.onnx';

function writtenOpset(origin: OnnxOrigin | undefined, asked: number | undefined): number {
  if (asked === undefined) return defaultOpsetOf(origin);
  if (!Number.isInteger(asked) || asked < OPSET_RANGE[0] || asked > OPSET_RANGE[1]) {
    throw new OnnxExportError(`opset ${asked} cannot be written`, { where: 'opset', hint: `netsat writes opsets ${OPSET_RANGE[0]} to ${OPSET_RANGE[1]}` });
  }
  return asked;
}

/** The origin's IR version, raised where the opset written is newer than that IR allows. */
function irVersion(origin: OnnxOrigin | undefined, opset: number): bigint {
  const least = BigInt(minimumIrVersion(opset));
  const kept = origin?.irVersion ?? 8n;
  return kept > least ? kept : least;
}

/**
 * Every default-domain node netsat writes exists at `w.opset`, takes its first input's element type
 * there (where the network knows that tensor), and below opset 7 is the version 7
 * has (the one netsat writes). Nodes kept as read are checked where they are written (opaque-forms.ts).
 */
function checkOpset(w: GraphWriter, network: Network): void {
  const kept = new Set(network.layers.filter((l) => l.op === 'Opaque').map((l) => l.name));
  const dtypes = new Map(network.allTensors.map((t) => [t.name, t.dtype]));
  for (const node of w.nodes) {
    if (!isDefaultDomain(node.domain) || kept.has(node.name)) continue;
    const now = opVersionAt(node.opType, w.opset);
    // onnxruntime registers a few of its own ops in the default domain (SimplifiedLayerNormalization).
    if (now === undefined && node.opType in OP_VERSIONS) {
      throw new OnnxExportError(`${node.opType} does not exist at opset ${w.opset}`, { where: node.name, hint: 'write a later opset (--opset)' });
    }
    const dtype = dtypes.get(node.input[0] ?? '');
    if (now !== undefined && dtype && !takesFirstInput(node.opType, now, dtype)) {
      throw new OnnxExportError(`${node.opType}-${now} (opset ${w.opset}) does not take ${dtype} tensors`, { where: node.name, hint: 'write a later opset (--opset)' });
    }
    const misplaced = misplacedForm(node, w.opset);
    if (misplaced) throw new OnnxExportError(`${misplaced}; this node was written in another opset's form`, { where: node.name, hint: 'write a later opset (--opset)' });
    if (w.opset < OPSET_RANGE[0] && now !== opVersionAt(node.opType, OPSET_RANGE[0])) {
      throw new OnnxExportError(`${node.opType}-${now} at opset ${w.opset} is not the form netsat writes`, {
        where: node.name,
        hint: `write opset ${OPSET_RANGE[0]} or later (--opset)`,
      });
    }
  }
}

/** The ONNX model of `network`'s live layers. Throws OnnxExportError for constants without data or ops with no ONNX form. */
export function writeOnnx(network: Network, options: OnnxWriteOptions = {}): Uint8Array {
  const target = options.target ?? 'onnx';
  const origin = options.origin ?? onnxOriginOf(network);
  const readOpset = defaultOpsetOf(origin);
  const opset = writtenOpset(origin, options.opset);
  // Fresh names must not collide with the names defined inside control-flow bodies either.
  const bodies = network.layers.flatMap((l) => (l.op === 'Opaque' ? bodyNames({ attribute: keptAttributes(l) }) : []));
  const w = new GraphWriter([...network.allTensors.map((t) => t.name), ...bodies], opset);
  const declared: ValueInfoProto[] = [];
  // Projections (and qkv Concats) onnxruntime's attention kernels take in are written by their attention layer.
  const absorbed = new Set(target === 'ort' ? network.layers.flatMap((l) => ortAbsorbedLayer(l) ?? []) : []);
  for (const layer of network.layers) {
    if (absorbed.has(layer)) continue;
    if (layer.op === 'Constant') {
      const out = layer.outputs[0]!;
      w.initializers.push(arrayToTensor(out.name, out.dtype, out.shape as number[], layer.constantData));
      continue;
    }
    const e: Emit = { w, layer, ins: layer.inputs.map((t) => t?.name ?? ''), outs: layer.outputs.map((t) => t.name), target, readOpset };
    w.nameNextNode(layer.name);
    if (target === 'ort' && exportForOrt(e)) continue;
    const write = STANDARD_EXPORTERS[layer.op];
    if (!write) throw new OnnxExportError(`no ONNX form is known for op ${layer.op}`, { where: layer.name, hint: 'add it to src/io/onnx/export-ops.ts' });
    write(e);
    // Opaque outputs keep their declared types, so the file reads back without shape inference.
    if (layer.op === 'Opaque') for (const t of layer.outputs) if (!network.isOutput(t)) declared.push(valueInfo(t));
  }
  const graph = create(GraphProtoSchema, {
    name: origin?.graphName || network.name,
    docString: origin?.graphDocString ?? '',
    node: w.nodes,
    initializer: usedInitializers(w, network),
    input: network.inputs.map(valueInfo),
    output: network.outputs.map(valueInfo),
    valueInfo: declared,
  });
  checkOpset(w, network);
  const opsets = [...(origin?.opsetImport ?? []).filter((o) => !isDefaultDomain(o.domain)), create(OperatorSetIdProtoSchema, { domain: '', version: BigInt(opset) })];
  for (const domain of w.domains) {
    if (!opsets.some((o) => o.domain === domain)) opsets.push(create(OperatorSetIdProtoSchema, { domain, version: 1n }));
  }
  const model = create(ModelProtoSchema, {
    irVersion: irVersion(origin, opset),
    opsetImport: opsets,
    producerName: origin?.producerName ?? 'netsat',
    producerVersion: origin?.producerVersion ?? '',
    domain: origin?.domain ?? '',
    modelVersion: origin?.modelVersion ?? 0n,
    docString: origin?.docString ?? '',
    metadataProps: metadataProps(origin, options.metadata ?? {}),
    functions: [...(origin?.functions ?? [])],
    graph,
  });
  return toBinary(ModelProtoSchema, model);
}
