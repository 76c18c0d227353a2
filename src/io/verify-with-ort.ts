/**
 * verifyWithOrt for the package's public face: onnxruntime-node is a native runtime of its own,
 * so it is loaded on the first call, not whenever netsat is imported.
 */
import type { OrtVerifyOptions, OrtVerifyResult } from './onnx/verify-ort.js';

/** Runs two ONNX models in onnxruntime on the same seeded inputs and compares every output (rtol 1e-4, atol 1e-5 by default). */
export async function verifyWithOrt(original: Uint8Array, optimized: Uint8Array, options: OrtVerifyOptions = {}): Promise<OrtVerifyResult> {
  const ort = await import('./onnx/verify-ort.js');
  return ort.verifyWithOrt(original, optimized, options);
}
