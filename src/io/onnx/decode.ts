/**
 * ONNX bytes → Network. Checks the file before building anything (protobuf, opset, names, cycles,
 * dims), then adds inputs, initializers as constants (views into the bytes) and nodes in
 * topological order, each mapped onto the registry or kept as an Opaque layer.
 */
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fromBinary, toJson } from '@bufbuild/protobuf';
import { AttributeProtoSchema, ModelProtoSchema } from 'onnx-buf';
import type { GraphProto, ModelProto, NodeProto, ValueInfoProto } from 'onnx-buf';
import { NetsatError } from '../../errors.js';
import { Network } from '../../network/network.js';
import type { Layer } from '../../network/layer.js';
import type { Tensor } from '../../network/tensor.js';
import type { Dim, TensorType } from '../../ops/types.js';
import { checkedType } from './dims.js';
import { OnnxImportError } from './errors.js';
import { contribOutputTypes } from './contrib-types.js';
import { reconcileDeclared } from './declared-types.js';
import { standardOutputTypes } from './standard-types.js';
import type { StandardNode } from './type-rule.js';
import { convertNode } from './import-ops.js';
import type { NodeView } from './import-ops.js';
import { foldShapeValue } from './shape-values.js';
import { rememberOrigin } from './origin.js';
import type { OnnxOrigin } from './origin.js';
import { parseInputShapes } from './input-shapes.js';
import { opVersionAt } from './op-versions.js';
import { tensorShape, tensorToArray } from './tensor-data.js';
import { tensorTypeOf } from './value-info.js';
import { graphOuterReferences, nodeBodies, outerReferences } from './subgraphs.js';
import { controlFlowOutputTypes } from './types-control-flow.js';
import type { BodyTyper } from './types-control-flow.js';
import type { DataContext } from './tensor-data.js';

export interface OnnxReadOptions {
  /** The file's path: named in errors, and its folder holds external data files. */
  path?: string;
  /** Fixes input dims, as `"input_ids:1,32 mask:1,32"` or `{input_ids: [1, 32]}`. */
  overwriteInputShapes?: string | Readonly<Record<string, readonly number[]>>;
}

export interface OnnxModel {
  network: Network;
  origin: OnnxOrigin;
}

/** The opsets whose op forms netsat converts; older models are read only where no op changed before 7 (checkLegacyNodes). */
export const OPSET_RANGE = [7, 21] as const;

function decodeModel(bytes: Uint8Array, where: string): ModelProto {
  try {
    return fromBinary(ModelProtoSchema, bytes);
  } catch (e) {
    throw new OnnxImportError(`not a valid ONNX protobuf: ${(e as Error).message}`, { where, hint: 'the file is truncated or corrupt; re-export or re-download it' });
  }
}

function defaultOpset(model: ModelProto, where: string): number {
  const entry = model.opsetImport.find((o) => o.domain === '' || o.domain === 'ai.onnx');
  const version = entry ? Number(entry.version) : undefined;
  if (version === undefined || version < 1 || version > OPSET_RANGE[1]) {
    throw new OnnxImportError(`opset ${version ?? '(none)'} of the default domain is not supported`, {
      where,
      hint: `netsat reads opsets ${OPSET_RANGE[0]}–${OPSET_RANGE[1]}; convert the model with onnx.version_converter.convert_version(model, 18)`,
    });
  }
  if (version < OPSET_RANGE[0]) checkLegacyNodes(model.graph?.node ?? [], version, where);
  return version;
}

/**
 * Below opset 7 a model is read only where each of its ops is the version opset 7 has too (Relu-6,
 * GlobalAveragePool-1, ...): those nodes mean what they mean at 7, while older versions (broadcast
 * attributes, consumed_inputs) are not converted.
 */
function checkLegacyNodes(nodes: readonly NodeProto[], version: number, where: string): void {
  for (const node of nodes) {
    if (node.domain !== '' && node.domain !== 'ai.onnx') continue;
    const then = opVersionAt(node.opType, version);
    if (then !== opVersionAt(node.opType, OPSET_RANGE[0])) {
      throw new OnnxImportError(`opset ${version} of the default domain is read only where every op is unchanged up to opset ${OPSET_RANGE[0]}; ${node.opType}-${then} is not`, {
        where: node.name || where,
        hint: `convert the model with onnx.version_converter.convert_version(model, ${OPSET_RANGE[0]}) or later`,
      });
    }
  }
}

