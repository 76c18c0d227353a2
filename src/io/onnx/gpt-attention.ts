/**
 * GptAttention in ONNX. Standard ops (target 'onnx', and 'ort' where no kernel fits): bias, split
 * into q/k/v heads, rotate-half RoPE at positions 0..S-1, kv heads repeated for grouped queries,
 * scaled scores, causal mask, softmax, weighted values, heads merged; the present cache as
 * [k, v] stacked and zero-padded to maxContextLength. For 'ort': com.microsoft GroupQueryAttention
 * (causal; it reads the packed qkv as GptAttention lays it out, and applies the RoPE), Attention
 * (not causal, taking in the qkv projection: packed-attention.ts) or MultiHeadAttention (not causal).
 */
import type { Layer } from '../../network/layer.js';
import type { Tensor } from '../../network/tensor.js';
import type { DType } from '../../ops/types.js';
import { ropeTables } from '../../ops/kernels/rotary.js';
import type { Emit } from './emit.js';
import { temp } from './emit.js';
import { OnnxExportError } from './errors.js';
import { qkvProjection, writePackedAttention } from './packed-attention.js';
import { writeRotary } from './rotary.js';

const MS = 'com.microsoft';
/** PyTorch's additive mask value (the dtype's lowest): exp underflows to exactly 0, and no -inf enters the sums. */
const MASKED: Partial<Record<DType, number>> = { float32: -3.4028234663852886e38, float16: -65504 };

interface Attention {
  heads: number;
  kvHeads: number;
  headSize: number;
  rotaryDim: number;
  rotaryBase: number;
  causal: boolean;
  /** Keys a causal query sees, itself included; 0 = all before it. */
  window: number;
  scale: number;
  batch: number | string;
  seq: number | string;
  /** The present cache's sequence dim, or undefined when nothing reads the cache. */
  cacheSeq: number | undefined;
}

/** Whether anything reads the layer's present cache. */
function presentRead(layer: Layer): boolean {
  const present = layer.outputs[1];
  return present !== undefined && (present.getUsers().length > 0 || present.isNetworkOutput());
}

/** The layer's attention, or OnnxExportError for forms these writers do not cover. */
function attentionOf(e: Emit): Attention {
  const at = e.layer.attributes;
  if (at['removeInputPadding'] || e.ins[2]) {
    throw new OnnxExportError(`GptAttention layer ${e.layer.name} has contextLengths or packed sequences, which are not written to ONNX`, {
      where: e.layer.name,
      hint: 'only attention over whole, unpacked sequences (no contextLengths) is exported',
    });
  }
  const [batch, seq] = e.layer.inputs[0]!.shape as [number | string, number | string];
  const cacheRead = presentRead(e.layer);
  const headSize = at['headSize'] as number;
  const attention: Attention = {
    heads: at['numHeads'] as number,
    kvHeads: at['numKvHeads'] as number,
    headSize,
    rotaryDim: at['rotaryDim'] as number,
    rotaryBase: at['rotaryBase'] as number,
    causal: at['causal'] as boolean,
    window: at['slidingWindow'] as number,
    scale: 1 / (Math.sqrt(headSize) * (at['qScaling'] as number)),
    batch,
    seq,
    cacheSeq: cacheRead ? (at['maxContextLength'] as number) || (seq as number) : undefined,
  };
  // The mask and the RoPE tables are constants over S; symbolic S would need them built at run time.
  if (typeof seq !== 'number' && (attention.causal || attention.rotaryDim > 0 || cacheRead)) {
    throw new OnnxExportError(`GptAttention layer ${e.layer.name} has a symbolic sequence dim ${seq}`, {
      where: e.layer.name,
      hint: 'fix the input shapes (overwriteInputShapes) before optimizing',
    });
  }
  return attention;
}

function biased(e: Emit): string {
  return e.ins[1] ? e.w.node('Add', [e.ins[0]!, e.ins[1]], temp(e, 'qkv_biased'))[0]! : e.ins[0]!;
}

/** [B, S, n·Dh] → [B, n, S, Dh]. */
function heads(e: Emit, t: string, n: number, dh: number, what: string): string {
  const { w } = e;
  const split = w.node('Reshape', [t, w.ints([0, 0, n, dh])], temp(e, `${what}_heads`))[0]!;
  return w.node('Transpose', [split], temp(e, `${what}_bhsd`), { perm: [0, 2, 1, 3] })[0]!;
}

/** [B, KVH, S, Dh] → [B, H, S, Dh], each kv head read by H/KVH consecutive query heads. */
function repeatKv(e: Emit, t: string, c: Attention, what: string): string {
  if (c.kvHeads === c.heads) return t;
  const { w } = e;
  const one = w.node('Unsqueeze', [t, w.ints([2])], temp(e, `${what}_group`))[0]!;
  const grown = w.node('Expand', [one, w.ints([1, 1, c.heads / c.kvHeads, 1, 1])], temp(e, `${what}_repeated`))[0]!;
  return w.node('Reshape', [grown, w.ints([0, c.heads, -1, c.headSize])], temp(e, `${what}_all_heads`))[0]!;
}

