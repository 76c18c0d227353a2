import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AttributeError, ShapeError } from '../../src/errors.js';
import { ndarray } from '../../src/ops/ndarray.js';
import { getOp, resolveAttrs } from '../../src/ops/registry.js';
import type { NDArray, TensorType } from '../../src/ops/types.js';
import { array, expectClose, inferOp, randomArray, runOp } from '../support/op-run.js';

const small = (max: number) => fc.integer({ min: 1, max });
const f32 = (shape: (number | string)[]) => ({ dtype: 'float32' as const, shape });
const lengthsOf = (values: number[]) => ndarray('int32', [values.length], values);

/** Features [first, first + count) of every token of a [rows, tokens, width] array, as [rows, tokens, count]. */
function columns(a: NDArray, first: number, count: number): NDArray {
  const [rows, tokens, width] = a.shape as [number, number, number];
  const out = new Float32Array(rows * tokens * count);
  for (let t = 0; t < rows * tokens; t++) out.set(a.data.subarray(t * width + first, t * width + first + count), t * count);
  return { dtype: a.dtype, shape: [rows, tokens, count], data: out };
}

/** Concatenation along dim 1 of [rows, *, width] arrays. */
function concatTokens(parts: NDArray[]): NDArray {
  const width = parts[0]!.shape[2]!;
  const data = Float32Array.from(parts.flatMap((p) => [...p.data]));
  return { dtype: 'float32', shape: [1, data.length / width, width], data };
}

/** Rotate-half cos/sin tables [S, R], written out here independently of the kernels. */
function ropeTable(s: number, r: number, base = 10000): { cos: NDArray; sin: NDArray } {
  const cos: number[] = [];
  const sin: number[] = [];
  for (let p = 0; p < s; p++) {
    for (let i = 0; i < r; i++) {
      const angle = p / base ** ((2 * (i % (r / 2))) / r);
      cos.push(Math.cos(angle));
      sin.push(Math.sin(angle));
    }
  }
  return { cos: array([s, r], cos), sin: array([s, r], sin) };
}