/** Unnamed unknown dims get a fresh symbol each, in the main graph and its bodies alike. */
class Symbols {
  #unknown = 0;
  unknown(): Dim {
    return `unk_${this.#unknown++}`;
  }
}

function valueType(v: ValueInfoProto, symbols: Symbols): TensorType | undefined {
  return tensorTypeOf(v, () => symbols.unknown());
}

/** The types a graph's value_info and outputs declare. */
function declaredTypes(values: readonly ValueInfoProto[], symbols: Symbols): Map<string, TensorType> {
  const declared = new Map<string, TensorType>();
  for (const v of values) {
    const t = valueType(v, symbols);
    if (t) declared.set(v.name, t);
  }
  return declared;
}

/** What importing a node needs beyond the node: the file's folder, and the symbols of unnamed dims. */
interface ReadContext extends DataContext {
  readonly symbols: Symbols;
}

/**
 * Checks names (each produced once, each read one produced) and returns the nodes in topological
 * order. A control-flow body is checked the same way inside the scope around it (`outer`): it may
 * read those names, but not define one again; what its node's bodies read from outside counts as
 * the node's input, so the node comes after the producer.
 */
function orderNodes(graph: GraphProto, where: string, outer?: ReadonlySet<string>): NodeProto[] {
  const producer = new Map<string, string>();
  const claim = (name: string, by: string) => {
    const before = producer.get(name) ?? (outer?.has(name) ? 'the graph around this body' : undefined);
    if (before !== undefined) {
      throw new OnnxImportError(`the name "${name}" is produced twice: by ${before} and by ${by}`, { where: by, hint: 'every tensor name must be produced once; rename one' });
    }
    producer.set(name, by);
  };
  const initializers = new Set(graph.initializer.map((t) => t.name));
  // Node outputs may be '' (an omitted optional output); an initializer or graph input may not.
  const named = (name: string, what: string) => {
    if (!name) throw new OnnxImportError(`${what} has an empty name`, { where: what, hint: 'every initializer and graph input needs a name' });
  };
  graph.initializer.forEach((t, i) => named(t.name, `initializer #${i}`));
  graph.input.forEach((v, i) => named(v.name, `graph input #${i}`));
  for (const t of graph.initializer) claim(t.name, `initializer ${t.name}`);
  for (const v of graph.input) if (!initializers.has(v.name)) claim(v.name, `graph input ${v.name}`);
  const nodeNames = new Set<string>();
  const inBody = outer ? `${where}: ` : '';
  const labelOf = (node: NodeProto, i: number) => `${inBody}node ${node.name || `#${i}`} (${node.opType})`;
  graph.node.forEach((node, i) => {
    const label = labelOf(node, i);
    if (node.name) {
      if (nodeNames.has(node.name)) throw new OnnxImportError(`two nodes are named "${node.name}"`, { where: label, hint: 'node names must be unique; rename one' });
      nodeNames.add(node.name);
    }
    for (const o of node.output) if (o) claim(o, label);
  });
  const scope = new Set([...(outer ?? []), ...producer.keys()]);
  graph.node.forEach((node, i) => {
    for (const body of nodeBodies(node)) orderNodes(body, `${labelOf(node, i)} body ${body.name || '(unnamed)'}`, scope);
  });
  const reads = graph.node.map((node) => [...node.input, ...outerReferences(node)]);
  const nodeOf = new Map<string, number>();
  graph.node.forEach((node, i) => node.output.forEach((o) => o && nodeOf.set(o, i)));
  const waiting = graph.node.map((node, i) => {
    let count = 0;
    for (const name of reads[i]!) {
      if (!name) continue;
      if (!scope.has(name)) {
        throw new OnnxImportError(`input "${name}" of ${labelOf(node, i)} is produced by nothing`, {
          where: inBody ? labelOf(node, i) : node.name || `node #${i}`,
          hint: 'it is neither a graph input, an initializer nor a node output; the graph is broken',
        });
      }
      if (nodeOf.has(name)) count++;
    }
    return count;
  });
  const users = new Map<number, number[]>();
  reads.forEach((names, i) => names.forEach((name) => name && nodeOf.has(name) && users.set(nodeOf.get(name)!, [...(users.get(nodeOf.get(name)!) ?? []), i])));
  const ready = waiting.flatMap((w, i) => (w === 0 ? [i] : []));
  const order: NodeProto[] = [];
  while (ready.length) {
    const i = ready.pop()!;
    order.push(graph.node[i]!);
    for (const u of users.get(i) ?? []) if (--waiting[u]! === 0) ready.push(u);
  }
  if (order.length < graph.node.length) {
    const stuck = graph.node.filter((_, i) => waiting[i]! > 0).map((n, i) => n.name || `#${i}`);
    throw new OnnxImportError(`the graph has a cycle through ${stuck.slice(0, 8).join(', ')}${stuck.length > 8 ? ', ...' : ''}`, {
      where,
      hint: 'an ONNX graph must be acyclic; the file is corrupt',
    });
  }
  for (const o of graph.output) {
    if (!scope.has(o.name)) throw new OnnxImportError(`graph output "${o.name}" is produced by nothing`, { where: o.name || 'graph outputs', hint: 'the graph is broken' });
  }
  return order;
}

