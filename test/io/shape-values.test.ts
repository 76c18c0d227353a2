/**
 * Shape computations on constants fold at import, as ONNX's data propagation does: a Reshape or
 * Expand whose target an exporter computes at run time from static shapes gets static dims and stays
 * a registry op. The real models that needed it (vit_small's Expand of the class token, whisper_enc's
 * 1-D convs kept opaque) import without a fresh dim and optimize to a network onnxruntime verifies.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readOnnx } from '../../src/io/onnx/decode.js';
import { writeOnnx } from '../../src/io/onnx/export.js';
import { verifyWithOrt } from '../../src/io/onnx/verify-ort.js';
import { optimize } from '../../src/optimize.js';
import { describeShared, sharedPath } from '../support/shared.js';
import { graphModel, ortOutputTypes, tensorAttr } from './support/one-node-model.js';

/** x [2, 3, 4] reshaped to [Shape(x)[0], -1]: Shape → Slice → Concat → Reshape, as exporters write it. */
const flattenByShape = () =>
  graphModel(
    [
      { op: 'Shape', inputs: ['x'], outputs: ['s'] },
      { op: 'Slice', inputs: ['s', 'zero', 'one'], outputs: ['batch'] },
      { op: 'Concat', inputs: ['batch', 'minus1'], outputs: ['target'], attrs: { axis: 0 } },
      { op: 'Reshape', inputs: ['x', 'target'], outputs: ['y'] },
    ],
    [
      ['x', 'float32', [2, 3, 4]],
      ['zero', 'int64', [1], [0]],
      ['one', 'int64', [1], [1]],
      ['minus1', 'int64', [1], [-1]],
    ],
    ['y'],
  );

/** PyTorch's expand: Expand(cls, Where(Equal(t, -1), ConstantOfShape(Shape(t)), t)) with t = [B, -1, -1]. */
const expandClassToken = () =>
  graphModel(
    [
      { op: 'Shape', inputs: ['x'], outputs: ['s'] },
      { op: 'Gather', inputs: ['s', 'zero'], outputs: ['b'], attrs: { axis: 0 } },
      { op: 'Unsqueeze', inputs: ['b', 'zero1'], outputs: ['b1'] },
      { op: 'Concat', inputs: ['b1', 'minus1', 'minus1'], outputs: ['t'], attrs: { axis: 0 } },
      { op: 'Shape', inputs: ['t'], outputs: ['rank'] },
      { op: 'ConstantOfShape', inputs: ['rank'], outputs: ['ones'], attrs: { value: tensorAttr('int64', [1], [1]) } },
      { op: 'Equal', inputs: ['t', 'minus1'], outputs: ['free'] },
      { op: 'Where', inputs: ['free', 'ones', 't'], outputs: ['target'] },
      { op: 'Expand', inputs: ['cls', 'target'], outputs: ['y'] },
    ],
    [
      ['x', 'float32', [3, 5, 4]],
      ['cls', 'float32', [1, 1, 4], [1, 2, 3, 4]],
      ['zero', 'int64', [], [0]],
      ['zero1', 'int64', [1], [0]],
      ['minus1', 'int64', [1], [-1]],
    ],
    ['y'],
  );

describe('shape computations on constants fold at import', () => {
  it('Shape → Slice → Concat feeds a registry Reshape with static dims', async () => {
    const bytes = flattenByShape();
    const { network } = readOnnx(bytes);
    const y = network.outputs[0]!;
    expect(y.producer?.op).toBe('Reshape');
    expect(y.shape).toEqual((await ortOutputTypes(bytes))['y']!.dims);
  });

  it("PyTorch's expand of a class token gets the batch as a static dim", async () => {
    const bytes = expandClassToken();
    const { network } = readOnnx(bytes);
    const y = network.outputs[0]!;
    expect(y.producer?.op).toBe('Expand');
    expect(y.shape).toEqual([3, 1, 4]);
    expect(y.shape).toEqual((await ortOutputTypes(bytes))['y']!.dims);
  });
});

describeShared('real models that needed default-domain types', () => {
  for (const model of ['vit_small', 'whisper_enc']) {
    it(`${model}: imports with static outputs, optimizes and verifies in onnxruntime`, async () => {
      const path = sharedPath('data', 'onnx', `${model}.onnx`);
      const bytes = readFileSync(path);
      const { network, origin } = readOnnx(bytes, { path });
      for (const t of network.outputs)
        expect(
          t.shape.every((d) => typeof d === 'number'),
          t.name,
        ).toBe(true);
      const { network: optimized } = await optimize(network, { verify: false });
      const result = await verifyWithOrt(bytes, writeOnnx(optimized, { origin, target: 'ort' }), { rtol: 1e-4, atol: 1e-5 });
      expect(result.outputs.filter((o) => !o.pass)).toEqual([]);
    });
  }
});
