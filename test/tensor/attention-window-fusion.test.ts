/**
 * The attention forms of real exports beyond Llama's, fused by the shipped rules and verified:
 * Mistral's sliding-window causal mask (GptAttention keeps the window as slidingWindow) and
 * Phi-3's q, k and v sliced from one fused projection, with RoPE and no kv repeat (the slices are
 * packed back, so GptAttention reads the projection itself). Negative cases: a mask that is no
 * window, and slices that do not cover the projection, are left as they are and still verify.
 */
import { describe, expect, it } from 'vitest';
import { randomArray } from '../../src/interp/random.js';
import { add, matmul, mul, reshape, softmax, transpose } from '../../src/network/functional/primitives.js';
import { Network } from '../../src/network/network.js';
import type { Tensor } from '../../src/network/tensor.js';
import { optimize } from '../../src/optimize.js';
import { exportedAttention, exportedChunks, exportedRotary, ropeTables } from '../../src/zoo/exported-ops.js';

const B = 2;
const S = 6;
const HIDDEN = 32;
const HEAD = 8;

/** An additive mask [S, S]: 0 where query i sees key j (j <= i and i - j < window), -1e9 elsewhere. */
function windowMask(network: Network, window: number, hole?: [number, number]): Tensor {
  const data = new Float32Array(S * S);
  for (let i = 0; i < S; i++) for (let j = 0; j < S; j++) data[i * S + j] = j <= i && i - j < window ? 0 : -1e9;
  if (hole) data[hole[0] * S + hole[1]] = -1e9;
  return network.addConstant({ name: 'mask', dtype: 'float32', shape: [S, S], data });
}

function weight(network: Network, name: string, cols: number, seed: number): Tensor {
  return network.addConstant({ name, dtype: 'float32', shape: [HIDDEN, cols], data: randomArray('float32', [HIDDEN, cols], seed, { floatScale: 0.3 }).data });
}

/** Mistral's form: separate projections, RoPE, the GQA repeat, and a windowed (or other) mask. */
function mistralLike(heads: number, kvHeads: number, mask: (n: Network) => Tensor): Network {
  const network = new Network('mistral-like');
  const x = network.addInput('x', 'float32', [B, S, HIDDEN]);
  const context = exportedAttention({
    q: matmul(x, weight(network, 'wq', heads * HEAD, 1)),
    k: matmul(x, weight(network, 'wk', kvHeads * HEAD, 2)),
    v: matmul(x, weight(network, 'wv', kvHeads * HEAD, 3)),
    batch: B,
    seq: S,
    heads,
    kvHeads,
    headSize: HEAD,
    mask: mask(network),
    rotary: ropeTables(network, S, HEAD),
  });
  network.markOutput(context, 'context');
  return network;
}

/**
 * Phi-3's form: one projection [B, S, (H + 2·KVH)·Dh] sliced into q, k, v on the last axis (`extra`
 * columns past v, sliced off as a fourth part, make q, k, v not cover it), RoPE on q and k heads, no repeat, kᵀ by a Transpose.
 */
function phi3Like(heads: number, mask: (n: Network) => Tensor, extra = 0): Network {
  const network = new Network('phi3-like');
  const x = network.addInput('x', 'float32', [B, S, HIDDEN]);
  const width = heads * HEAD;
  const qkv = matmul(x, weight(network, 'wqkv', 3 * width + extra, 4));
  const [q, k, v] = exportedChunks(qkv, extra === 0 ? [width, width, width] : [width, width, width, extra]);
  const { cos, sin } = ropeTables(network, S, HEAD);
  const split = (t: Tensor) => transpose(reshape(t, [B, S, heads, HEAD]), [0, 2, 1, 3]);
  const qh = exportedRotary(split(q!), cos, sin);
  const kT = transpose(exportedRotary(split(k!), cos, sin), [0, 1, 3, 2]);
  const scores = add(mul(matmul(qh, kT), 1 / Math.sqrt(HEAD)), mask(network));
  const context = matmul(softmax(scores, -1), split(v!));
  network.markOutput(reshape(transpose(context, [0, 2, 1, 3]), [B, S, -1]), 'context');
  return network;
}

async function optimized(network: Network): Promise<Network> {
  const { network: out, report } = await optimize(network);
  expect(report.verification.pass).toBe(true);
  return out;
}

const attentionOf = (n: Network) => n.layers.filter((l) => !l.isRemoved() && l.op === 'GptAttention');
const has = (n: Network, op: string) => n.layers.some((l) => !l.isRemoved() && l.op === op);

describe('sliding-window attention (Mistral) becomes GptAttention with its window', () => {
  it.each([
    ['grouped-query', 4, 2, 3],
    ['multi-head, window of one key', 2, 2, 1],
  ])('%s', async (_, heads, kvHeads, window) => {
    const out = await optimized(mistralLike(heads, kvHeads, (n) => windowMask(n, window)));
    const [attention] = attentionOf(out);
    expect(attentionOf(out)).toHaveLength(1);
    expect(attention!.attributes).toMatchObject({ numHeads: heads, numKvHeads: kvHeads, headSize: HEAD, causal: true, slidingWindow: window, rotaryDim: HEAD });
    for (const op of ['Softmax', 'Expand', 'Slice']) expect(has(out, op), op).toBe(false);
  });

  it('a window as long as the sequence is the plain causal mask: no window kept', async () => {
    const [attention] = attentionOf(await optimized(mistralLike(4, 2, (n) => windowMask(n, S))));
    expect(attention!.attributes).toMatchObject({ causal: true, slidingWindow: 0 });
  });

  it('a mask that is no window (one key hidden inside it) is not fused', async () => {
    const out = await optimized(mistralLike(4, 2, (n) => windowMask(n, 3, [4, 3])));
    expect(attentionOf(out)).toHaveLength(0);
    expect(has(out, 'Softmax')).toBe(true);
  });
});

describe('sliced qkv (Phi-3) reaches the attention rules and GptAttention reads the projection', () => {
  it.each([
    ['causal', S],
    ['with a sliding window', 2],
  ])('%s', async (_, window) => {
    const out = await optimized(phi3Like(4, (n) => windowMask(n, window)));
    const [attention] = attentionOf(out);
    expect(attentionOf(out)).toHaveLength(1);
    expect(attention!.attributes).toMatchObject({ numHeads: 4, numKvHeads: 4, headSize: HEAD, rotaryDim: HEAD, slidingWindow: window === S ? 0 : window });
    // The three slices are packed back: the attention's qkv is the projection's output.
    expect(attention!.inputs[0]!.producer?.op).toBe('MatMul');
    for (const op of ['Slice', 'Concat', 'Softmax', 'Transpose']) expect(has(out, op), op).toBe(false);
  });

  it('slices that do not cover the projection are not packed back: the attention fuses on their Concat', async () => {
    const out = await optimized(phi3Like(4, (n) => windowMask(n, S), HEAD));
    const [attention] = attentionOf(out);
    expect(attentionOf(out)).toHaveLength(1);
    expect(attention!.inputs[0]!.producer?.op).toBe('Concat');
    expect(has(out, 'Slice')).toBe(true);
  });
});