describe('RotaryEmbedding', () => {
  it('inferred types match the kernel, and rotation keeps each row’s norm', () => {
    const prop = fc.property(
      fc.array(small(3), { minLength: 0, maxLength: 3 }),
      small(4),
      small(4),
      fc.boolean(),
      fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
      fc.nat(),
      (lead, halfD, halfR, interleaved, ones, seed) => {
        const d = 2 * halfD;
        const r = 2 * Math.min(halfR, halfD);
        const trigLead = lead.slice(seed % (lead.length + 1)).map((n, i) => (ones[i] ? 1 : n));
        const rows = trigLead.reduce((a, b) => a * b, 1);
        // One random angle per rotated pair, so the rotation is orthogonal.
        const angles = randomArray([rows, r / 2], seed + 1).data;
        const pair = (i: number) => (interleaved ? i >> 1 : i % (r / 2));
        const cos = array(
          [...trigLead, r],
          Array.from({ length: rows * r }, (_, k) => Math.cos(3 * angles[Math.floor(k / r) * (r / 2) + pair(k % r)]!)),
        );
        const sin = array(
          [...trigLead, r],
          Array.from({ length: rows * r }, (_, k) => Math.sin(3 * angles[Math.floor(k / r) * (r / 2) + pair(k % r)]!)),
        );
        const x = randomArray([...lead, d], seed);
        const [y] = runOp('RotaryEmbedding', [x, cos, sin], { interleaved });
        for (let row = 0; row < x.data.length / d; row++) {
          const norm = (a: ArrayLike<number>) => Math.hypot(...Array.from({ length: d }, (_, i) => a[row * d + i]!));
          expect(norm(y!.data)).toBeCloseTo(norm(x.data), 5);
          expectClose(y!.data.subarray(row * d + r, (row + 1) * d), x.data.subarray(row * d + r, (row + 1) * d), 0);
        }
      },
    );
    fc.assert(prop, { seed: 42, numRuns: 60 });
  });

  it('cos = 1, sin = 0 is the identity; a 90° turn swaps the halves (or the pairs) with a sign', () => {
    const x = array([1, 6], [1, 2, 3, 4, 5, 6]);
    const ones = array([4], [1, 1, 1, 1]);
    const zeros = array([4], [0, 0, 0, 0]);
    expect([...runOp('RotaryEmbedding', [x, ones, zeros])[0]!.data]).toEqual([1, 2, 3, 4, 5, 6]);
    expect([...runOp('RotaryEmbedding', [x, zeros, ones])[0]!.data]).toEqual([-3, -4, 1, 2, 5, 6]);
    expect([...runOp('RotaryEmbedding', [x, zeros, ones], { interleaved: true })[0]!.data]).toEqual([-2, 1, -4, 3, 5, 6]);
  });

  it('each feature reads its own cos and sin: out = x·cos + rotate(x)·sin', () => {
    const x = array([4], [1, 2, 3, 4]);
    const sin = array([4], [1, 2, 3, 4]);
    const cos = array([4], [0, 0, 0, 0]);
    expect([...runOp('RotaryEmbedding', [x, cos, sin])[0]!.data]).toEqual([-3, -8, 3, 8]);
    expect([...runOp('RotaryEmbedding', [x, cos, sin], { interleaved: true })[0]!.data]).toEqual([-2, 2, -12, 12]);
  });

  it('cos/sin [S, R] and [B, 1, S, R] broadcast over x [B, H, S, D]', () => {
    const x = randomArray([2, 3, 4, 8], 1);
    const { cos, sin } = ropeTable(4, 8);
    const [a] = runOp('RotaryEmbedding', [x, cos, sin]);
    const tile = (t: NDArray) => array([2, 1, 4, 8], [...t.data, ...t.data]);
    const [b] = runOp('RotaryEmbedding', [x, tile(cos), tile(sin)]);
    expectClose(a!.data, b!.data, 0);
  });

  it('bad rotary widths and shapes', () => {
    expect(() => inferOp('RotaryEmbedding', [f32([2, 4]), f32([2, 3]), f32([2, 3])])).toThrow(/R=3 .* D=4/);
    expect(() => inferOp('RotaryEmbedding', [f32([2, 4]), f32([2, 6]), f32([2, 6])])).toThrow(/R=6 .* D=4/);
    expect(() => inferOp('RotaryEmbedding', [f32([2, 4]), f32([3, 4]), f32([3, 4])])).toThrow(ShapeError);
    expect(() => inferOp('RotaryEmbedding', [f32([2, 4]), f32([2, 4]), f32([2, 2])])).toThrow(/"sin" has shape \[2, 2\]/);
  });
});

describe('GptAttention: inferred types match the kernel', () => {
  it('over heads, GQA groups, rotary, masks, packing, cache sizes and paging', () => {
    const prop = fc.property(
      fc.record({
        b: small(2),
        s: small(4),
        kvh: small(2),
        group: small(2),
        dh: fc.constantFrom(2, 4),
        rot: fc.nat(2),
        causal: fc.boolean(),
        bias: fc.boolean(),
        lengths: fc.option(fc.array(fc.nat(4), { minLength: 2, maxLength: 2 })),
        packed: fc.boolean(),
        paged: fc.boolean(),
        extra: fc.nat(2),
        seed: fc.nat(),
      }),
      (c) => {
        const h = c.kvh * c.group;
        const width = (h + 2 * c.kvh) * c.dh;
        const lens = (c.lengths ?? [c.s, c.s]).slice(0, c.b).map((l) => (c.packed ? 1 + (l % c.s) : l % (c.s + 1)));
        const tokens = lens.reduce((a, l) => a + l, 0);
        const qkv = c.packed ? randomArray([1, tokens, width], c.seed) : randomArray([c.b, c.s, width], c.seed);
        const attrs = {
          numHeads: h,
          numKvHeads: c.kvh,
          headSize: c.dh,
          rotaryDim: 2 * Math.min(c.rot, c.dh / 2),
          causal: c.causal,
          removeInputPadding: c.packed,
          pagedKvCache: c.paged,
          maxContextLength: c.packed || c.extra > 0 ? c.s + c.extra : 0,
        };
        const outs = runOp('GptAttention', [qkv, c.bias ? randomArray([width], c.seed + 1) : undefined, c.packed || c.lengths ? lengthsOf(lens) : undefined], attrs);
        expect(outs.length).toBe(c.paged ? 1 : 2);
        expect(outs.every((o) => o.data.every(Number.isFinite))).toBe(true);
      },
    );
    fc.assert(prop, { seed: 42, numRuns: 60 });
  });

  it('symbolic batch and sequence pass through', () => {
    const [ctx, cache] = inferOp('GptAttention', [{ dtype: 'float16', shape: ['batch', 'seq', 48] }], { numHeads: 4, numKvHeads: 2, headSize: 6 });
    expect(ctx).toEqual({ dtype: 'float16', shape: ['batch', 'seq', 24] });
    expect(cache).toEqual({ dtype: 'float16', shape: ['batch', 2, 2, 'seq', 6] });
  });
});

