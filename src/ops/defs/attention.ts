/**
 * Attention ops: RotaryEmbedding, and GptAttention, the fused attention layer that TensorRT-LLM's
 * gpt_attention plugin computes (projected qkv in, attention context and KV cache out).
 */
import { AttributeError, ShapeError } from '../../errors.js';
import { costFacts, elements } from '../cost.js';
import { TRANSCENDENTAL_FLOPS } from '../kernels/activations.js';
import { attendHead } from '../kernels/attention.js';
import { broadcastOffsets } from '../kernels/broadcast.js';
import { mapBinary } from '../kernels/map.js';
import { ropeTables, rotateInto } from '../kernels/rotary.js';
import { INT_DTYPES, broadcastShapes, expectDtype, expectFloat, expectShape, formatShape, numelEstimate, sameDim, sameShape } from '../shape.js';
import type { AttrSpec, Attrs, Dim, NDArray, OpDef, TensorType } from '../types.js';

/** Per rotated feature: two multiplies and an add. */
const ROTARY_FLOPS = 3;
/** Per attention score: scale, running max, subtract, exp, sum, divide. */
const SOFTMAX_FLOPS = TRANSCENDENTAL_FLOPS + 5;

const EMPTY = new Float32Array(0);

function last<T>(items: readonly T[]): T {
  return items[items.length - 1]!;
}

const RotaryEmbedding: OpDef = {
  name: 'RotaryEmbedding',
  doc: 'RoPE: x·cos + rotate(x)·sin on the first R = cos.shape[-1] features of x’s last dim (rotate-half, or pairs (2i, 2i+1) when interleaved); cos/sin broadcast over x’s leading dims.',
  inputs: [{ name: 'x' }, { name: 'cos' }, { name: 'sin' }],
  outputs: ['y'],
  attributes: {
    interleaved: { kind: 'bool', default: false, doc: 'rotate pairs (2i, 2i+1) (GPT-J) instead of halves i, i+R/2 (GPT-NeoX, Llama)' },
  },
  fused: true,
  infer([x, cos, sin]) {
    const op = 'RotaryEmbedding';
    expectFloat(op, 'x', x!);
    expectFloat(op, 'cos', cos!);
    expectFloat(op, 'sin', sin!);
    if (x!.shape.length === 0 || cos!.shape.length === 0) {
      throw new ShapeError(`${op}: x ${formatShape(x!.shape)} and cos ${formatShape(cos!.shape)} need a feature dim`, {
        where: op,
        hint: 'give x [..., D] and cos/sin [..., R]',
      });
    }
    expectShape(op, 'sin', sin!, cos!.shape, 'the shape of cos');
    const d = last(x!.shape);
    const r = last(cos!.shape);
    const fits = typeof r === 'number' ? r % 2 === 0 && (typeof d !== 'number' || r <= d) : sameDim(r, d);
    if (!fits) {
      throw new ShapeError(`${op}: rotary width R=${r} (cos's last dim) must be even and at most x's feature dim D=${d}`, {
        where: op,
        hint: 'give cos/sin an even last dim no larger than x’s last dim',
      });
    }
    const lead = x!.shape.slice(0, -1);
    if (!sameShape(broadcastShapes([lead, cos!.shape.slice(0, -1)], op), lead)) {
      throw new ShapeError(`${op}: cos ${formatShape(cos!.shape)} does not broadcast over x ${formatShape(x!.shape)}'s leading dims`, {
        where: op,
        hint: 'cos/sin leading dims must equal x’s or be 1 (e.g. x [B, H, S, D] with cos [S, R] or [B, 1, S, R])',
      });
    }
    return [{ dtype: x!.dtype, shape: x!.shape }];
  },
  cost: (inputs, outputs) => costFacts(ROTARY_FLOPS * numelEstimate(inputs[0]!.shape.slice(0, -1)) * numelEstimate([last(inputs[1]!.shape)]), inputs, outputs),
  kernel([x, cos, sin], { attrs }) {
    const d = last(x!.shape);
    const r = last(cos!.shape);
    const trigRow = broadcastOffsets(cos!.shape.slice(0, -1), x!.shape.slice(0, -1));
    const out = new Float32Array(x!.data.length);
    for (let row = 0; row < trigRow.length; row++) {
      rotateInto(x!.data, row * d, out, row * d, d, cos!.data, sin!.data, trigRow[row]! * r, r, attrs.interleaved as boolean);
    }
    return [{ dtype: x!.dtype, shape: [...x!.shape], data: out }];
  },
};