/** The present cache [B, 2, KVH, Smax, Dh] from k and v [B, KVH, S, Dh]. */
function writePresent(e: Emit, k: string, v: string, c: Attention): void {
  const { w } = e;
  const stacked = [k, v].map((t) => w.node('Unsqueeze', [t, w.ints([1])], temp(e, 'cache_part'))[0]!);
  const pad = c.cacheSeq! - (c.seq as number);
  if (pad === 0) {
    w.node('Concat', stacked, [e.outs[1]!], { axis: 1 });
    return;
  }
  const cache = w.node('Concat', stacked, temp(e, 'cache'), { axis: 1 })[0]!;
  w.node('Pad', [cache, w.ints([0, 0, 0, 0, 0, 0, 0, 0, pad, 0])], [e.outs[1]!]);
}

/** GptAttention as standard ops. */
export function writeGptAttention(e: Emit): void {
  const c = attentionOf(e);
  const { w } = e;
  const s = c.seq as number;
  // Scalars, tables and masks in the layer's own float type: ONNX does not mix float16 with float32.
  const dtype = e.layer.outputs[0]!.dtype;
  const [q, k, v] = w.node('Split', [biased(e), w.ints([c.heads * c.headSize, c.kvHeads * c.headSize, c.kvHeads * c.headSize])], [temp(e, 'q'), temp(e, 'k'), temp(e, 'v')], {
    axis: -1,
  }) as [string, string, string];
  let qh = heads(e, q, c.heads, c.headSize, 'q');
  let kh = heads(e, k, c.kvHeads, c.headSize, 'k');
  const vh = heads(e, v, c.kvHeads, c.headSize, 'v');
  if (c.rotaryDim > 0) {
    const tables = ropeTables(s, c.rotaryDim, c.rotaryBase);
    const cos = w.constant(dtype, [s, c.rotaryDim], [...tables.cos]);
    const sin = w.constant(dtype, [s, c.rotaryDim], [...tables.sin]);
    qh = writeRotary(e, qh, cos, sin, 4, c.headSize, c.rotaryDim, false, temp(e, 'q_rotated'));
    kh = writeRotary(e, kh, cos, sin, 4, c.headSize, c.rotaryDim, false, temp(e, 'k_rotated'));
  }
  const keysT = w.node('Transpose', [repeatKv(e, kh, c, 'k')], temp(e, 'k_t'), { perm: [0, 1, 3, 2] })[0]!;
  const products = w.node('MatMul', [qh, keysT], temp(e, 'scores'))[0]!;
  let scores = w.node('Mul', [products, w.scalar(dtype, c.scale)], temp(e, 'scaled'))[0]!;
  if (c.causal) {
    const masked = MASKED[dtype] ?? MASKED.float32!;
    const sees = (i: number, j: number) => j <= i && (c.window === 0 || i - j < c.window);
    const mask = Array.from({ length: s * s }, (_, k) => (sees(Math.floor(k / s), k % s) ? 0 : masked));
    scores = w.node('Add', [scores, w.constant(dtype, [s, s], mask)], temp(e, 'masked'))[0]!;
  }
  const probs = w.node('Softmax', [scores], temp(e, 'probs'), { axis: -1 })[0]!;
  const context = w.node('MatMul', [probs, repeatKv(e, vh, c, 'v')], temp(e, 'context'))[0]!;
  const merged = w.node('Transpose', [context], temp(e, 'context_bshd'), { perm: [0, 2, 1, 3] })[0]!;
  w.node('Reshape', [merged, w.ints([0, 0, c.heads * c.headSize])], [e.outs[0]!]);
  if (c.cacheSeq !== undefined) writePresent(e, kh, vh, c);
}

/** cos and sin caches [S, R/2] for GroupQueryAttention: one column per rotated pair (our tables repeat each half). */
function halfTables(e: Emit, c: Attention): string[] {
  const s = c.seq as number;
  const half = c.rotaryDim / 2;
  const tables = ropeTables(s, c.rotaryDim, c.rotaryBase);
  const firstHalf = (t: Float32Array) => Array.from({ length: s * half }, (_, i) => t[Math.floor(i / half) * c.rotaryDim + (i % half)]!);
  return [e.w.constant('float32', [s, half], firstHalf(tables.cos)), e.w.constant('float32', [s, half], firstHalf(tables.sin))];
}

