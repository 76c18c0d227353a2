/**
 * Split into equal parts of a symbolic size, written before opset 18 (no num_outputs): the sizes
 * cannot be spelled as numbers, so the node is written without them, which ONNX reads as equal
 * parts; static sizes are still spelled out (they may be unequal, which only explicit sizes say).
 */
import { fromBinary } from '@bufbuild/protobuf';
import { ModelProtoSchema } from 'onnx-buf';
import type { NodeProto } from 'onnx-buf';
import { describe, expect, it } from 'vitest';
import { readOnnx } from '../../src/io/onnx/decode.js';
import { writeOnnx } from '../../src/io/onnx/export.js';
import { verifyWithOrt } from '../../src/io/onnx/verify-ort.js';
import { oneNode } from './support/one-node-model.js';

function writtenSplit(bytes: Uint8Array, opset: number): { written: Uint8Array; node: NodeProto } {
  const { network, origin } = readOnnx(bytes);
  const written = writeOnnx(network, { origin, opset });
  return { written, node: fromBinary(ModelProtoSchema, written).graph!.node.find((n) => n.opType === 'Split')! };
}

describe('Split of a symbolic size before opset 18', () => {
  for (const opset of [11, 13, 17]) {
    it(`is written without sizes at opset ${opset}, and onnxruntime cuts the same parts`, async () => {
      const original = oneNode('Split', [['x', 'float32', ['2*n', 3]]], ['y', 'z'], { opset: 18, attrs: { axis: 0, num_outputs: 2 } });
      const { written, node } = writtenSplit(original, opset);
      expect(node.input).toEqual(['x']);
      expect(node.attribute.map((a) => a.name)).toEqual(['axis']);
      const check = await verifyWithOrt(original, written, { graphOptimizationLevel: 'disabled', rtol: 0, atol: 0 });
      expect(check.outputs.map((o) => o.pass)).toEqual([true, true]);
    });
  }

  it('still spells static sizes, which may be unequal', () => {
    const original = oneNode('Split', [['x', 'float32', [5, 3]]], ['y', 'z'], { opset: 18, attrs: { axis: 0, num_outputs: 2 } });
    const { node } = writtenSplit(original, 11);
    expect(node.attribute.find((a) => a.name === 'split')?.ints).toEqual([3n, 2n]);
  });
});