const positiveInt = (doc: string, min = 1, defaultValue?: number): AttrSpec => ({
  kind: 'int',
  ...(defaultValue === undefined ? {} : { default: defaultValue }),
  check: (v) => ((v as number) >= min ? undefined : `must be >= ${min}, got ${String(v)}`),
  doc,
});

const positiveFloat = (doc: string, defaultValue: number): AttrSpec => ({
  kind: 'float',
  default: defaultValue,
  check: (v) => ((v as number) > 0 ? undefined : `must be > 0, got ${String(v)}`),
  doc,
});

/** GptAttention's attributes, read once with their types. */
interface GptConfig {
  readonly heads: number;
  readonly kvHeads: number;
  readonly headSize: number;
  readonly width: number;
  readonly rotaryDim: number;
  readonly packed: boolean;
  readonly maxContext: number;
  readonly paged: boolean;
  /** Keys a causal query sees, itself included; 0 = all before it. */
  readonly window: number;
}

function gptConfig(attrs: Attrs): GptConfig {
  const heads = attrs.numHeads as number;
  const kvHeads = attrs.numKvHeads as number;
  const headSize = attrs.headSize as number;
  return {
    heads,
    kvHeads,
    headSize,
    width: (heads + 2 * kvHeads) * headSize,
    rotaryDim: attrs.rotaryDim as number,
    packed: attrs.removeInputPadding as boolean,
    maxContext: attrs.maxContextLength as number,
    paged: attrs.pagedKvCache as boolean,
    window: attrs.slidingWindow as number,
  };
}

function inferGptAttention([qkv, bias, lengths]: readonly (TensorType | undefined)[], attrs: Attrs): TensorType[] {
  const op = 'GptAttention';
  const c = gptConfig(attrs);
  if (c.heads % c.kvHeads !== 0) {
    throw new AttributeError(`${op}: numKvHeads=${c.kvHeads} does not divide numHeads=${c.heads}`, {
      where: op,
      hint: 'grouped-query attention needs numHeads to be a multiple of numKvHeads',
    });
  }
  if (c.rotaryDim % 2 !== 0 || c.rotaryDim > c.headSize) {
    throw new AttributeError(`${op}: rotaryDim=${c.rotaryDim} must be even and at most headSize=${c.headSize}`, {
      where: op,
      hint: 'rotate an even number of each head’s dims, or 0 for no rotary',
    });
  }
  if (c.window > 0 && !attrs.causal) {
    throw new AttributeError(`${op}: slidingWindow=${c.window} needs causal attention`, {
      where: op,
      hint: 'a sliding window limits how far back a causal query sees: set causal, or slidingWindow 0',
    });
  }
  expectFloat(op, 'qkv', qkv!);
  if (qkv!.shape.length !== 3) {
    throw new ShapeError(`${op}: qkv ${formatShape(qkv!.shape)} must be 3-D [B, S, (H + 2*KVH)*Dh]`, { where: op, hint: 'reshape qkv to [batch, seq, width]' });
  }
  const [batch, seq, width] = qkv!.shape as [Dim, Dim, Dim];
  if (!sameDim(width, c.width)) {
    throw new ShapeError(`${op}: qkv width ${width} is not (numHeads + 2*numKvHeads)*headSize = (${c.heads} + 2*${c.kvHeads})*${c.headSize} = ${c.width}`, {
      where: op,
      hint: 'check numHeads, numKvHeads and headSize against the QKV projection’s output',
    });
  }
  if (bias) {
    expectFloat(op, 'qkvBias', bias);
    expectShape(op, 'qkvBias', bias, [c.width], 'one bias per qkv feature');
  }
  if (lengths) {
    expectDtype(op, 'contextLengths', lengths, INT_DTYPES);
    if (lengths.shape.length !== 1) {
      throw new ShapeError(`${op}: contextLengths ${formatShape(lengths.shape)} must be 1-D [B]`, { where: op, hint: 'give one length per sequence' });
    }
  }
  let cacheBatch: Dim;
  let cacheSeq: Dim;
  if (c.packed) {
    if (!lengths) {
      throw new ShapeError(`${op}: removeInputPadding packs sequences back to back, so contextLengths is required`, {
        where: op,
        hint: 'pass contextLengths [B] holding each sequence’s length',
      });
    }
    if (!sameDim(batch, 1)) {
      throw new ShapeError(`${op}: with removeInputPadding qkv must be [1, T, width], got ${formatShape(qkv!.shape)}`, {
        where: op,
        hint: 'concatenate the sequences along dim 1',
      });
    }
    if (c.maxContext === 0) {
      throw new AttributeError(`${op}: removeInputPadding needs maxContextLength > 0 (the present cache's sequence dim)`, {
        where: op,
        hint: 'set maxContextLength to the longest sequence length',
      });
    }
    cacheBatch = lengths.shape[0]!;
    cacheSeq = c.maxContext;
  } else {
    if (lengths) expectShape(op, 'contextLengths', lengths, [batch], 'one length per batch row');
    if (c.maxContext > 0 && typeof seq === 'number' && c.maxContext < seq) {
      throw new AttributeError(`${op}: maxContextLength=${c.maxContext} is shorter than the sequence S=${seq}`, {
        where: op,
        hint: 'use maxContextLength >= S, or 0 for S',
      });
    }
    cacheBatch = batch;
    cacheSeq = c.maxContext || seq;
  }
  const context: TensorType = { dtype: qkv!.dtype, shape: [batch, seq, c.heads * c.headSize] };
  if (c.paged) return [context];
  return [context, { dtype: qkv!.dtype, shape: [cacheBatch, 2, c.kvHeads, cacheSeq, c.headSize] }];
}

