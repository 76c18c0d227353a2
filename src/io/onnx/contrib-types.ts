/**
 * Output types of onnxruntime's contrib ops (com.microsoft, and SimplifiedLayerNormalization, which
 * onnxruntime registers in the default domain): the ones netsat's 'ort' target writes and the ones
 * onnxruntime's graph optimizer and transformers fusions emit (not MatMulNBits: netsat has no uint8
 * dtype for its packed weights). netsat keeps these nodes as Opaque
 * layers; without these rules a file written without value_info (netsat's own 'ort' outputs,
 * onnxscript's fusions) could not be read back. The rules follow onnxruntime's contrib op schemas
 * (docs/ContribOperators.md); an omitted optional output has no type.
 */
import type { AttributeProto } from 'onnx-buf';
import { NetsatError } from '../../errors.js';
import { getOp, inferTypes, resolveAttrs } from '../../ops/registry.js';
import { divDims, mulDims } from '../../ops/shape.js';
import type { AttrValue, Attrs, Dim, TensorType } from '../../ops/types.js';

/** What a rule sees of one node: its input types, attributes and constant input values. */
export interface ContribNode {
  readonly name: string;
  /** The type of input i, undefined when it is absent. */
  input(i: number): TensorType | undefined;
  /** Input i's values when it is a constant. */
  constant(i: number): number[] | undefined;
  attr(name: string): AttributeProto | undefined;
  /** How many outputs the node names (omitted trailing ones not counted). */
  readonly outputs: number;
}

/** Output types in order; undefined for an output the rule cannot type. */
type Rule = (n: ContribNode) => (TensorType | undefined)[];

const int = (n: ContribNode, name: string, fallback: number): number => {
  const a = n.attr(name);
  return a ? Number(a.i) : fallback;
};
const ints = (n: ContribNode, name: string): number[] | undefined => n.attr(name)?.ints.map(Number);

/** A dim onnxruntime decides at run time: a symbol unique to the node and output. */
const runtimeDim = (n: ContribNode, what: string): Dim => `${n.name}_${what}`.replace(/[^A-Za-z_0-9]/g, '_');

/** Every output has input 0's type. */
const sameAsInput: Rule = (n) => [n.input(0)];

/** The statistics a normalization saves: float32, the input's shape with the normalized dims set to 1. */
function statistics(x: TensorType, axis: number): TensorType {
  const from = axis < 0 ? axis + x.shape.length : axis;
  return { dtype: 'float32', shape: x.shape.map((d, i) => (i >= from ? 1 : d)) };
}

/** SimplifiedLayerNormalization: Y like X, then inv_std_var. */
const simplifiedNorm: Rule = (n) => {
  const x = n.input(0);
  return x ? [x, statistics(x, int(n, 'axis', -1))] : [];
};

/** Skip(Simplified)LayerNormalization: output, mean, inv_std_var ([.., 1]), input + skip (+ bias). */
const skipNorm: Rule = (n) => {
  const x = n.input(0);
  return x ? [x, statistics(x, -1), statistics(x, -1), x] : [];
};

/** The registry op's types for these inputs and ONNX-named attributes, or undefined if it refuses them. */
function registryTypes(op: string, inputs: (TensorType | undefined)[], attrs: Attrs): TensorType[] | undefined {
  try {
    const def = getOp(op);
    return inferTypes(def, inputs, resolveAttrs(def, attrs));
  } catch (e) {
    // The node is not one the rule understands (a form the registry refuses): its types stay unknown.
    if (e instanceof NetsatError) return undefined;
    throw e;
  }
}

/** The last two dims swapped, for the trans* attributes of FusedMatMul. */
function transposed(t: TensorType | undefined, flag: boolean): TensorType | undefined {
  if (!t || !flag || t.shape.length < 2) return t;
  const s = [...t.shape];
  [s[s.length - 2], s[s.length - 1]] = [s[s.length - 1]!, s[s.length - 2]!];
  return { dtype: t.dtype, shape: s };
}

const fusedMatMul: Rule = (n) => {
  if (int(n, 'transBatchA', 0) || int(n, 'transBatchB', 0)) return [];
  const a = transposed(n.input(0), int(n, 'transA', 0) === 1);
  const b = transposed(n.input(1), int(n, 'transB', 0) === 1);
  return registryTypes('MatMul', [a, b], {}) ?? [];
};

const fusedGemm: Rule = (n) => registryTypes('Gemm', [n.input(0), n.input(1), n.input(2)], { transA: int(n, 'transA', 0) === 1, transB: int(n, 'transB', 0) === 1 }) ?? [];

const fusedConv: Rule = (n) => {
  if ((ints(n, 'kernel_shape')?.length ?? 2) !== 2) return [];
  const attrs: Record<string, AttrValue> = { group: int(n, 'group', 1) };
  for (const a of ['strides', 'pads', 'dilations'] as const) {
    const v = ints(n, a);
    if (v) attrs[a] = v;
  }
  return registryTypes('Conv', [n.input(0), n.input(1), n.input(2)], attrs) ?? [];
};

/** A [.., K] times the [K, N] weight: [.., N], A's dtype. */
function projected(a: TensorType | undefined, columns: Dim): TensorType[] {
  return a ? [{ dtype: a.dtype, shape: [...a.shape.slice(0, -1), columns] }] : [];
}