/** Reads an ONNX model from bytes; every problem is an OnnxImportError naming the node or tensor. */
export function readOnnx(bytes: Uint8Array, options: OnnxReadOptions = {}): OnnxModel {
  const where = options.path ?? 'ONNX bytes';
  const model = decodeModel(bytes, where);
  const graph = model.graph;
  if (!graph) throw new OnnxImportError('the model has no graph', { where, hint: 'the file is not an ONNX model, or it is corrupt' });
  const opset = defaultOpset(model, where);
  const order = orderNodes(graph, where);
  const symbols = new Symbols();
  const declared = declaredTypes([...graph.valueInfo, ...graph.output], symbols);
  // Shapes of everything are checked before the first tensor is materialized.
  for (const t of graph.initializer) tensorShape(t, `initializer ${t.name}`);
  const fixed = parseInputShapes(
    options.overwriteInputShapes,
    graph.input.map((v) => v.name),
    where,
  );
  const ctx: ReadContext = { modelDir: options.path ? dirname(options.path) : undefined, symbols };

  const network = new Network(graph.name || 'onnx');
  const tensors = new Map<string, Tensor>();
  const initializers = new Set(graph.initializer.map((t) => t.name));
  for (const v of graph.input) {
    if (initializers.has(v.name)) continue;
    const type = valueType(v, symbols);
    if (!type) throw new OnnxImportError(`graph input ${v.name} has no tensor type with a shape`, { where: v.name, hint: 'give the input a shape (dims or dim_params)' });
    const shape = fixed.get(v.name) ?? type.shape;
    if (shape.length !== type.shape.length) {
      throw new OnnxImportError(`overwriteInputShapes gives ${v.name} rank ${shape.length}, but it has rank ${type.shape.length}`, { where: v.name });
    }
    tensors.set(v.name, network.addInput(v.name, type.dtype, shape));
  }
  for (const t of graph.initializer) {
    const data = tensorToArray(t, `initializer ${t.name}`, ctx);
    const tensor = network.addConstant({ dtype: data.dtype, shape: data.shape, data, name: t.name });
    tensors.set(t.name, tensor);
  }
  order.forEach((node, i) => importNode(network, node, i, opset, tensors, declared, ctx));
  for (const o of graph.output) {
    // A node may name more outputs than its op makes; the extra names are never built.
    const t = tensors.get(o.name);
    if (!t) throw new OnnxImportError(`graph output "${o.name}" is named by a node whose op does not make that many outputs`, { where: o.name, hint: 'the graph is broken' });
    if (!network.isOutput(t)) network.markOutput(t);
  }
  const origin: OnnxOrigin = {
    irVersion: model.irVersion,
    opsetImport: model.opsetImport,
    producerName: model.producerName,
    producerVersion: model.producerVersion,
    domain: model.domain,
    modelVersion: model.modelVersion,
    docString: model.docString,
    metadataProps: model.metadataProps,
    functions: model.functions,
    graphName: graph.name,
    graphDocString: graph.docString,
  };
  rememberOrigin(network, origin);
  return { network, origin };
}

/** Reads an ONNX file; external data files are looked up in its folder. */
export function readOnnxFile(path: string, options: Omit<OnnxReadOptions, 'path'> = {}): OnnxModel {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new OnnxImportError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { where: path, hint: 'check the path' });
  }
  return readOnnx(bytes, { ...options, path });
}

