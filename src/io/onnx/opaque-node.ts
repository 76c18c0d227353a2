/**
 * An Opaque layer → the ONNX node it was read from: the original op and attributes, its inputs and
 * outputs in their original positions ('' where the node left an optional output out), in the form
 * of the opset written (opaque-forms.ts). A control-flow node's bodies read outer names through
 * the layer's implicit inputs (after the node's own); where lowering renamed or replaced one of
 * those tensors, the bodies are written reading the current name.
 */
import { create, fromJson } from '@bufbuild/protobuf';
import type { JsonValue } from '@bufbuild/protobuf';
import { AttributeProtoSchema, NodeProtoSchema } from 'onnx-buf';
import type { AttributeProto } from 'onnx-buf';
import type { Layer } from '../../network/layer.js';
import type { Emit } from './emit.js';
import { OnnxExportError } from './errors.js';
import { keptNodeAt } from './opaque-forms.js';
import type { KeptNode } from './opaque-forms.js';
import { opVersionAt } from './op-versions.js';
import { bodyNames, bodyNodes, outerReferences, renameOuterReferences } from './subgraphs.js';

const isDefaultDomain = (domain: string) => domain === '' || domain === 'ai.onnx';

/** The original node's attributes, bodies included, as read. */
export function keptAttributes(layer: Layer): AttributeProto[] {
  return (JSON.parse(layer.attributes['attributes'] as string) as JsonValue[]).map((j) => fromJson(AttributeProtoSchema, j));
}

/** The layer's output names with '' back at each omitted position. */
function outputPositions(outs: readonly string[], omitted: readonly number[]): string[] {
  const present = [...outs];
  return Array.from({ length: outs.length + omitted.length }, (_, i) => (omitted.includes(i) ? '' : present.shift()!));
}

/** The node's own inputs, and its attributes with each body reading its outer values by their current names. */
function withCurrentNames(e: Emit, attributes: AttributeProto[]): { inputs: string[]; attributes: AttributeProto[] } {
  const refs = outerReferences({ attribute: attributes });
  const own = e.ins.length - refs.length;
  if (own < 0) {
    throw new OnnxExportError(`its bodies read ${refs.length} outer names, but the layer has only ${e.ins.length} inputs`, {
      where: e.layer.name,
      hint: "a control-flow layer reads, after the node's own inputs, each outer name its bodies read, in order of first use",
    });
  }
  const renames = new Map(refs.flatMap((ref, k) => (e.ins[own + k] === ref ? [] : [[ref, e.ins[own + k]!] as const])));
  const inner = new Set(bodyNames({ attribute: attributes }));
  for (const [ref, now] of renames) {
    if (inner.has(now)) {
      throw new OnnxExportError(`a body reads "${ref}", now named "${now}", which the body itself defines`, {
        where: e.layer.name,
        hint: 'rename the tensor: ONNX bodies may not redefine a name of the graph around them',
      });
    }
  }
  return { inputs: e.ins.slice(0, own), attributes: renameOuterReferences(attributes, renames) };
}

/** Bodies are written as read, so each of their ops must have the same version at the opset written. */
function checkBodyVersions(e: Emit, attributes: readonly AttributeProto[]): void {
  if (e.w.opset === e.readOpset) return;
  for (const node of bodyNodes({ attribute: attributes })) {
    if (!isDefaultDomain(node.domain)) continue;
    const [then, now] = [opVersionAt(node.opType, e.readOpset), opVersionAt(node.opType, e.w.opset)];
    if (then !== now) {
      throw new OnnxExportError(`its body holds ${node.opType}-${then ?? 'none'} (opset ${e.readOpset}), which is ${node.opType}-${now ?? 'none'} at opset ${e.w.opset}`, {
        where: e.layer.name,
        hint: `netsat does not convert the ops of control-flow bodies; write opset ${e.readOpset} (the default)`,
      });
    }
  }
}

export function writeOpaque(e: Emit): void {
  const domain = e.layer.attributes['domain'] as string;
  const kept = withCurrentNames(e, keptAttributes(e.layer));
  checkBodyVersions(e, kept.attributes);
  let node: KeptNode = { opType: e.layer.attributes['opType'] as string, ...kept };
  if (isDefaultDomain(domain)) node = keptNodeAt(e, node, e.readOpset);
  const output = outputPositions(e.outs, e.layer.attributes['omittedOutputs'] as readonly number[]);
  e.w.nodes.push(create(NodeProtoSchema, { opType: node.opType, domain, name: e.layer.name, input: node.inputs, output, attribute: node.attributes }));
  if (!isDefaultDomain(domain)) e.w.domains.add(domain);
}
