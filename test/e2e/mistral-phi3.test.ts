/**
 * The real exports in ../shared/data/onnx whose attention is not Llama's: Mistral (GQA with a
 * sliding-window causal mask) and Phi-3 (q, k and v sliced from one fused projection, RoPE, no kv
 * repeat). Optimized with the defaults, each attention layer becomes one GptAttention (with
 * Mistral's window), the result verifies, and the ONNX written for onnxruntime runs to the
 * original's outputs in fewer nodes than onnxscript's rewriter leaves (peers.json).
 */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { readOnnx, readOnnxFile } from '../../src/io/onnx/decode.js';
import { writeOnnx } from '../../src/io/onnx/export.js';
import { verifyWithOrt } from '../../src/io/onnx/verify-ort.js';
import { optimize } from '../../src/optimize.js';
import { describeShared, SHARED_DIR, sharedPath } from '../support/shared.js';

interface Case {
  model: string;
  layers: number;
  /** slidingWindow of every fused attention (0: plain causal). */
  window: number;
}

const CASES: Case[] = [
  { model: 'mistral', layers: 2, window: 16 },
  { model: 'phi3', layers: 2, window: 0 },
];

/** Nodes of a written model, constants aside (they are initializers in onnxscript's output too). */
function nodeCount(bytes: Uint8Array): number {
  return readOnnx(bytes).network.layers.filter((l) => !l.isRemoved() && l.op !== 'Constant').length;
}

describeShared('attention of Mistral and Phi-3 exports fuses', () => {
  const peers = SHARED_DIR ? JSON.parse(readFileSync(sharedPath('data', 'onnx', 'peers.json'), 'utf8')) : undefined;
  it.each(CASES)(
    '$model',
    async ({ model, layers, window }) => {
      const path = sharedPath('data', 'onnx', `${model}.onnx`);
      const { network, origin } = readOnnxFile(path);
      const { network: out, report } = await optimize(network);
      expect(report.verification.pass).toBe(true);
      const attention = out.layers.filter((l) => !l.isRemoved() && l.op === 'GptAttention');
      expect(attention).toHaveLength(layers);
      for (const a of attention) expect(a.attributes).toMatchObject({ causal: true, slidingWindow: window });
      for (const op of ['Softmax', 'Slice', 'Where'])
        expect(
          out.layers.some((l) => !l.isRemoved() && l.op === op),
          op,
        ).toBe(false);
      const bytes = writeOnnx(out, { origin, target: 'ort' });
      expect((await verifyWithOrt(readFileSync(path), bytes)).pass).toBe(true);
      expect(nodeCount(bytes)).toBeLessThanOrEqual(peers.models[model].onnxscript.nodes);
    },
    120_000,
  );
});