/** Where each sequence starts (in qkv tokens) and how many real tokens it has; checks lengths against the dims. */
function sequences(c: GptConfig, qkv: NDArray, lengths: NDArray | undefined): { start: number; length: number }[] {
  const [rows, seq] = qkv.shape as [number, number];
  const count = c.packed ? lengths!.shape[0]! : rows;
  const limit = c.packed ? c.maxContext : seq;
  const out: { start: number; length: number }[] = [];
  let start = 0;
  for (let b = 0; b < count; b++) {
    const length = lengths ? lengths.data[b]! : seq;
    if (!Number.isInteger(length) || length < 0 || length > limit) {
      throw new ShapeError(`GptAttention: contextLengths[${b}]=${length} is outside [0, ${limit}]`, {
        where: 'GptAttention',
        hint: c.packed ? 'no sequence may exceed maxContextLength' : `lengths count real tokens of a padded row of S=${seq}`,
      });
    }
    out.push({ start: c.packed ? start : b * seq, length });
    start += length;
  }
  if (c.packed && start !== seq) {
    throw new ShapeError(`GptAttention: contextLengths sum to ${start} but packed qkv holds T=${seq} tokens`, {
      where: 'GptAttention',
      hint: 'the lengths must add up to qkv’s dim 1',
    });
  }
  return out;
}

/*
 * GptAttention semantics, in full:
 * - Sequences. Padded (default): batch row b of qkv is one sequence whose first contextLengths[b]
 *   tokens (all S when absent) are real; the rest is padding. Packed (removeInputPadding): qkv is
 *   [1, T, width] with the B = contextLengths.shape[0] sequences back to back, T = Σ lengths.
 * - Per token, qkv holds H query heads, then KVH key heads, then KVH value heads, Dh features each;
 *   qkvBias is added first. With rotaryDim > 0, rotate-half RoPE (base rotaryBase) turns the first
 *   rotaryDim features of every q and k head, at positions 0.. within the token's own sequence.
 * - Query head h reads kv head floor(h / (H / KVH)). Scores q·k / (sqrt(Dh)·qScaling); a query sees
 *   the real tokens of its own sequence only, and with `causal` only those at or before it; with
 *   slidingWindow W > 0 only the W of them nearest it (itself and the W - 1 before it).
 * - context: per real token, softmax-weighted sum of v per head; padding tokens' rows are zero.
 * - presentKeyValue [B, 2, KVH, Smax, Dh] (Smax = maxContextLength, or S when 0): k after rotary at
 *   [:, 0], v at [:, 1], zero past each length. A paged cache lives in pages outside the op, so
 *   pagedKvCache leaves only the context output.
 */
