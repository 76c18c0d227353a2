/**
 * GptAttention exported to ONNX runs in onnxruntime-node as the reference interpreter computes it:
 * the standard decomposition (target 'onnx') and onnxruntime's GroupQueryAttention /
 * MultiHeadAttention / Attention (target 'ort'), over causal and full attention, grouped kv heads,
 * RoPE, a qkv bias, a read present cache and a constant qkv projection taken into Attention.
 */
import { describe, expect, it } from 'vitest';
import { OnnxExportError } from '../../src/io/onnx/errors.js';
import { writeOnnx } from '../../src/io/onnx/export.js';
import { randomArray } from '../../src/interp/random.js';
import * as fused from '../../src/network/functional/fused.js';
import { Network } from '../../src/network/network.js';
import { matmul } from '../../src/network/functional/primitives.js';
import type { Tensor } from '../../src/network/tensor.js';
import { contribOps, expectOrtMatches } from './support/ort-run.js';

interface Case {
  name: string;
  heads: number;
  kvHeads: number;
  causal: boolean;
  rotaryDim?: number;
  bias?: boolean;
  /** Features per head (default 16; onnxruntime's rotary needs multiples of 16). */
  headSize?: number;
  /** Mark the present cache as an output (with this maxContextLength, 0 = S). */
  cache?: number;
  /** Keys a causal query sees, itself included (0 = all before it). */
  window?: number;
  /** The com.microsoft op target 'ort' writes, or undefined when it falls back to standard ops. */
  ortOp: string | undefined;
}

const B = 2;
const S = 5;
const DH = 16;

const CASES: Case[] = [
  { name: 'causal multi-head', heads: 4, kvHeads: 4, causal: true, ortOp: 'GroupQueryAttention' },
  { name: 'causal grouped-query with bias', heads: 4, kvHeads: 2, causal: true, bias: true, ortOp: 'GroupQueryAttention' },
  { name: 'causal with a padded present cache', heads: 4, kvHeads: 2, causal: true, cache: 7, ortOp: 'GroupQueryAttention' },
  { name: 'full multi-head', heads: 4, kvHeads: 4, causal: false, ortOp: 'MultiHeadAttention' },
  { name: 'full grouped-query', heads: 4, kvHeads: 1, causal: false, ortOp: undefined },
  { name: 'full with RoPE', heads: 2, kvHeads: 2, causal: false, rotaryDim: 16, ortOp: undefined },
  { name: 'causal with partial RoPE and cache', heads: 2, kvHeads: 1, causal: true, rotaryDim: 16, headSize: 32, cache: 0, ortOp: 'GroupQueryAttention' },
  { name: 'causal with RoPE narrower than onnxruntime supports', heads: 2, kvHeads: 1, causal: true, rotaryDim: 4, ortOp: undefined },
  { name: 'causal with RoPE', heads: 2, kvHeads: 2, causal: true, rotaryDim: 16, ortOp: 'GroupQueryAttention' },
  { name: 'causal grouped-query with a sliding window', heads: 4, kvHeads: 2, causal: true, window: 2, ortOp: 'GroupQueryAttention' },
  { name: 'causal with RoPE, a sliding window and cache', heads: 2, kvHeads: 1, causal: true, rotaryDim: 16, window: 3, cache: 0, ortOp: 'GroupQueryAttention' },
];

function build(c: Case): Network {
  const network = new Network('attention');
  const dh = c.headSize ?? DH;
  const width = (c.heads + 2 * c.kvHeads) * dh;
  const qkv = network.addInput('qkv', 'float32', [B, S, width]);
  const qkvBias = c.bias ? network.addConstant({ dtype: 'float32', shape: [width], data: randomArray('float32', [width], 3), name: 'bias' }) : undefined;
  const [context, present] = fused.gptAttention({
    qkv,
    ...(qkvBias ? { qkvBias } : {}),
    numHeads: c.heads,
    numKvHeads: c.kvHeads,
    headSize: dh,
    qScaling: 1.5,
    causal: c.causal,
    rotaryDim: c.rotaryDim ?? 0,
    maxContextLength: c.cache ?? 0,
    slidingWindow: c.window ?? 0,
  });
  network.markOutput(context!, 'context');
  if (c.cache !== undefined) network.markOutput(present!, 'present');
  return network;
}

