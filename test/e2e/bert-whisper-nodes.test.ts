/**
 * BERT and the Whisper encoder in ../shared/data/onnx, optimized with the defaults and written for
 * onnxruntime: no more nodes than onnxscript's rewriter leaves (peers.json), the original's
 * outputs in onnxruntime. BERT's post-norm skip norms are SkipLayerNormalization (nothing reads
 * their sums); Whisper's attention reads q, k and v from their projections, without the Concat
 * and Split between.
 */
import { readFileSync } from 'node:fs';
import { fromBinary } from '@bufbuild/protobuf';
import { ModelProtoSchema } from 'onnx-buf';
import { expect, it } from 'vitest';
import { readOnnxFile } from '../../src/io/onnx/decode.js';
import { writeOnnx } from '../../src/io/onnx/export.js';
import { verifyWithOrt } from '../../src/io/onnx/verify-ort.js';
import { optimize } from '../../src/optimize.js';
import { describeShared, SHARED_DIR, sharedPath } from '../support/shared.js';

interface Case {
  model: string;
  /** How many of these nodes the written model holds. */
  ops: Record<string, number>;
}

const CASES: Case[] = [
  { model: 'bert', ops: { SkipLayerNormalization: 5, Attention: 2, LayerNormalization: 0 } },
  { model: 'whisper_enc', ops: { MultiHeadAttention: 2, Concat: 0, Split: 0 } },
];

describeShared('BERT and Whisper written for onnxruntime in no more nodes than onnxscript', () => {
  const peers = SHARED_DIR ? JSON.parse(readFileSync(sharedPath('data', 'onnx', 'peers.json'), 'utf8')) : undefined;
  it.each(CASES)(
    '$model',
    async ({ model, ops }) => {
      const path = sharedPath('data', 'onnx', `${model}.onnx`);
      const { network, origin } = readOnnxFile(path);
      const { network: out, report } = await optimize(network);
      expect(report.verification.pass).toBe(true);
      const bytes = writeOnnx(out, { origin, target: 'ort' });
      expect((await verifyWithOrt(readFileSync(path), bytes)).pass).toBe(true);
      const nodes = fromBinary(ModelProtoSchema, bytes).graph!.node;
      expect(nodes.length).toBeLessThanOrEqual(peers.models[model].onnxscript.nodes);
      for (const [op, count] of Object.entries(ops))
        expect(
          nodes.filter((n) => n.opType === op),
          op,
        ).toHaveLength(count);
    },
    120_000,
  );
});