function importNode(
  network: Network,
  node: NodeProto,
  index: number,
  opset: number,
  tensors: Map<string, Tensor>,
  declared: ReadonlyMap<string, TensorType>,
  ctx: ReadContext,
): void {
  // Initializers' constant layers take their tensor names, which a node may also bear.
  let name = node.name || `${node.opType}_${index}`;
  while (network.getLayer(name)) name = `${name}_node`;
  const label = `node ${name} (${node.opType})`;
  const view: NodeView = {
    node,
    opset,
    input: (i) => (node.input[i] ? tensors.get(node.input[i]!) : undefined),
    constant: (i) => {
      const data = view.input(i)?.producer?.constantData;
      return data ? Array.from(data.data) : undefined;
    },
    attr: (a) => node.attribute.find((x) => x.name === a),
    tensor: (t) => tensorToArray(t, `${label} attribute`, ctx),
  };
  const folded = foldShapeValue({ ...view, value: (i) => view.input(i)?.producer?.constantData });
  const converted = folded ? { constant: folded } : convertNode(view);
  if (converted && 'constant' in converted) {
    const c = converted.constant;
    tensors.set(node.output[0]!, network.addConstant({ dtype: c.dtype, shape: c.shape, data: c, name: node.output[0]! }));
    return;
  }
  let layer: Layer | undefined;
  if (converted) {
    try {
      layer = network.addLayer(converted.op, converted.inputs, converted.attrs, { name, outputNames: node.output.map((o) => o || undefined) });
    } catch (e) {
      // The registry refused this form (a symbolic slice, say): keep the node as it is, if its types are known.
      if (!(e instanceof NetsatError)) throw e;
      layer = opaqueOr(e, label, () => addOpaque(network, node, name, label, opset, tensors, declared, ctx));
    }
  }
  layer ??= addOpaque(network, node, name, label, opset, tensors, declared, ctx);
  // A registry op computes its outputs from the file's constants too (Reshape's shape), unchecked so far.
  for (const t of layer.outputs) checkedType(t.type, `${label} output ${t.name}`);
  layer.outputs.forEach((t) => tensors.set(t.name, t));
}

/** The Opaque layer `keep` adds; when it cannot be typed either, the registry's refusal is the error. */
function opaqueOr(refusal: NetsatError, label: string, keep: () => Layer): Layer {
  try {
    return keep();
  } catch (e) {
    if (!(e instanceof OnnxImportError)) throw e;
    throw new OnnxImportError(`cannot import: ${refusal.what}`, { where: label, hint: refusal.hint ?? 'fix the node, or run ONNX shape inference so it can be kept as it is' });
  }
}

/** What a type rule sees of the node; fresh dims are named after the output tensor, so they are unique. */
function ruleView(node: NodeProto, name: string, opset: number, inputs: readonly (Tensor | undefined)[], outputs: readonly string[]): StandardNode {
  return {
    name,
    opset,
    outputs: outputs.length,
    inputCount: inputs.length,
    fresh: (i, what) => `${outputs[i] ?? name}_${what}`.replace(/[^A-Za-z_0-9]/g, '_'),
    input: (i) => inputs[i]?.type,
    constant: (i) => {
      const data = inputs[i]?.producer?.constantData;
      return data ? Array.from(data.data) : undefined;
    },
    attr: (a) => node.attribute.find((x) => x.name === a),
  };
}

/**
 * Output types from the op's rule. The default domain's rules follow the spec, so the file's value_info
 * is checked against them; contrib ops' declared types are taken as they are, as before (their rules
 * cover only the forms netsat and onnxruntime's fusions write, and onnxscript's fusions declare others).
 */
function opaqueTypes(
  node: NodeProto,
  name: string,
  label: string,
  opset: number,
  inputs: readonly (Tensor | undefined)[],
  outputs: readonly string[],
  declared: ReadonlyMap<string, TensorType>,
  typeBody: BodyTyper,
): TensorType[] {
  const view = ruleView(node, name, opset, inputs, outputs);
  const contrib = contribOutputTypes(node.domain, node.opType, view);
  let inferred: (TensorType | undefined)[] | undefined;
  try {
    inferred = controlFlowOutputTypes(node.domain, node.opType, view, typeBody) ?? standardOutputTypes(node.domain, node.opType, view);
  } catch (e) {
    // Inputs the op's rule rejects (shapes that do not broadcast, an axis out of range): the file is wrong.
    if (!(e instanceof NetsatError) || e instanceof OnnxImportError) throw e;
    throw new OnnxImportError(`${node.opType} cannot take these inputs: ${e.what}`, { where: label, hint: e.hint });
  }
  return outputs.flatMap((o, i) => {
    // An omitted output ('') has no tensor to type: it is only a position.
    if (!o) return [];
    const t = contrib ? (declared.get(o) ?? contrib[i]) : reconcileDeclared(o, inferred?.[i], declared.get(o), label);
    if (!t) {
      throw new OnnxImportError(`netsat does not model ${node.domain ? `${node.domain}::` : ''}${node.opType}, and the file declares no type for its output "${o}"`, {
        where: label,
        hint: 'run ONNX shape inference on the file (onnx.shape_inference.infer_shapes) so the output types are recorded in value_info',
      });
    }
    return [checkedType(t, `${label} output ${o}`)];
  });
}

