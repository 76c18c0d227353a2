/**
 * GptAttention exported to ONNX runs in onnxruntime-node as the reference interpreter computes it:
 * the standard decomposition (target 'onnx') and onnxruntime's GroupQueryAttention /
 * MultiHeadAttention (target 'ort'), over causal and full attention, grouped kv heads, RoPE, a
 * qkv bias and a read present cache.
 */
import { describe, expect, it } from 'vitest';
import { OnnxExportError } from '../../src/io/onnx/errors.js';
import { writeOnnx } from '../../src/io/onnx/export.js';
import { randomArray } from '../../src/interp/random.js';
import * as fused from '../../src/network/functional/fused.js';
import { Network } from '../../src/network/network.js';
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

  it('refuses per-sequence lengths, which it does not write, naming the layer', () => {
    const network = new Network('lengths');
    const qkv = network.addInput('qkv', 'float32', [B, S, 3 * 2 * DH]);
    const contextLengths = network.addInput('lengths', 'int32', [B]);
    network.markOutput(fused.gptAttention({ qkv, contextLengths, numHeads: 2, numKvHeads: 2, headSize: DH, name: 'attn' })[0]!, 'context');
    for (const target of ['onnx', 'ort'] as const) expect(() => writeOnnx(network, { target })).toThrow(OnnxExportError);
    expect(() => writeOnnx(network)).toThrow(/attn.*contextLengths/);
  });
});
