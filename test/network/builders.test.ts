/**
 * Every functional builder (src/network/functional/{primitives,fused}.ts) called with valid inputs,
 * non-default options where it has them, and its output types checked against shapes derived by
 * hand. An option the op does not define would be an AttributeError here; an option the builder
 * drops would show in the layer's attributes.
 */
import { describe, expect, it } from 'vitest';
import { FLayerInfoMemo } from '../../src/network/flayer-info.js';
import * as fused from '../../src/network/functional/fused.js';
import * as P from '../../src/network/functional/primitives.js';
import { Network } from '../../src/network/network.js';
import type { Tensor } from '../../src/network/tensor.js';
import type { DType, Shape } from '../../src/ops/types.js';

const tested = new Set<string>();

/** Checks `t`'s type and its layer's op and (given) attributes; records the builder as tested. */
function check(builder: string, t: Tensor, op: string, dtype: DType, shape: Shape, attrs: Record<string, unknown> = {}): void {
  tested.add(builder);
  expect(t.dtype, builder).toBe(dtype);
  expect(t.shape, builder).toEqual(shape);
  const layer = t.getParent()!;
  expect(layer.op, builder).toBe(op);
  for (const [k, v] of Object.entries(attrs)) expect(layer.attributes[k], `${builder}: attribute ${k}`).toEqual(v);
  t.network.validate();
}

function net() {
  const n = new Network('builders');
  const input = (name: string, shape: Shape, dtype: DType = 'float32') => n.addInput(name, dtype, shape);
  const weight = (shape: number[], dtype: DType = 'float32') => n.addConstant({ dtype, shape });
  return { n, input, weight };
}