describe('GptAttention: semantics', () => {
  const dh = 4;

  it('with S = 1 the context is v of that token, per head', () => {
    const qkv = randomArray([2, 1, 6 * dh], 3);
    const [ctx, cache] = runOp('GptAttention', [qkv], { numHeads: 2, numKvHeads: 2, headSize: dh });
    expectClose(ctx!.data, columns(qkv, 4 * dh, 2 * dh).data, 1e-6);
    expectClose(cache!.data.subarray(0, 2 * dh), columns(qkv, 2 * dh, 2 * dh).data.subarray(0, 2 * dh), 0);
  });

  it('causal: the first token attends only to itself; later tokens see earlier ones', () => {
    const qkv = randomArray([1, 3, 4 * dh], 4);
    const attrs = { numHeads: 2, numKvHeads: 1, headSize: dh };
    const [ctx] = runOp('GptAttention', [qkv], attrs);
    const v0 = columns(qkv, 3 * dh, dh).data.subarray(0, dh);
    expectClose(ctx!.data.subarray(0, dh), v0, 1e-6);
    expectClose(ctx!.data.subarray(dh, 2 * dh), v0, 1e-6);
    const [open] = runOp('GptAttention', [qkv], { ...attrs, causal: false });
    expect(Math.abs(open!.data[0]! - ctx!.data[0]!)).toBeGreaterThan(1e-6);
  });

  it('slidingWindow W: a query sees itself and the W - 1 keys before it, so W = 1 gives its own v', () => {
    const qkv = randomArray([2, 4, 6 * dh], 5);
    const attrs = { numHeads: 2, numKvHeads: 2, headSize: dh };
    const [own] = runOp('GptAttention', [qkv], { ...attrs, slidingWindow: 1 });
    expectClose(own!.data, columns(qkv, 4 * dh, 2 * dh).data, 1e-6);
    // A window as long as the sequence is no window; a shorter one changes only the later tokens.
    const [causal] = runOp('GptAttention', [qkv], attrs);
    expectClose(runOp('GptAttention', [qkv], { ...attrs, slidingWindow: 4 })[0]!.data, causal!.data, 0);
    const [two] = runOp('GptAttention', [qkv], { ...attrs, slidingWindow: 2 });
    expectClose(two!.data.subarray(0, 2 * 2 * dh), causal!.data.subarray(0, 2 * 2 * dh), 0);
    expect(Math.abs(two!.data[3 * 2 * dh]! - causal!.data[3 * 2 * dh]!)).toBeGreaterThan(1e-6);
  });

  for (const [h, kvh] of [
    [3, 1],
    [4, 2],
  ] as const) {
    it(`GQA with numHeads = ${h}, numKvHeads = ${kvh} equals MHA with each kv head replicated for its group`, () => {
      const kv = kvh * dh;
      const gqa = randomArray([2, 4, h * dh + 2 * kv], 5);
      const mha = new Float32Array(2 * 4 * 3 * h * dh);
      for (let t = 0; t < 8; t++) {
        const src = gqa.data.subarray(t * (h * dh + 2 * kv), (t + 1) * (h * dh + 2 * kv));
        const dst = t * 3 * h * dh;
        mha.set(src.subarray(0, h * dh), dst);
        for (let i = 0; i < h; i++) {
          const g = Math.floor(i / (h / kvh)) * dh;
          mha.set(src.subarray(h * dh + g, h * dh + g + dh), dst + (h + i) * dh);
          mha.set(src.subarray(h * dh + kv + g, h * dh + kv + g + dh), dst + (2 * h + i) * dh);
        }
      }
      const attrs = { numHeads: h, headSize: dh, rotaryDim: 2 };
      const [a] = runOp('GptAttention', [gqa], { ...attrs, numKvHeads: kvh });
      const [b] = runOp('GptAttention', [array([2, 4, 3 * h * dh], mha)], { ...attrs, numKvHeads: h });
      expectClose(a!.data, b!.data, 1e-6);
    });
  }

  it('qkvBias equals adding the bias to qkv first', () => {
    const qkv = randomArray([2, 3, 6 * dh], 6);
    const bias = randomArray([6 * dh], 7);
    const attrs = { numHeads: 2, numKvHeads: 2, headSize: dh, rotaryDim: dh };
    const fused = runOp('GptAttention', [qkv, bias], attrs);
    const [added] = runOp('Add', [qkv, bias]);
    const plain = runOp('GptAttention', [added!], attrs);
    expectClose(fused[0]!.data, plain[0]!.data, 0);
    expectClose(fused[1]!.data, plain[1]!.data, 0);
  });

  it('built-in rotary equals RotaryEmbedding on the q and k heads, then attention without rotary', () => {
    const s = 3;
    const qkv = randomArray([1, s, 4 * dh], 8);
    const attrs = { numHeads: 2, numKvHeads: 1, headSize: dh, qScaling: 2 };
    const [ctx, cache] = runOp('GptAttention', [qkv], { ...attrs, rotaryDim: 2, rotaryBase: 100 });
    const { cos, sin } = ropeTable(s, 2, 100);
    const heads = { ...qkv, shape: [s, 4, dh] };
    const [rotated] = runOp('RotaryEmbedding', [heads, array([s, 1, 2], cos.data), array([s, 1, 2], sin.data)]);
    for (let t = 0; t < s; t++) rotated!.data.set(qkv.data.subarray((t * 4 + 3) * dh, (t * 4 + 4) * dh), (t * 4 + 3) * dh); // v is not rotated
    const [ctx2, cache2] = runOp('GptAttention', [{ ...rotated!, shape: [1, s, 4 * dh] }], attrs);
    expectClose(ctx!.data, ctx2!.data, 1e-6);
    expectClose(cache!.data, cache2!.data, 1e-6);
  });

  for (const causal of [true, false]) {
    it(`removeInputPadding on two packed sequences equals padded and separate runs (causal=${causal})`, () => {
      const width = 4 * dh;
      const attrs = { numHeads: 2, numKvHeads: 1, headSize: dh, rotaryDim: 2, causal };
      const a = randomArray([1, 2, width], 9);
      const b = randomArray([1, 3, width], 10);
      const [packedCtx, packedCache] = runOp('GptAttention', [concatTokens([a, b]), undefined, lengthsOf([2, 3])], {
        ...attrs,
        removeInputPadding: true,
        maxContextLength: 3,
      });
      const [ctxA, cacheA] = runOp('GptAttention', [a], { ...attrs, maxContextLength: 3 });
      const [ctxB, cacheB] = runOp('GptAttention', [b], attrs);
      expect(packedCtx!.shape).toEqual([1, 5, 2 * dh]);
      expectClose(packedCtx!.data, [...ctxA!.data, ...ctxB!.data], 1e-6);
      expectClose(packedCache!.data, [...cacheA!.data, ...cacheB!.data], 1e-6);
      // The same two sequences as a padded batch: a's third token is garbage that must not be seen.
      const padded = array([2, 3, width], [...a.data, ...randomArray([width], 11).data, ...b.data]);
      const [paddedCtx, paddedCache] = runOp('GptAttention', [padded, undefined, lengthsOf([2, 3])], attrs);
      expectClose(paddedCtx!.data, [...ctxA!.data, ...new Array(2 * dh).fill(0), ...ctxB!.data], 1e-6);
      expectClose(paddedCache!.data, packedCache!.data, 1e-6);
    });
  }

  it('pagedKvCache gives one output', () => {
    const attrs = { numHeads: 2, numKvHeads: 1, headSize: dh, pagedKvCache: true };
    const outs = runOp('GptAttention', [randomArray([1, 2, 4 * dh], 12)], attrs);
    expect(outs.map((o) => o.shape)).toEqual([[1, 2, 2 * dh]]);
    expect(inferOp('GptAttention', [f32([1, 2, 4 * dh])], attrs)).toHaveLength(1);
  });

  it('maxContextLength sizes the cache, zero past the sequence', () => {
    const [, cache] = runOp('GptAttention', [randomArray([1, 2, 3 * dh], 13)], { numHeads: 1, numKvHeads: 1, headSize: dh, maxContextLength: 4 });
    expect(cache!.shape).toEqual([1, 2, 1, 4, dh]);
    expect([...cache!.data.subarray(2 * dh, 4 * dh)].every((v) => v === 0)).toBe(true);
  });
});

