/**
 * For random chains of the ops whose forms changed, at random opsets 7 to 21: import → export at the
 * model's own opset, and at another random opset, runs in onnxruntime to the original's outputs.
 * onnxruntime loading each written model is also the check that it is valid for the opset it declares.
 * The only refusal allowed is a node kept as read (Softmax flattening at an inner axis before 13) whose
 * op has another version at the opset asked.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readOnnx } from '../../src/io/onnx/decode.js';
import { OnnxExportError } from '../../src/io/onnx/errors.js';
import { writeOnnx } from '../../src/io/onnx/export.js';
import { verifyWithOrt } from '../../src/io/onnx/verify-ort.js';
import { stepArb, versionedChain } from './support/versioned-chain.js';

const opsetArb = fc.integer({ min: 7, max: 21 });

async function sameOutputs(original: Uint8Array, written: Uint8Array): Promise<void> {
  const check = await verifyWithOrt(original, written, { graphOptimizationLevel: 'disabled', rtol: 1e-5, atol: 1e-6 });
  expect(check.outputs.filter((o) => !o.pass)).toEqual([]);
}

describe('ONNX opsets 7 to 21, property', () => {
  it('import → export (same and another opset) runs to the original outputs in onnxruntime', async () => {
    await fc.assert(
      fc.asyncProperty(opsetArb, opsetArb, fc.array(stepArb, { minLength: 1, maxLength: 6 }), async (opset, other, steps) => {
        const original = versionedChain(opset, steps);
        const { network, origin } = readOnnx(original);
        await sameOutputs(original, writeOnnx(network, { origin }));
        let converted: Uint8Array;
        try {
          converted = writeOnnx(network, { origin, opset: other });
        } catch (e) {
          expect(e).toBeInstanceOf(OnnxExportError);
          expect((e as Error).message).toMatch(/^Softmax is kept as read/);
          return;
        }
        await sameOutputs(original, converted);
      }),
      { numRuns: 60, seed: 7 },
    );
  }, 120_000);
});
