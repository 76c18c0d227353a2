/**
 * The five real models of ../shared/data/onnx: each imports, round-trips (import → export runs
 * identically in onnxruntime-node), optimizes with the shipped rules, exports for onnxruntime
 * (target 'ort') and for standard ONNX, and every output stays within rtol 1e-4 / atol 1e-5 of the
 * original in onnxruntime-node. Verification runs in onnxruntime because the models hold ops the
 * reference interpreter has no kernel for (Opaque HardSwish, GatherElements). The 'ort' output is
 * no larger than onnxscript's where netsat reaches it, and attention fuses where it can.
 */
import { readFileSync } from 'node:fs';
import { fromBinary } from '@bufbuild/protobuf';
import { ModelProtoSchema } from 'onnx-buf';
import { expect, it } from 'vitest';
import { readOnnx } from '../../src/io/onnx/decode.js';
import { writeOnnx } from '../../src/io/onnx/export.js';
import { verifyWithOrt } from '../../src/io/onnx/verify-ort.js';
import { optimize } from '../../src/optimize.js';
import { describeShared, sharedPath } from '../support/shared.js';
import { contribOps } from './support/ort-run.js';

const MODELS = ['llama', 'bert', 'gpt2', 'squeezenet', 'mobilenet'];

/** Original node counts from peers.json's histograms. */
const NODES: Record<string, number> = { llama: 138, bert: 90, gpt2: 94, squeezenet: 83, mobilenet: 159 };

/** At most this many nodes in netsat's target-ort output: onnxscript's count (peers.json). */
const MAX_ORT_NODES: Record<string, number> = { llama: 103, bert: 25, gpt2: 52, squeezenet: 65, mobilenet: 122 };

/** The onnxruntime attention op each model's fused attention becomes (causal: GQA; encoder: Attention, which takes in the qkv projection). */
const FUSED_ATTENTION: Record<string, string> = { llama: 'GroupQueryAttention', gpt2: 'GroupQueryAttention', bert: 'Attention' };

describeShared('real ONNX models', () => {
  for (const model of MODELS) {
    it(`${model}: imports, round-trips, optimizes and runs identically in onnxruntime`, async () => {
      const path = sharedPath('data', 'onnx', `${model}.onnx`);
      const bytes = readFileSync(path);
      const { network, origin } = readOnnx(bytes, { path });
      expect(network.layers.filter((l) => l.op !== 'Constant')).toHaveLength(NODES[model]!);
      expect(origin.producerName).toBe('pytorch');
      // Absent optional inputs are slots too (GPT-2's Gemms have no C), as rules expect.
      for (const gemm of network.layers.filter((l) => l.op === 'Gemm')) expect(gemm.inputSlots).toHaveLength(3);

      const roundTrip = await verifyWithOrt(bytes, writeOnnx(network), { graphOptimizationLevel: 'disabled', rtol: 0, atol: 0 });
      expect(roundTrip.outputs.map((o) => [o.name, o.mismatches])).toEqual(roundTrip.outputs.map((o) => [o.name, 0]));

      const { network: optimized, report } = await optimize(network, { verify: false });
      expect(report.layers.after).toBeLessThan(report.layers.before);
      const ortBytes = writeOnnx(optimized, { origin, target: 'ort' });
      expect(fromBinary(ModelProtoSchema, ortBytes).graph!.node.length).toBeLessThanOrEqual(MAX_ORT_NODES[model]!);
      const attention = FUSED_ATTENTION[model];
      expect(contribOps(ortBytes).filter((op) => op === attention)).toHaveLength(attention ? 2 : 0);
      for (const target of ['ort', 'onnx'] as const) {
        const result = await verifyWithOrt(bytes, target === 'ort' ? ortBytes : writeOnnx(optimized, { origin, target }), { rtol: 1e-4, atol: 1e-5 });
        expect(
          result.outputs.filter((o) => !o.pass),
          `${target}: ${JSON.stringify(result.outputs)}`,
        ).toEqual([]);
      }
    });
  }

  it('optimize() verifies with onnxruntime a network the interpreter cannot run (opaque HardSwish)', async () => {
    const path = sharedPath('data', 'onnx', 'mobilenet.onnx');
    const { network } = readOnnx(readFileSync(path), { path });
    expect(network.layers.some((l) => l.op === 'Opaque')).toBe(true);
    const { report } = await optimize(network);
    expect(report.verification.method).toBe('onnxruntime');
    expect(report.verification.pass).toBe(true);
  });
});
