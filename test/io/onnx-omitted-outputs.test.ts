/**
 * Opaque layers whose node leaves an optional output out before a present one (GRU writing Y_h but
 * not Y): the omitted output is a position, not a tensor, and the writer puts '' back in it.
 */
import { fromBinary } from '@bufbuild/protobuf';
import fc from 'fast-check';
import { ModelProtoSchema } from 'onnx-buf';
import { describe, expect, it } from 'vitest';
import { readOnnx } from '../../src/io/onnx/decode.js';
import { writeOnnx } from '../../src/io/onnx/export.js';
import { verifyWithOrt } from '../../src/io/onnx/verify-ort.js';
import { Network } from '../../src/network/network.js';
import { optimize } from '../../src/optimize.js';
import { graphModel, valueInfo } from './support/one-node-model.js';
import type { Input } from './support/one-node-model.js';

const nodeOutputs = (bytes: Uint8Array) => fromBinary(ModelProtoSchema, bytes).graph!.node.map((n) => n.output);

function randomValues(seed: number, count: number): number[] {
  let s = seed;
  return Array.from({ length: count }, () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1);
}

/** A GRU of hidden size 4 over [seq 3, batch 2, 5] that writes only Y_h (and Y_h feeding a Relu). */
function gruModel(): Uint8Array {
  const inputs: Input[] = [
    ['x', 'float32', [3, 2, 5]],
    ['w', 'float32', [1, 12, 5], randomValues(1, 60)],
    ['r', 'float32', [1, 12, 4], randomValues(2, 48)],
  ];
  return graphModel(
    [
      { op: 'GRU', inputs: ['x', 'w', 'r'], outputs: ['', 'y_h'], attrs: { hidden_size: 4 } },
      { op: 'Relu', inputs: ['y_h'], outputs: ['out'] },
    ],
    inputs,
    ['out'],
    { opset: 14 },
  );
}

describe('omitted optional outputs of Opaque layers', () => {
  it('a GRU writing Y_h but not Y has one output tensor and records position 0 as omitted', () => {
    const gru = readOnnx(gruModel()).network.layers.find((l) => l.attributes['opType'] === 'GRU')!;
    expect(gru.outputs.map((t) => [t.name, t.type])).toEqual([['y_h', { dtype: 'float32', shape: [1, 2, 4] }]]);
    expect(gru.attributes['omittedOutputs']).toEqual([0]);
  });

  it("is written with '' in its position again, and reads back to the same bytes", () => {
    const written = writeOnnx(readOnnx(gruModel()).network);
    expect(nodeOutputs(written)[0]).toEqual(['', 'y_h']);
    expect(writeOnnx(readOnnx(written).network)).toEqual(written);
  });

  it('survives a network saved as JSON and read back', () => {
    const { network, origin } = readOnnx(gruModel());
    const again = Network.fromJSON(JSON.parse(JSON.stringify(network.toJSON())));
    expect(nodeOutputs(writeOnnx(again, { origin }))[0]).toEqual(['', 'y_h']);
  });

  it("optimize's check passes, and onnxruntime runs the written result to the original outputs", async () => {
    const original = gruModel();
    const { network, origin } = readOnnx(original);
    const { network: optimized, report } = await optimize(network);
    expect(report.verification.pass).toBe(true);
    const written = writeOnnx(optimized, { origin, target: 'ort' });
    expect(nodeOutputs(written).find((o) => o.includes('y_h'))).toEqual(['', 'y_h']);
    expect((await verifyWithOrt(original, written)).pass).toBe(true);
  });

  it('an op netsat does not know keeps every pattern of present and omitted outputs (value_info types the present ones)', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: 1, maxLength: 6 }), (present) => {
        const outputs = [...present.map((p, i) => (p ? `o${i}` : '')), 'last'];
        const shown = outputs.filter((o) => o);
        const declared = shown.map((o) => valueInfo(o, 'float32', [2]));
        const bytes = graphModel([{ op: 'Unknown', inputs: ['x'], outputs }], [['x', 'float32', [2]]], shown, { declared });
        const written = writeOnnx(readOnnx(bytes).network);
        expect(nodeOutputs(written)[0]).toEqual(outputs);
      }),
      { seed: 20261203, numRuns: 64 },
    );
  });
});