/** Attention: input [B, S, H] projected by weights [H, Q+K+V]; output [B, S, V], present [2, B, N, P+S, V/N]. */
const attention: Rule = (n) => {
  const x = n.input(0);
  const w = n.input(1);
  if (!x || !w || x.shape.length !== 3) return [];
  const sizes = ints(n, 'qkv_hidden_sizes');
  const heads = int(n, 'num_heads', 1);
  const vHidden = sizes?.[2] ?? divDims(w.shape[1]!, 3);
  if (vHidden === undefined) return [];
  const [b, s] = x.shape as [Dim, Dim];
  const past = n.input(4);
  const total = past?.shape.length === 5 && typeof past.shape[3] === 'number' && typeof s === 'number' ? past.shape[3] + s : past ? runtimeDim(n, 'total') : s;
  // onnxruntime sizes the cache's heads by the value's hidden size (measured with qkv_hidden_sizes [16, 16, 8]).
  const headSize = divDims(vHidden, heads) ?? runtimeDim(n, 'head_size');
  return [
    { dtype: x.dtype, shape: [b, s, vHidden] },
    { dtype: x.dtype, shape: [2, b, heads, total, headSize] },
  ];
};

/** The hidden size of MultiHeadAttention's value: 3-D [B, L, Dv], 4-D [B, N, L, H], or packed in key [B, L, N, 2, H] / query [B, S, N, 3, H]. */
function valueHidden(n: ContribNode): Dim | undefined {
  const [q, k, v] = [n.input(0), n.input(1), n.input(2)];
  if (v?.shape.length === 3) return v.shape[2];
  if (v?.shape.length === 4) return mulDims([v.shape[1]!, v.shape[3]!]);
  if (!v && k?.shape.length === 5) return mulDims([k.shape[2]!, k.shape[4]!]);
  if (!k && q?.shape.length === 5) return mulDims([q.shape[2]!, q.shape[4]!]);
  return q?.shape[2];
}

/** MultiHeadAttention: output [B, S, Dv]; present key and value [B, N, past + L, H]. */
const multiHeadAttention: Rule = (n) => {
  const q = n.input(0);
  const hidden = valueHidden(n);
  if (!q || hidden === undefined) return [];
  const heads = int(n, 'num_heads', 1);
  const [b, s] = q.shape as [Dim, Dim];
  const present: TensorType = { dtype: q.dtype, shape: [b, heads, runtimeDim(n, 'total'), divDims(hidden, heads) ?? runtimeDim(n, 'head_size')] };
  return [{ dtype: q.dtype, shape: [b, s, hidden] }, present, present];
};

/**
 * GroupQueryAttention: output [B, S, N·H]; present key and value [B, KVN, max(past, total), H] with
 * H from the query (packed q, k and v when key is absent), total the total_sequence_length input.
 */
const groupQueryAttention: Rule = (n) => {
  const q = n.input(0);
  if (q?.shape.length !== 3) return [];
  const heads = int(n, 'num_heads', 1);
  const kvHeads = int(n, 'kv_num_heads', heads);
  const headSize = divDims(q.shape[2]!, n.input(1) ? heads : heads + 2 * kvHeads);
  if (headSize === undefined) return [];
  const total = n.constant(6)?.[0];
  const pastLength = n.input(3)?.shape[2];
  const length = total !== undefined && (pastLength === undefined || typeof pastLength === 'number') ? Math.max(total, pastLength ?? 0) : (pastLength ?? runtimeDim(n, 'total'));
  const present: TensorType = { dtype: q.dtype, shape: [q.shape[0]!, kvHeads, length, headSize] };
  return [{ dtype: q.dtype, shape: [q.shape[0]!, q.shape[1]!, mulDims([heads, headSize])] }, present, present];
};

/** EmbedLayerNormalization: output [B, S, H] and embedding_sum like it, mask_index [B] int32. */
const embedLayerNorm: Rule = (n) => {
  const ids = n.input(0);
  const words = n.input(2);
  if (!ids || !words) return [];
  const out: TensorType = { dtype: words.dtype, shape: [...ids.shape, words.shape[1]!] };
  return [out, { dtype: 'int32', shape: [ids.shape[0]!] }, out];
};

const MS_RULES: Readonly<Record<string, Rule>> = {
  Attention: attention,
  MultiHeadAttention: multiHeadAttention,
  GroupQueryAttention: groupQueryAttention,
  SkipLayerNormalization: skipNorm,
  SkipSimplifiedLayerNormalization: skipNorm,
  SimplifiedLayerNormalization: simplifiedNorm,
  EmbedLayerNormalization: embedLayerNorm,
  Gelu: sameAsInput,
  FastGelu: sameAsInput,
  BiasGelu: sameAsInput,
  QuickGelu: sameAsInput,
  BiasAdd: sameAsInput,
  RotaryEmbedding: sameAsInput,
  FusedConv: fusedConv,
  FusedGemm: fusedGemm,
  FusedMatMul: fusedMatMul,
  GemmFastGelu: (n) => projected(n.input(0), n.input(1)?.shape.at(-1) ?? runtimeDim(n, 'columns')),
};

/** Contrib ops of the default domain (onnxruntime registers these there). */
const DEFAULT_DOMAIN_RULES: Readonly<Record<string, Rule>> = { SimplifiedLayerNormalization: simplifiedNorm };

/** Output types of a contrib node netsat knows the rule of; undefined for other ops. */
export function contribOutputTypes(domain: string, opType: string, node: ContribNode): (TensorType | undefined)[] | undefined {
  const rules = domain === 'com.microsoft' ? MS_RULES : domain === '' || domain === 'ai.onnx' ? DEFAULT_DOMAIN_RULES : undefined;
  // Own properties only: an op named toString must not find Object's method as its rule.
  const rule = rules && Object.hasOwn(rules, opType) ? rules[opType] : undefined;
  return rule?.(node).slice(0, node.outputs);
}
