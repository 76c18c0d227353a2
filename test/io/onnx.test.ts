/**
 * The five real models of ../shared/data/onnx: each imports, round-trips (import → export runs
 * identically in onnxruntime-node), optimizes with the shipped rules, exports for onnxruntime
 * (target 'ort') and for standard ONNX, and every output stays within rtol 1e-4 / atol 1e-5 of the
 * original in onnxruntime-node. Verification runs in onnxruntime because the models hold ops the
 * reference interpreter has no kernel for (Opaque IsNaN, HardSwish, GatherElements).
 */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { readOnnx } from '../../src/io/onnx/decode.js';
import { writeOnnx } from '../../src/io/onnx/export.js';
import { verifyWithOrt } from '../../src/io/onnx/verify-ort.js';
import { optimize } from '../../src/optimize.js';
import { describeShared, sharedPath } from '../support/shared.js';

const MODELS = ['llama', 'bert', 'gpt2', 'squeezenet', 'mobilenet'];

/** Original node counts from peers.json's histograms. */
const NODES: Record<string, number> = { llama: 138, bert: 90, gpt2: 94, squeezenet: 83, mobilenet: 159 };

describeShared('real ONNX models', () => {
  for (const model of MODELS) {
    it(`${model}: imports, round-trips, optimizes and runs identically in onnxruntime`, async () => {
      const path = sharedPath('data', 'onnx', `${model}.onnx`);
      const bytes = readFileSync(path);
      const { network, origin } = readOnnx(bytes, { path });
      expect(network.layers.filter((l) => l.op !== 'Constant')).toHaveLength(NODES[model]!);
      expect(origin.producerName).toBe('pytorch');

      const roundTrip = await verifyWithOrt(bytes, writeOnnx(network), { graphOptimizationLevel: 'disabled', rtol: 0, atol: 0 });
      expect(roundTrip.outputs.map((o) => [o.name, o.mismatches])).toEqual(roundTrip.outputs.map((o) => [o.name, 0]));

      const { network: optimized, report } = await optimize(network, { verify: false });
      expect(report.layers.after).toBeLessThan(report.layers.before);
      for (const target of ['ort', 'onnx'] as const) {
        const result = await verifyWithOrt(bytes, writeOnnx(optimized, { origin, target }), { rtol: 1e-4, atol: 1e-5 });
        expect(result.outputs.filter((o) => !o.pass), `${target}: ${JSON.stringify(result.outputs)}`).toEqual([]);
      }
    });
  }
});