/**
 * onnxruntime's kernels, where their semantics are GptAttention's: GroupQueryAttention for causal
 * attention over whole sequences of static B and S (its first-prompt path, seqlens_k = S − 1 for
 * every row; rotate-half RoPE from half-width caches at positions 0..S-1; present k (rotated) and v
 * [B, KVH, S, Dh]); for non-causal attention with as many kv heads as query heads, no RoPE and no
 * cache read, Attention where it takes in the qkv projection, else MultiHeadAttention. False
 * otherwise (the standard form is written).
 */
export function writeGptAttentionOrt(e: Emit): boolean {
  const c = attentionOf(e);
  if (typeof c.batch !== 'number' || typeof c.seq !== 'number') return false;
  const { w } = e;
  const scale = { f: c.scale };
  if (c.causal) {
    // Its rotary kernel takes head sizes and rotary widths in multiples of 16 only.
    if (c.rotaryDim > 0 && (c.headSize % 16 !== 0 || c.rotaryDim % 16 !== 0)) return false;
    const seqlens = w.constant('int32', [c.batch], new Array<number>(c.batch).fill(c.seq - 1));
    const total = w.constant('int32', [], [c.seq]);
    const cache = c.cacheSeq !== undefined ? [temp(e, 'present_k'), temp(e, 'present_v')] : ['', ''];
    const rope = c.rotaryDim > 0 ? halfTables(e, c) : [];
    w.node(
      'GroupQueryAttention',
      [biased(e), '', '', '', '', seqlens, total, ...rope],
      [e.outs[0]!, ...cache],
      // local_window_size is the number of keys a query sees, itself included: our W.
      { num_heads: c.heads, kv_num_heads: c.kvHeads, scale, do_rotary: c.rotaryDim > 0 ? 1 : 0, ...(c.window > 0 ? { local_window_size: c.window } : {}) },
      MS,
    );
    if (c.cacheSeq !== undefined) writePresent(e, cache[0]!, cache[1]!, c);
    return true;
  }
  if (c.kvHeads !== c.heads || c.cacheSeq !== undefined || c.rotaryDim > 0) return false;
  const width = c.heads * c.headSize;
  const projection = qkvProjection(e.layer.inputs[0]!, e.layer.inputs[1], width);
  if (projection) {
    writePackedAttention(e, projection, c.heads, c.scale);
    return true;
  }
  // q, k and v as MultiHeadAttention takes them: the parts the Concat joined, else split again; the bias is its input.
  const parts = qkvConcat(e.layer.inputs[0]!, width)?.inputs.map((t) => t!.name);
  const qkv = parts ?? w.node('Split', [e.ins[0]!, w.ints([width, width, width])], [temp(e, 'q'), temp(e, 'k'), temp(e, 'v')], { axis: -1 });
  w.node('MultiHeadAttention', e.ins[1] ? [...qkv, e.ins[1]] : qkv, [e.outs[0]!], { num_heads: c.heads, scale }, MS);
  return true;
}

/**
 * Whether writeGptAttentionOrt writes `layer` as Attention or MultiHeadAttention: a float32
 * GptAttention over static B and S, not causal, with as many kv heads as query heads, no RoPE, no
 * contextLengths or packed sequences and no present cache read.
 */
function multiHeadForm(layer: Layer): boolean {
  const at = layer.attributes;
  if (layer.op !== 'GptAttention' || layer.outputs[0]!.dtype !== 'float32' || at['removeInputPadding'] || layer.inputs[2]) return false;
  const [batch, seq] = layer.inputs[0]!.shape;
  if (typeof batch !== 'number' || typeof seq !== 'number') return false;
  return !at['causal'] && (at['rotaryDim'] as number) === 0 && at['numKvHeads'] === at['numHeads'] && !presentRead(layer);
}

const widthOf = (layer: Layer) => (layer.attributes['numHeads'] as number) * (layer.attributes['headSize'] as number);

/**
 * The Concat that makes `qkv` [B, S, 3W] from q, k and v [B, S, W] on the last axis, for this
 * attention only: MultiHeadAttention reads the three parts, so the Concat is not written.
 */
function qkvConcat(qkv: Tensor, width: number): Layer | undefined {
  const layer = qkv.getParent();
  if (layer?.op !== 'Concat' || qkv.isNetworkOutput() || qkv.getUsers().length !== 1 || layer.inputs.length !== 3) return undefined;
  const axis = layer.attributes['axis'] as number;
  if (axis !== -1 && axis !== qkv.shape.length - 1) return undefined;
  return layer.inputs.every((t) => t!.shape.length === 3 && t!.shape[2] === width) ? layer : undefined;
}

/** The layer writeGptAttentionOrt writes into `layer`'s attention node (its projection or its qkv Concat), which the writer then skips. */
export function ortAbsorbedLayer(layer: Layer): Layer | undefined {
  if (!multiHeadForm(layer)) return undefined;
  return qkvProjection(layer.inputs[0]!, layer.inputs[1], widthOf(layer))?.layer ?? qkvConcat(layer.inputs[0]!, widthOf(layer));
}