describe('GptAttention in onnxruntime', () => {
  for (const c of CASES) {
    for (const target of ['onnx', 'ort'] as const) {
      it(`${c.name}, target ${target}`, async () => {
        const network = build(c);
        const input = randomArray('float32', network.inputs[0]!.shape as number[], 11);
        const bytes = writeOnnx(network, { target });
        expect(contribOps(bytes)).toEqual(target === 'ort' && c.ortOp ? [c.ortOp] : []);
        await expectOrtMatches(network, bytes, { qkv: input });
      });
    }
  }

  it('float16 attention with RoPE and a causal mask: scalars, tables and mask in float16 (target onnx)', async () => {
    const network = new Network('attention16');
    const qkv = network.addInput('qkv', 'float16', [B, S, 3 * 2 * DH]);
    const [context] = fused.gptAttention({ qkv, numHeads: 2, numKvHeads: 2, headSize: DH, qScaling: 1.5, causal: true, rotaryDim: DH });
    network.markOutput(context!, 'context');
    const input = randomArray('float16', [B, S, 3 * 2 * DH], 11);
    await expectOrtMatches(network, writeOnnx(network, { target: 'onnx' }), { qkv: input }, { rtol: 1e-2, atol: 1e-2 });
  });

  it('refuses per-sequence lengths, which it does not write, naming the layer', () => {
    const network = new Network('lengths');
    const qkv = network.addInput('qkv', 'float32', [B, S, 3 * 2 * DH]);
    const contextLengths = network.addInput('lengths', 'int32', [B]);
    network.markOutput(fused.gptAttention({ qkv, contextLengths, numHeads: 2, numKvHeads: 2, headSize: DH, name: 'attn' })[0]!, 'context');
    for (const target of ['onnx', 'ort'] as const) expect(() => writeOnnx(network, { target })).toThrow(OnnxExportError);
    expect(() => writeOnnx(network)).toThrow(/attn.*contextLengths/);
  });

  interface ProjectionCase {
    name: string;
    /** How qkv is made from x: MatMul, or FusedLinear with this activation (and its own bias). */
    projection: 'matmul' | 'linear' | 'gelu linear';
    /** Where the qkv bias sits: on the GptAttention, on the FusedLinear, or nowhere. */
    bias?: 'attention' | 'linear';
    causal?: boolean;
    /** qkv is also a network output. */
    qkvRead?: boolean;
    /** The com.microsoft ops target 'ort' writes. */
    ortOps: string[];
  }

  const HEADS = 4;
  const HIDDEN = HEADS * DH;
  const PROJECTION_CASES: ProjectionCase[] = [
    { name: 'MatMul, no bias', projection: 'matmul', ortOps: ['Attention'] },
    { name: 'MatMul, attention bias', projection: 'matmul', bias: 'attention', ortOps: ['Attention'] },
    { name: 'FusedLinear with bias', projection: 'linear', bias: 'linear', ortOps: ['Attention'] },
    { name: 'FusedLinear with an activation', projection: 'gelu linear', bias: 'linear', ortOps: ['BiasGelu', 'MultiHeadAttention'] },
    { name: 'qkv read elsewhere', projection: 'matmul', qkvRead: true, ortOps: ['MultiHeadAttention'] },
    { name: 'causal', projection: 'matmul', causal: true, ortOps: ['GroupQueryAttention'] },
  ];

  function buildProjected(c: ProjectionCase): Network {
    const network = new Network('projected');
    const x = network.addInput('x', 'float32', [B, S, HIDDEN]);
    const constant = (name: string, shape: number[], seed: number) => network.addConstant({ dtype: 'float32', shape, data: randomArray('float32', shape, seed), name });
    const weight = constant('weight', [HIDDEN, 3 * HIDDEN], 5);
    const bias = c.bias ? constant('bias', [3 * HIDDEN], 7) : undefined;
    const qkv: Tensor =
      c.projection === 'matmul'
        ? matmul(x, weight)
        : fused.fusedLinear({ input: x, weight, ...(c.bias === 'linear' ? { bias } : {}), activation: c.projection === 'linear' ? 'none' : 'gelu' });
    const [context] = fused.gptAttention({
      qkv,
      ...(c.bias === 'attention' ? { qkvBias: bias } : {}),
      numHeads: HEADS,
      numKvHeads: HEADS,
      headSize: DH,
      qScaling: 1.5,
      causal: c.causal ?? false,
    });
    network.markOutput(context!, 'context');
    if (c.qkvRead) network.markOutput(qkv, 'qkv');
    return network;
  }

  for (const c of PROJECTION_CASES) {
    it(`takes the qkv projection into Attention only where it fits: ${c.name}`, async () => {
      const network = buildProjected(c);
      const bytes = writeOnnx(network, { target: 'ort' });
      expect(contribOps(bytes)).toEqual(c.ortOps);
      await expectOrtMatches(network, bytes, { x: randomArray('float32', [B, S, HIDDEN], 11) });
    });
  }
});