/**
 * A control-flow body's output types when its inputs have the types `given`: the body is imported
 * into a network of its own, thrown away after (the layer keeps the body as read), with the outer
 * names it reads as inputs of their types, or as constants where they are.
 */
function bodyOutputTypes(body: GraphProto, given: readonly (TensorType | undefined)[], label: string, opset: number, outer: ReadonlyMap<string, Tensor>, ctx: ReadContext) {
  const where = `${label} body ${body.name || '(unnamed)'}`;
  const network = new Network(body.name || 'body');
  const tensors = new Map<string, Tensor>();
  for (const ref of graphOuterReferences(body)) {
    const t = outer.get(ref) ?? missingReference(ref, label);
    const data = t.producer?.constantData;
    tensors.set(ref, data ? network.addConstant({ dtype: t.dtype, shape: data.shape, data, name: ref }) : network.addInput(ref, t.dtype, t.shape));
  }
  body.input.forEach((v, i) => {
    const type = reconcileDeclared(v.name, given[i], valueType(v, ctx.symbols), where);
    if (!type) throw new OnnxImportError(`body input ${v.name} has no type, and the node gives it none`, { where, hint: "declare the body input's type" });
    tensors.set(v.name, network.addInput(v.name, type.dtype, type.shape));
  });
  for (const t of body.initializer) {
    const data = tensorToArray(t, `${where} initializer ${t.name}`, ctx);
    tensors.set(t.name, network.addConstant({ dtype: data.dtype, shape: data.shape, data, name: t.name }));
  }
  const declared = declaredTypes([...body.valueInfo, ...body.output], ctx.symbols);
  orderNodes(body, where, new Set(outer.keys())).forEach((node, i) => importNode(network, node, i, opset, tensors, declared, ctx));
  return body.output.map((v) => reconcileDeclared(v.name, tensors.get(v.name)?.type, declared.get(v.name), where));
}

function missingReference(ref: string, label: string): never {
  throw new OnnxImportError(`its body reads "${ref}", which a node names as an output its op does not make`, { where: label, hint: 'the graph is broken' });
}

/** The positions of outputs left out ('') before the last present one. */
function omittedPositions(outputs: readonly string[]): number[] {
  return outputs.flatMap((o, i) => (o ? [] : [i]));
}

/** The node kept as it is; a control-flow node's layer also reads, after its own inputs, the outer names its bodies read. */
function addOpaque(
  network: Network,
  node: NodeProto,
  name: string,
  label: string,
  opset: number,
  tensors: Map<string, Tensor>,
  declared: ReadonlyMap<string, TensorType>,
  ctx: ReadContext,
) {
  const outputs = [...node.output];
  while (outputs.length && !outputs[outputs.length - 1]) outputs.pop();
  const inputs = node.input.map((n) => (n ? tensors.get(n) : undefined));
  const typeBody: BodyTyper = (body, given) => bodyOutputTypes(body, given, label, opset, tensors, ctx);
  const types = opaqueTypes(node, name, label, opset, inputs, outputs, declared, typeBody);
  const implicit = outerReferences(node).map((ref) => tensors.get(ref) ?? missingReference(ref, label));
  const attrs = {
    domain: node.domain,
    opType: node.opType,
    attributes: JSON.stringify(node.attribute.map((a) => toJson(AttributeProtoSchema, a))),
    outputTypes: JSON.stringify(types),
    omittedOutputs: omittedPositions(outputs),
  };
  try {
    return network.addLayer('Opaque', [...inputs, ...implicit], attrs, { name, outputNames: outputs.filter((o) => o) });
  } catch (e) {
    if (e instanceof NetsatError) throw new OnnxImportError(`cannot import: ${e.what}`, { where: label, hint: e.hint });
    throw e;
  }
}
