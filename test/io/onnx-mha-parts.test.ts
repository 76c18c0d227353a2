/**
 * Non-causal GptAttention on q, k and v joined by a Concat (the attention rules' form, Whisper's
 * separate projections) written for onnxruntime: MultiHeadAttention reads the three parts and the
 * qkv bias as its own inputs, so neither the Concat, a Split nor an Add is written; where the
 * joined qkv is read elsewhere or its parts are not the three thirds, it is split as before.
 */
import { fromBinary } from '@bufbuild/protobuf';
import { ModelProtoSchema } from 'onnx-buf';
import { describe, expect, it } from 'vitest';
import { writeOnnx } from '../../src/io/onnx/export.js';
import { randomArray } from '../../src/interp/random.js';
import * as fused from '../../src/network/functional/fused.js';
import { concat } from '../../src/network/functional/primitives.js';
import { Network } from '../../src/network/network.js';
import type { NDArray } from '../../src/ops/types.js';
import { expectOrtMatches } from './support/ort-run.js';

const B = 2;
const S = 5;
const HEADS = 4;
const DH = 16;
const W = HEADS * DH;

interface PartsCase {
  name: string;
  /** Widths of the joined parts (three thirds unless said). */
  widths?: [number, number, number];
  bias?: boolean;
  /** The joined qkv is also a network output. */
  qkvRead?: boolean;
  /** The nodes written, in order. */
  ops: string[];
}

const CASES: PartsCase[] = [
  { name: 'q, k and v joined', ops: ['MultiHeadAttention'] },
  { name: 'with a qkv bias, which MultiHeadAttention adds', bias: true, ops: ['MultiHeadAttention'] },
  { name: 'the joined qkv read elsewhere, with a bias', qkvRead: true, bias: true, ops: ['Concat', 'Split', 'MultiHeadAttention'] },
  { name: 'parts that are not the thirds', widths: [W + 16, W - 16, W], ops: ['Concat', 'Split', 'MultiHeadAttention'] },
];

function build(c: PartsCase): { network: Network; inputs: Record<string, NDArray> } {
  const network = new Network('parts');
  const widths = c.widths ?? [W, W, W];
  const inputs: Record<string, NDArray> = {};
  const parts = widths.map((w, i) => {
    const name = 'qkv'[i]!;
    inputs[name] = randomArray('float32', [B, S, w], 11 + i);
    return network.addInput(name, 'float32', [B, S, w]);
  });
  const qkv = concat(parts, -1);
  const qkvBias = c.bias ? network.addConstant({ dtype: 'float32', shape: [3 * W], data: randomArray('float32', [3 * W], 3), name: 'bias' }) : undefined;
  const [context] = fused.gptAttention({ qkv, ...(qkvBias ? { qkvBias } : {}), numHeads: HEADS, numKvHeads: HEADS, headSize: DH, qScaling: 1.5, causal: false });
  network.markOutput(context!, 'context');
  if (c.qkvRead) network.markOutput(qkv, 'joined');
  return { network, inputs };
}

describe('MultiHeadAttention on the parts of a qkv Concat (target ort)', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const { network, inputs } = build(c);
      const bytes = writeOnnx(network, { target: 'ort' });
      const nodes = fromBinary(ModelProtoSchema, bytes).graph!.node;
      expect(nodes.map((n) => n.opType)).toEqual(c.ops);
      const attention = nodes.at(-1)!;
      if (!c.qkvRead && !c.widths) expect(attention.input).toEqual(c.bias ? ['q', 'k', 'v', 'bias'] : ['q', 'k', 'v']);
      await expectOrtMatches(network, bytes, inputs);
    });
  }
});
