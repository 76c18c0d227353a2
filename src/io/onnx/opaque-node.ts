/**
 * An Opaque layer → the ONNX node it was read from: the original op and attributes, its inputs and
 * outputs in their original positions ('' where the node left an optional output out), in the form
 * of the opset written (opaque-forms.ts).
 */
import { create, fromJson } from '@bufbuild/protobuf';
import type { JsonValue } from '@bufbuild/protobuf';
import { AttributeProtoSchema, NodeProtoSchema } from 'onnx-buf';
import type { Emit } from './emit.js';
import { keptNodeAt } from './opaque-forms.js';
import type { KeptNode } from './opaque-forms.js';

/** The layer's output names with '' back at each omitted position. */
function outputPositions(outs: readonly string[], omitted: readonly number[]): string[] {
  const present = [...outs];
  return Array.from({ length: outs.length + omitted.length }, (_, i) => (omitted.includes(i) ? '' : present.shift()!));
}

export function writeOpaque(e: Emit): void {
  const attributes = (JSON.parse(e.layer.attributes['attributes'] as string) as JsonValue[]).map((j) => fromJson(AttributeProtoSchema, j));
  const domain = e.layer.attributes['domain'] as string;
  let node: KeptNode = { opType: e.layer.attributes['opType'] as string, inputs: [...e.ins], attributes };
  if (domain === '' || domain === 'ai.onnx') node = keptNodeAt(e, node, e.readOpset);
  const output = outputPositions(e.outs, e.layer.attributes['omittedOutputs'] as readonly number[]);
  e.w.nodes.push(create(NodeProtoSchema, { opType: node.opType, domain, name: e.layer.name, input: node.inputs, output, attribute: node.attributes }));
  if (domain && domain !== 'ai.onnx') e.w.domains.add(domain);
}
