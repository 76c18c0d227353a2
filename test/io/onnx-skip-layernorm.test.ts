/**
 * SkipLayerNorm for onnxruntime (target 'ort'): com.microsoft SkipLayerNormalization where nothing
 * reads the sum (post-norm blocks) and the shapes are the op's ([B, S, H] input; skip that shape,
 * [1, S, H] or [S, H]); Add + LayerNormalization otherwise. Either way onnxruntime computes what
 * the interpreter does.
 */
import { fromBinary } from '@bufbuild/protobuf';
import { ModelProtoSchema } from 'onnx-buf';
import { describe, expect, it } from 'vitest';
import { writeOnnx } from '../../src/io/onnx/export.js';
import { randomArray } from '../../src/interp/random.js';
import * as fused from '../../src/network/functional/fused.js';
import { relu } from '../../src/network/functional/primitives.js';
import { Network } from '../../src/network/network.js';
import type { NDArray } from '../../src/ops/types.js';
import { expectOrtMatches } from './support/ort-run.js';

const H = 16;
const X = [2, 5, H];

interface Case {
  name: string;
  x?: number[];
  skip: number[];
  bias?: boolean;
  /** Where the sum goes besides the norm. */
  sum?: 'output' | 'layer';
  /** The nodes written, in order. */
  ops: string[];
}

const FUSED = ['SkipLayerNormalization'];
const PAIR = ['Add', 'LayerNormalization'];

const CASES: Case[] = [
  { name: 'skip of the input shape, with bias', skip: X, bias: true, ops: FUSED },
  { name: 'skip [1, S, H], without bias', skip: [1, 5, H], ops: FUSED },
  { name: 'skip [S, H]', skip: [5, H], bias: true, ops: FUSED },
  { name: 'the sum is a network output', skip: X, sum: 'output', ops: PAIR },
  { name: 'the sum is read by another layer', skip: X, sum: 'layer', ops: [...PAIR, 'Relu'] },
  { name: 'a 2-D input', x: [5, H], skip: [5, H], ops: PAIR },
  { name: 'skip [B, 1, H], a broadcast the op does not take', skip: [2, 1, H], ops: PAIR },
];

function build(c: Case): { network: Network; inputs: Record<string, NDArray> } {
  const network = new Network('skip');
  const xShape = c.x ?? X;
  const inputs = { x: randomArray('float32', xShape, 1), skip: randomArray('float32', c.skip, 2) };
  const constant = (name: string, seed: number) => network.addConstant({ dtype: 'float32', shape: [H], data: randomArray('float32', [H], seed), name });
  const [y, sum] = fused.skipLayerNorm({
    input: network.addInput('x', 'float32', xShape),
    skip: network.addInput('skip', 'float32', c.skip),
    weight: constant('gamma', 3),
    bias: c.bias ? constant('beta', 4) : undefined,
  });
  network.markOutput(y, 'y');
  if (c.sum === 'output') network.markOutput(sum, 'sum');
  if (c.sum === 'layer') network.markOutput(relu(sum), 'r');
  return { network, inputs };
}

describe('SkipLayerNorm written for onnxruntime', () => {
  for (const c of CASES) {
    it(`${c.name}: ${c.ops.join(' + ')}`, async () => {
      const { network, inputs } = build(c);
      const bytes = writeOnnx(network, { target: 'ort' });
      expect(fromBinary(ModelProtoSchema, bytes).graph!.node.map((n) => n.opType)).toEqual(c.ops);
      await expectOrtMatches(network, bytes, inputs);
    });
  }
});