describe('primitive builders', () => {
  it('constant and identity', () => {
    const { n, input } = net();
    const c = P.constant(n, { dtype: 'int32', shape: [2, 2], data: [1, 2, 3, 4], name: 'four' });
    check('constant', c, 'Constant', 'int32', [2, 2], { dtype: 'int32', shape: [2, 2] });
    expect(c.name).toBe('four');
    expect(Array.from(c.getParent()!.constantData!.data)).toEqual([1, 2, 3, 4]);
    check('identity', P.identity(input('x', ['batch', 3])), 'Identity', 'float32', ['batch', 3]);
  });

  it('elementwise unary', () => {
    const { input } = net();
    const x = input('x', ['batch', 2, 5]);
    const unary = { sqrt: 'Sqrt', reciprocal: 'Reciprocal', neg: 'Neg', exp: 'Exp', log: 'Log', erf: 'Erf', tanh: 'Tanh', relu: 'Relu', sigmoid: 'Sigmoid', silu: 'Silu' } as const;
    for (const [name, op] of Object.entries(unary)) {
      check(name, P[name as keyof typeof unary](x, { name: `my_${name}` }), op, 'float32', ['batch', 2, 5]);
    }
    check('gelu', P.gelu(x), 'Gelu', 'float32', ['batch', 2, 5], { approximate: 'none' });
    check('gelu', P.gelu(x, { approximate: 'tanh' }), 'Gelu', 'float32', ['batch', 2, 5], { approximate: 'tanh' });
    check('cast', P.cast(x, 'float16'), 'Cast', 'float16', ['batch', 2, 5], { to: 'float16' });
  });

  it('elementwise binary broadcast, and numbers become scalar constants', () => {
    const { input, weight } = net();
    const x = input('x', ['batch', 1, 5]);
    const y = input('y', [3, 1]);
    const binary = { add: 'Add', sub: 'Sub', mul: 'Mul', div: 'Div', pow: 'Pow' } as const;
    for (const [name, op] of Object.entries(binary)) {
      check(name, P[name as keyof typeof binary](x, y), op, 'float32', ['batch', 3, 5]);
      const s = P[name as keyof typeof binary](2, x);
      check(name, s, op, 'float32', ['batch', 1, 5]);
      expect(s.getParent()!.inputs[0]!.shape).toEqual([]);
    }
    const cond = input('cond', [3, 5], 'bool');
    check('where', P.where(cond, x, weight([5])), 'Where', 'float32', ['batch', 3, 5]);
    check('where', P.where(cond, 0, x), 'Where', 'float32', ['batch', 3, 5]);
  });

  it('matmul and gemm', () => {
    const { input, weight } = net();
    const x = input('x', ['batch', 'seq', 16]);
    check('matmul', P.matmul(x, weight([16, 8])), 'MatMul', 'float32', ['batch', 'seq', 8]);
    check('matmul', P.matmul(input('v', [16]), weight([2, 16, 3])), 'MatMul', 'float32', [2, 3]);
    const a = input('a', [3, 2]);
    const b = input('b', [4, 3]);
    check('gemm', P.gemm(a, b, weight([4]), { alpha: 0.5, beta: 2, transA: true, transB: true }), 'Gemm', 'float32', [2, 4], {
      alpha: 0.5,
      beta: 2,
      transA: true,
      transB: true,
    });
    check('gemm', P.gemm(input('c', [2, 3]), input('d', [3, 4])), 'Gemm', 'float32', [2, 4], { transA: false, transB: false });
  });

  it('layout: transpose, reshape, flatten, concat, split, slice', () => {
    const { input } = net();
    const x = input('x', ['batch', 3, 4]);
    check('transpose', P.transpose(x, [2, 0, 1]), 'Transpose', 'float32', [4, 'batch', 3], { perm: [2, 0, 1] });
    check('transpose', P.transpose(x), 'Transpose', 'float32', [4, 3, 'batch']);
    check('reshape', P.reshape(x, [0, 2, -1]), 'Reshape', 'float32', ['batch', 2, 6], { shape: [0, 2, -1] });
    const s = input('s', [2, 3, 4]);
    check('flatten', P.flatten(s, 2), 'Flatten', 'float32', [6, 4], { axis: 2 });
    check('flatten', P.flatten(s), 'Flatten', 'float32', [2, 12], { axis: 1 });
    check('concat', P.concat([s, input('t', [2, 5, 4])], 1), 'Concat', 'float32', [2, 8, 4], { axis: 1 });
    check('concat', P.concat([x, x], -1), 'Concat', 'float32', ['batch', 3, 8], { axis: -1 });
    const m = input('m', [6, 4]);
    const parts = P.split(m, { axis: 0, split: [2, 4] });
    expect(parts.map((t) => t.shape)).toEqual([
      [2, 4],
      [4, 4],
    ]);
    check('split', parts[1]!, 'Split', 'float32', [4, 4], { axis: 0, split: [2, 4] });
    const thirds = P.split(m, { axis: 0, numOutputs: 3 });
    expect(thirds).toHaveLength(3);
    for (const t of thirds) check('split', t, 'Split', 'float32', [2, 4], { numOutputs: 3 });
    const halves = P.split(m, { axis: -1 });
    expect(halves.map((t) => t.shape)).toEqual([
      [6, 2],
      [6, 2],
    ]);
    check('slice', P.slice(m, { starts: [1], ends: [5], axes: [0], steps: [2] }), 'Slice', 'float32', [2, 4], {
      starts: [1],
      ends: [5],
      axes: [0],
      steps: [2],
    });
    check('slice', P.slice(m, { starts: [0, 1], ends: [100, 3] }), 'Slice', 'float32', [6, 2]);
  });

  it('layout: gather, unsqueeze, squeeze, expand, embedding', () => {
    const { input, weight } = net();
    const data = input('data', [5, 4]);
    const idx = input('idx', [2, 3], 'int32');
    check('gather', P.gather(data, idx), 'Gather', 'float32', [2, 3, 4], { axis: 0 });
    check('gather', P.gather(data, idx, 1), 'Gather', 'float32', [5, 2, 3], { axis: 1 });
    const x = input('x', [2, 3]);
    check('unsqueeze', P.unsqueeze(x, [0, 3]), 'Unsqueeze', 'float32', [1, 2, 3, 1], { axes: [0, 3] });
    const ones = input('ones', [1, 2, 1]);
    check('squeeze', P.squeeze(ones, [0]), 'Squeeze', 'float32', [2, 1], { axes: [0] });
    check('squeeze', P.squeeze(ones), 'Squeeze', 'float32', [2]);
    check('expand', P.expand(input('col', [3, 1]), [2, 3, 4]), 'Expand', 'float32', [2, 3, 4], { shape: [2, 3, 4] });
    const tokens = input('tokens', ['batch', 'seq'], 'int64');
    check('embedding', P.embedding(tokens, weight([100, 16])), 'Embedding', 'float32', ['batch', 'seq', 16]);
  });

  it('reductions and softmax', () => {
    const { input } = net();
    const x = input('x', ['batch', 3, 4]);
    check('reduceMean', P.reduceMean(x, [2]), 'ReduceMean', 'float32', ['batch', 3, 1], { axes: [2], keepDims: true });
    check('reduceMean', P.reduceMean(x, [-1], { keepDims: false }), 'ReduceMean', 'float32', ['batch', 3], { keepDims: false });
    check('reduceMean', P.reduceMean(x), 'ReduceMean', 'float32', [1, 1, 1]);
    check('reduceSum', P.reduceSum(x, [1, 2], { keepDims: false }), 'ReduceSum', 'float32', ['batch'], { axes: [1, 2], keepDims: false });
    check('reduceSum', P.reduceSum(x, [0]), 'ReduceSum', 'float32', [1, 3, 4]);
    check('softmax', P.softmax(x), 'Softmax', 'float32', ['batch', 3, 4], { axis: -1 });
    check('softmax', P.softmax(x, 1), 'Softmax', 'float32', ['batch', 3, 4], { axis: 1 });
  });

  it('normalization', () => {
    const { input, weight } = net();
    const x = input('x', ['batch', 3, 8]);
    check('layerNorm', P.layerNorm(x, weight([8]), weight([8]), { epsilon: 1e-3 }), 'LayerNorm', 'float32', ['batch', 3, 8], { epsilon: 1e-3, axis: -1 });
    check('layerNorm', P.layerNorm(x, weight([3, 8]), undefined, { axis: 1 }), 'LayerNorm', 'float32', ['batch', 3, 8], { axis: 1 });
    check('rmsNorm', P.rmsNorm(x, weight([8]), { epsilon: 1e-5 }), 'RMSNorm', 'float32', ['batch', 3, 8], { epsilon: 1e-5 });
    check('rmsNorm', P.rmsNorm(x, weight([8])), 'RMSNorm', 'float32', ['batch', 3, 8], { epsilon: 1e-6 });
    const img = input('img', [2, 4, 5, 5]);
    const c = () => weight([4]);
    check('batchNorm', P.batchNorm(img, c(), c(), c(), c(), { epsilon: 1e-3 }), 'BatchNorm', 'float32', [2, 4, 5, 5], { epsilon: 1e-3 });
  });

  it('convolution and pooling', () => {
    const { input, weight } = net();
    const x = input('x', [1, 4, 8, 8]);
    // H' = floor((8 + 1 + 1 - 3) / 2) + 1 = 4; with dilation 2 the window spans 5: floor(5 / 2) + 1 = 3.
    check('conv', P.conv(x, weight([6, 2, 3, 3]), weight([6]), { strides: [2, 2], pads: [1, 1, 1, 1], group: 2 }), 'Conv', 'float32', [1, 6, 4, 4], {
      strides: [2, 2],
      pads: [1, 1, 1, 1],
      group: 2,
    });
    check('conv', P.conv(x, weight([6, 4, 3, 3]), undefined, { strides: [2, 2], pads: [1, 1, 1, 1], dilations: [2, 2] }), 'Conv', 'float32', [1, 6, 3, 3], {
      dilations: [2, 2],
    });
    check('conv', P.conv(x, weight([3, 4, 1, 1])), 'Conv', 'float32', [1, 3, 8, 8]);
    const y = input('y', [1, 2, 7, 7]);
    // floor((7 + 1 - 3) / 2) + 1 = 3; ceilMode rounds 2.5 up: 4.
    check('maxPool', P.maxPool(y, { kernelShape: [3, 3], strides: [2, 2], pads: [0, 0, 1, 1] }), 'MaxPool', 'float32', [1, 2, 3, 3]);
    check('maxPool', P.maxPool(y, { kernelShape: [3, 3], strides: [2, 2], pads: [0, 0, 1, 1], ceilMode: true, dilations: [1, 1] }), 'MaxPool', 'float32', [1, 2, 4, 4], {
      kernelShape: [3, 3],
      ceilMode: true,
    });
    check('maxPool', P.maxPool(y, { kernelShape: [2, 2], dilations: [2, 2] }), 'MaxPool', 'float32', [1, 2, 5, 5], { dilations: [2, 2] });
    check('averagePool', P.averagePool(y, { kernelShape: [2, 2], countIncludePad: true, pads: [1, 1, 1, 1] }), 'AveragePool', 'float32', [1, 2, 8, 8], {
      countIncludePad: true,
    });
    check('averagePool', P.averagePool(y, { kernelShape: [3, 3], strides: [3, 3] }), 'AveragePool', 'float32', [1, 2, 2, 2]);
    check('globalAveragePool', P.globalAveragePool(y), 'GlobalAveragePool', 'float32', [1, 2, 1, 1]);
  });
});

