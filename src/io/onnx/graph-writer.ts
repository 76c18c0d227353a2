/** Collects the nodes and initializers of an ONNX graph being written, with fresh names and shared small constants. */
import { create } from '@bufbuild/protobuf';
import { AttributeProto_AttributeType, AttributeProtoSchema, NodeProtoSchema } from 'onnx-buf';
import type { AttributeProto, NodeProto, TensorProto } from 'onnx-buf';
import type { DType } from '../../ops/types.js';
import { ndarray } from '../../ops/ndarray.js';
import { arrayToTensor } from './tensor-data.js';

/** An attribute value: a bare number is an int, `{f}` a float, arrays are ints unless `{floats}`. */
export type OnnxAttr = number | boolean | string | readonly number[] | { f: number } | { floats: readonly number[] };

function attribute(name: string, v: OnnxAttr): AttributeProto {
  const T = AttributeProto_AttributeType;
  if (typeof v === 'number' || typeof v === 'boolean') return create(AttributeProtoSchema, { name, type: T.INT, i: BigInt(Number(v)) });
  if (typeof v === 'string') return create(AttributeProtoSchema, { name, type: T.STRING, s: new TextEncoder().encode(v) });
  if (Array.isArray(v)) return create(AttributeProtoSchema, { name, type: T.INTS, ints: (v as number[]).map((x) => BigInt(x)) });
  if ('f' in v) return create(AttributeProtoSchema, { name, type: T.FLOAT, f: v.f });
  return create(AttributeProtoSchema, { name, type: T.FLOATS, floats: [...(v as { floats: readonly number[] }).floats] });
}

export class GraphWriter {
  readonly nodes: NodeProto[] = [];
  readonly initializers: TensorProto[] = [];
  /** Op set domains used beyond the default one (com.microsoft for contrib ops). */
  readonly domains = new Set<string>();
  readonly #taken: Set<string>;
  readonly #constants = new Map<string, string>();
  #nextName: string | undefined;

  constructor(
    /** Every tensor name of the network, so fresh names never collide with one. */
    taken: Iterable<string>,
    /** The default-domain opset written, which decides op forms (Gelu from 20, axes as inputs, ...). */
    readonly opset: number,
  ) {
    this.#taken = new Set(taken);
  }

  /** The next node takes this name: a layer's first node keeps the layer's (the original node's) name. */
  nameNextNode(name: string): void {
    this.#nextName = name;
  }

  fresh(base: string): string {
    let name = base;
    for (let k = 1; this.#taken.has(name); k++) name = `${base}_${k}`;
    this.#taken.add(name);
    return name;
  }

  /** Appends a node; `outputs` are names, or a base for one fresh name. Returns the output names. */
  node(opType: string, inputs: readonly string[], outputs: readonly string[] | string, attrs: Readonly<Record<string, OnnxAttr | undefined>> = {}, domain = ''): string[] {
    const outs = typeof outputs === 'string' ? [this.fresh(outputs)] : [...outputs];
    if (domain) this.domains.add(domain);
    const attribute_ = Object.entries(attrs).flatMap(([k, v]) => (v === undefined ? [] : [attribute(k, v)]));
    const name = this.#nextName ?? this.fresh(`${outs[0] || opType}_node`);
    this.#nextName = undefined;
    this.nodes.push(create(NodeProtoSchema, { opType, domain, name, input: [...inputs], output: outs, attribute: attribute_ }));
    return outs;
  }

  /** A small constant (axes, shapes, scalars) as an initializer, shared between nodes that need the same one. */
  constant(dtype: DType, shape: readonly number[], values: readonly number[]): string {
    const key = `${dtype}:${shape.join(',')}:${values.join(',')}`;
    let name = this.#constants.get(key);
    if (!name) {
      name = this.fresh(`const_${dtype}_${values.length === 1 ? String(values[0]).replace(/[^0-9a-z]/gi, '_') : values.length}`);
      this.initializers.push(arrayToTensor(name, dtype, shape, ndarray(dtype, shape, values)));
      this.#constants.set(key, name);
    }
    return name;
  }

  ints(values: readonly number[]): string {
    return this.constant('int64', [values.length], values);
  }

  scalar(dtype: DType, value: number): string {
    return this.constant(dtype, [], [value]);
  }
}