const GptAttention: OpDef = {
  name: 'GptAttention',
  doc: 'TensorRT-LLM gpt_attention: multi/grouped-query attention on packed qkv [B, S, (H+2KVH)*Dh] with optional bias, RoPE, causal and length masks; outputs context [B, S, H*Dh] and, unless paged, the KV cache [B, 2, KVH, Smax, Dh].',
  inputs: [{ name: 'qkv' }, { name: 'qkvBias', optional: true }, { name: 'contextLengths', optional: true }],
  outputs: ['context', 'presentKeyValue'],
  outputCount: (attrs) => (attrs.pagedKvCache ? 1 : 2),
  attributes: {
    numHeads: positiveInt('query heads H'),
    numKvHeads: positiveInt('key/value heads KVH; must divide numHeads'),
    headSize: positiveInt('features per head Dh'),
    qScaling: positiveFloat('scores are scaled by 1 / (sqrt(headSize) * qScaling)', 1),
    causal: { kind: 'bool', default: true, doc: 'a token attends only to tokens at or before it' },
    rotaryDim: positiveInt('head dims turned by rotate-half RoPE; 0 = no rotary', 0, 0),
    rotaryBase: positiveFloat('RoPE frequency base', 10000),
    removeInputPadding: { kind: 'bool', default: false, doc: 'qkv is [1, T, width] with the sequences back to back' },
    maxContextLength: positiveInt('sequence dim of the present cache; 0 = S (required when packed)', 0, 0),
    pagedKvCache: { kind: 'bool', default: false, doc: 'the cache lives in pages outside the op: context is the only output' },
    slidingWindow: positiveInt('a causal query sees only itself and the W - 1 tokens before it (Mistral); 0 = every token before it', 0, 0),
  },
  fused: true,
  infer: inferGptAttention,
  // Fused: scores and probabilities never reach memory, so bytes are qkv, bias, lengths and outputs.
  cost(inputs, outputs, attrs) {
    const c = gptConfig(attrs);
    const qkv = inputs[0]!;
    const tokens = numelEstimate(qkv.shape.slice(0, 2));
    // Keys per query: S padded, or the mean length when packed.
    const keys = c.packed ? tokens / Math.max(1, elements(inputs[2])) : numelEstimate([qkv.shape[1]!]);
    const scores = c.heads * tokens * keys;
    const flops = 4 * c.headSize * scores + SOFTMAX_FLOPS * scores + ROTARY_FLOPS * tokens * (c.heads + c.kvHeads) * c.rotaryDim + (inputs[1] ? tokens * c.width : 0);
    return costFacts(flops, inputs, outputs);
  },
  kernel([qkv, bias, lengths], { attrs }) {
    const c = gptConfig(attrs);
    const { heads: h, kvHeads: kvh, headSize: dh, width, rotaryDim: r } = c;
    const seqs = sequences(c, qkv!, lengths);
    const src = bias ? mapBinary(qkv!, bias, qkv!.dtype, (a, b) => a + b).data : qkv!.data;
    const cacheSeq = c.maxContext || qkv!.shape[1]!;
    const cache = new Float32Array(seqs.length * 2 * kvh * cacheSeq * dh);
    const context = new Float32Array(qkv!.shape[0]! * qkv!.shape[1]! * h * dh);
    const { cos, sin } = r > 0 ? ropeTables(Math.max(0, ...seqs.map((s) => s.length)), r, attrs.rotaryBase as number) : { cos: EMPTY, sin: EMPTY };
    const scale = 1 / (Math.sqrt(dh) * (attrs.qScaling as number));
    const cacheAt = (b: number, kv: 0 | 1, g: number): number => ((b * 2 + kv) * kvh + g) * cacheSeq * dh;
    seqs.forEach(({ start, length }, b) => {
      // The cache doubles as the contiguous k and v each head attends over.
      for (let g = 0; g < kvh; g++) {
        for (let p = 0; p < length; p++) {
          const token = (start + p) * width;
          rotateInto(src, token + (h + g) * dh, cache, cacheAt(b, 0, g) + p * dh, dh, cos, sin, p * r, r, false);
          cache.set(src.subarray(token + (h + kvh + g) * dh, token + (h + kvh + g + 1) * dh), cacheAt(b, 1, g) + p * dh);
        }
      }
      const q = new Float32Array(length * dh);
      for (let head = 0; head < h; head++) {
        for (let p = 0; p < length; p++) rotateInto(src, (start + p) * width + head * dh, q, p * dh, dh, cos, sin, p * r, r, false);
        const g = Math.floor(head / (h / kvh));
        const out = attendHead(q, cache, cacheAt(b, 0, g), cache, cacheAt(b, 1, g), length, dh, scale, attrs.causal as boolean, c.window);
        for (let p = 0; p < length; p++) context.set(out.subarray(p * dh, (p + 1) * dh), ((start + p) * h + head) * dh);
      }
    });
    const dtype = qkv!.dtype;
    const contextArray: NDArray = { dtype, shape: [qkv!.shape[0]!, qkv!.shape[1]!, h * dh], data: context };
    if (c.paged) return [contextArray];
    return [contextArray, { dtype, shape: [seqs.length, 2, kvh, cacheSeq, dh], data: cache }];
  },
};

export const ATTENTION_OPS: OpDef[] = [RotaryEmbedding, GptAttention];
