/**
 * The bodies of control-flow nodes (If's branches, Loop's and Scan's body): the graphs a node holds
 * in its attributes, the names they read from the scope around them (which become implicit inputs
 * of the node's layer, so the optimizer sees the dependency) and renaming those names on write.
 * ONNX names are unique across scopes (a body never redefines a name of its outer scope), so a name
 * a body reads but does not define is an outer one.
 */
import { clone } from '@bufbuild/protobuf';
import { AttributeProto_AttributeType, AttributeProtoSchema } from 'onnx-buf';
import type { AttributeProto, GraphProto, NodeProto } from 'onnx-buf';

const T = AttributeProto_AttributeType;

/** The graphs an attribute holds (GRAPH or GRAPHS); none for other kinds. */
export function attributeGraphs(a: AttributeProto): GraphProto[] {
  if (a.type === T.GRAPH) return a.g ? [a.g] : [];
  return a.type === T.GRAPHS ? a.graphs : [];
}

/** A node, or only the attributes of one (an Opaque layer's). */
type WithAttributes = { readonly attribute: readonly AttributeProto[] };

export function nodeBodies(node: WithAttributes): GraphProto[] {
  return node.attribute.flatMap(attributeGraphs);
}

/** Names a graph defines: its inputs, initializers and node outputs (not those of nested bodies). */
export function definedNames(graph: GraphProto): Set<string> {
  return new Set([
    ...graph.input.map((v) => v.name),
    ...graph.initializer.map((t) => t.name),
    ...graph.sparseInitializer.flatMap((t) => t.values?.name ?? []),
    ...graph.node.flatMap((n) => n.output.filter((o) => o)),
  ]);
}

/** Names the node's bodies read from the node's scope, nested bodies included, in order of first use. */
export function outerReferences(node: WithAttributes): string[] {
  return [...new Set(nodeBodies(node).flatMap(graphOuterReferences))];
}

/** Names a graph reads but does not define, nested bodies included, each once in order of first use. */
export function graphOuterReferences(graph: GraphProto): string[] {
  const defined = definedNames(graph);
  const read = [...graph.node.flatMap((n) => [...n.input, ...outerReferences(n)]), ...graph.output.map((v) => v.name)];
  return [...new Set(read.filter((name) => name && !defined.has(name)))];
}

/** Every name defined anywhere inside the node's bodies, nested ones included. */
export function bodyNames(node: WithAttributes): string[] {
  return nodeBodies(node).flatMap((g) => [...definedNames(g), ...g.node.flatMap(bodyNames)]);
}

/** Every node inside the node's bodies, nested ones included. */
export function bodyNodes(node: WithAttributes): NodeProto[] {
  return nodeBodies(node).flatMap((g) => g.node.flatMap((n) => [n, ...bodyNodes(n)]));
}

/** The attributes with every read of an outer name `from` in their bodies replaced by `renames.get(from)`. */
export function renameOuterReferences(attributes: readonly AttributeProto[], renames: ReadonlyMap<string, string>): AttributeProto[] {
  if (renames.size === 0) return [...attributes];
  return attributes.map((a) => {
    if (attributeGraphs(a).length === 0) return a;
    const copy = clone(AttributeProtoSchema, a);
    for (const g of attributeGraphs(copy)) renameInGraph(g, renames);
    return copy;
  });
}

/** In place, on a copy; names the graph defines are its own, so they are never renamed (no shadowing in ONNX). */
function renameInGraph(graph: GraphProto, renames: ReadonlyMap<string, string>): void {
  const defined = definedNames(graph);
  const rename = (name: string) => (defined.has(name) ? name : (renames.get(name) ?? name));
  for (const node of graph.node) {
    node.input = node.input.map(rename);
    for (const a of node.attribute) for (const g of attributeGraphs(a)) renameInGraph(g, renames);
  }
  for (const v of graph.output) v.name = rename(v.name);
}