describe('GptAttention: bad input', () => {
  it('numKvHeads not dividing numHeads names both', () => {
    expect(() => inferOp('GptAttention', [f32([1, 2, 80])], { numHeads: 4, numKvHeads: 3, headSize: 8 })).toThrow(AttributeError);
    expect(() => inferOp('GptAttention', [f32([1, 2, 80])], { numHeads: 4, numKvHeads: 3, headSize: 8 })).toThrow(/GptAttention: numKvHeads=3 does not divide numHeads=4/);
  });

  it('qkv width not (H + 2*KVH)*Dh gives the arithmetic', () => {
    expect(() => inferOp('GptAttention', [f32([1, 2, 40])], { numHeads: 4, numKvHeads: 2, headSize: 8 })).toThrow(/GptAttention: qkv width 40 is not .* = \(4 \+ 2\*2\)\*8 = 64/);
  });

  it('packed mode without contextLengths or maxContextLength; lengths that do not fit; odd rotaryDim; a window without causal', () => {
    const attrs = { numHeads: 1, numKvHeads: 1, headSize: 2, removeInputPadding: true };
    expect(() => inferOp('GptAttention', [f32([1, 5, 6])], { ...attrs, maxContextLength: 4 })).toThrow(/contextLengths is required/);
    expect(() => inferOp('GptAttention', [f32([1, 5, 6]), undefined, { dtype: 'int32', shape: [2] }], attrs)).toThrow(/maxContextLength > 0/);
    expect(() => runOp('GptAttention', [randomArray([1, 5, 6], 1), undefined, lengthsOf([2, 2])], { ...attrs, maxContextLength: 4 })).toThrow(/sum to 4 but packed qkv holds T=5/);
    expect(() => runOp('GptAttention', [randomArray([2, 3, 6], 1), undefined, lengthsOf([2, 4])], { numHeads: 1, numKvHeads: 1, headSize: 2 })).toThrow(
      /contextLengths\[1\]=4 is outside \[0, 3\]/,
    );
    expect(() => inferOp('GptAttention', [f32([1, 2, 12])], { numHeads: 1, numKvHeads: 1, headSize: 4, rotaryDim: 3 })).toThrow(/rotaryDim=3/);
    expect(() => inferOp('GptAttention', [f32([1, 2, 6])], { numHeads: 1, numKvHeads: 1, headSize: 2, causal: false, slidingWindow: 2 })).toThrow(/slidingWindow=2 needs causal/);
    expect(() => inferOp('GptAttention', [f32([1, 2, 6]), undefined, { dtype: 'float32', shape: [1] }], { numHeads: 1, numKvHeads: 1, headSize: 2 })).toThrow(/contextLengths/);
  });
});

describe('GptAttention: cost', () => {
  it('charges 4·B·H·S²·Dh plus the softmax per score, and bytes of qkv and the outputs only', () => {
    const op = getOp('GptAttention');
    const [b, s, h, kvh, dh] = [2, 16, 8, 2, 32];
    const qkv: TensorType = { dtype: 'float16', shape: [b, s, (h + 2 * kvh) * dh] };
    const cost = (attrs: Record<string, number>) => {
      const resolved = resolveAttrs(op, { numHeads: h, numKvHeads: kvh, headSize: dh, ...attrs });
      return op.cost([qkv], op.infer([qkv], resolved), resolved);
    };
    const plain = cost({});
    const scores = b * h * s * s;
    const softmaxPerScore = (plain.flops - 4 * scores * dh) / scores;
    expect(softmaxPerScore).toBeGreaterThanOrEqual(5);
    expect(Number.isInteger(softmaxPerScore)).toBe(true);
    expect(plain.bytesRead).toBe(b * s * (h + 2 * kvh) * dh * 2);
    expect(plain.bytesWritten).toBe((b * s * h * dh + b * 2 * kvh * s * dh) * 2);
    expect(cost({ rotaryDim: 16 }).flops).toBeGreaterThan(plain.flops);
  });
});