describe('fused and plugin-style builders (recordSignature)', () => {
  const info = (t: Tensor) => FLayerInfoMemo.instance().get(t.getParent()!)!;

  it('fusedLinear and swiglu', () => {
    const { input, weight } = net();
    const x = input('x', ['batch', 'seq', 16]);
    const y = fused.fusedLinear({ input: x, weight: weight([16, 8]), bias: weight([8]), activation: 'gelu' });
    check('fusedLinear', y, 'FusedLinear', 'float32', ['batch', 'seq', 8], { activation: 'gelu', transB: false });
    expect(info(y).layerKind).toBe('fusedLinear');
    expect(info(y).getInput('input')).toBe(x);
    const t = fused.fusedLinear({ input: x, weight: weight([8, 16]), transB: true, name: 'proj' });
    check('fusedLinear', t, 'FusedLinear', 'float32', ['batch', 'seq', 8], { activation: 'none', transB: true });
    expect(t.getParent()!.name).toBe('proj');
    expect(info(t).getInput('bias')).toBeUndefined();
    const g = input('g', ['batch', 11]);
    const s = fused.swiglu({ gate: g, up: input('u', ['batch', 11]) });
    check('swiglu', s, 'SwiGLU', 'float32', ['batch', 11]);
    expect(info(s).getInput('gate')).toBe(g);
  });

  it('skipLayerNorm and skipRmsNorm return [normed, sum]', () => {
    const { input, weight } = net();
    const x = input('x', ['batch', 4, 8]);
    const skip = input('skip', ['batch', 4, 8]);
    const [normed, sum] = fused.skipLayerNorm({ input: x, skip, weight: weight([8]), bias: weight([8]), epsilon: 1e-3 });
    check('skipLayerNorm', normed!, 'SkipLayerNorm', 'float32', ['batch', 4, 8], { epsilon: 1e-3 });
    check('skipLayerNorm', sum!, 'SkipLayerNorm', 'float32', ['batch', 4, 8]);
    expect(normed!.getParent()).toBe(sum!.getParent());
    expect(normed!.getParent()!.inputs).toHaveLength(4);
    expect(info(normed!).getInput('epsilon')).toBe(1e-3);
    const [n2, s2] = fused.skipRmsNorm({ input: x, skip: input('row', [8]), weight: weight([8]) });
    check('skipRmsNorm', n2!, 'SkipRMSNorm', 'float32', ['batch', 4, 8], { epsilon: 1e-6 });
    check('skipRmsNorm', s2!, 'SkipRMSNorm', 'float32', ['batch', 4, 8]);
    expect(info(n2!).getInput('epsilon')).toBe(1e-6);
  });

  it('rotaryEmbedding', () => {
    const { input, weight } = net();
    const x = input('x', ['batch', 2, 6, 8]);
    check('rotaryEmbedding', fused.rotaryEmbedding({ input: x, cos: weight([6, 4]), sin: weight([6, 4]) }), 'RotaryEmbedding', 'float32', ['batch', 2, 6, 8], {
      interleaved: false,
    });
    const r = fused.rotaryEmbedding({ input: x, cos: weight([6, 8]), sin: weight([6, 8]), interleaved: true });
    check('rotaryEmbedding', r, 'RotaryEmbedding', 'float32', ['batch', 2, 6, 8], { interleaved: true });
    expect(info(r).getInput('interleaved')).toBe(true);
  });

  it('gptAttention: MHA with bias, GQA with rotary and a fixed cache, paged', () => {
    const { input, weight } = net();
    // MHA: H = 4, Dh = 8: qkv width (4 + 2 * 4) * 8 = 96; context 4 * 8 = 32; cache [B, 2, 4, S, 8].
    const qkv = input('qkv', ['batch', 5, 96]);
    const [ctx, kv] = fused.gptAttention({ qkv, qkvBias: weight([96]), numHeads: 4, numKvHeads: 4, headSize: 8 });
    check('gptAttention', ctx!, 'GptAttention', 'float32', ['batch', 5, 32], { numHeads: 4, numKvHeads: 4, headSize: 8, causal: true });
    check('gptAttention', kv!, 'GptAttention', 'float32', ['batch', 2, 4, 5, 8]);
    expect(info(ctx!).getInput('qkvBias')).toBe(ctx!.getParent()!.inputs[1]);
    // GQA: H = 4, KVH = 2, Dh = 8: width (4 + 4) * 8 = 64; cache length 16.
    const q2 = input('q2', [2, 5, 64]);
    const [c2, kv2] = fused.gptAttention({
      qkv: q2,
      contextLengths: input('lens', [2], 'int32'),
      numHeads: 4,
      numKvHeads: 2,
      headSize: 8,
      qScaling: 2,
      causal: false,
      rotaryDim: 4,
      rotaryBase: 500,
      maxContextLength: 16,
    });
    check('gptAttention', c2!, 'GptAttention', 'float32', [2, 5, 32], {
      numKvHeads: 2,
      qScaling: 2,
      causal: false,
      rotaryDim: 4,
      rotaryBase: 500,
      maxContextLength: 16,
    });
    check('gptAttention', kv2!, 'GptAttention', 'float32', [2, 2, 2, 16, 8]);
    const paged = fused.gptAttention({ qkv: q2, numHeads: 4, numKvHeads: 2, headSize: 8, pagedKvCache: true });
    expect(paged).toHaveLength(1);
    check('gptAttention', paged[0]!, 'GptAttention', 'float32', [2, 5, 32], { pagedKvCache: true });
    // Packed sequences: qkv [1, T, width] with lengths; the cache needs maxContextLength.
    const packed = fused.gptAttention({
      qkv: input('packed', [1, 9, 64]),
      contextLengths: input('lens2', [3], 'int32'),
      numHeads: 4,
      numKvHeads: 2,
      headSize: 8,
      removeInputPadding: true,
      maxContextLength: 4,
    });
    check('gptAttention', packed[0]!, 'GptAttention', 'float32', [1, 9, 32], { removeInputPadding: true });
    check('gptAttention', packed[1]!, 'GptAttention', 'float32', [3, 2, 2, 4, 8]);
  });

  it('fusedConv', () => {
    const { input, weight } = net();
    const x = input('x', [1, 4, 8, 8]);
    const y = fused.fusedConv({ input: x, weight: weight([6, 2, 3, 3]), bias: weight([6]), activation: 'relu', strides: [2, 2], pads: [1, 1, 1, 1], group: 2 });
    check('fusedConv', y, 'FusedConv', 'float32', [1, 6, 4, 4], { activation: 'relu', strides: [2, 2], pads: [1, 1, 1, 1], group: 2 });
    const z = fused.fusedConv({ input: x, weight: weight([3, 4, 3, 3]), dilations: [2, 2] });
    check('fusedConv', z, 'FusedConv', 'float32', [1, 3, 4, 4], { activation: 'none', dilations: [2, 2] });
    expect(info(z).getInput('activation')).toBe('none');
  });
});

describe('coverage', () => {
  it('every exported builder was called above', () => {
    const builders = [...Object.entries(P), ...Object.entries(fused)].filter(([, v]) => typeof v === 'function').map(([k]) => k);
    expect(builders.length).toBeGreaterThan(40);
    expect(builders.filter((b) => !tested.has(b))).toEqual([]);
  });
});
