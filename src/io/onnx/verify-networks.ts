/**
 * Verifies an optimized network against its input with onnxruntime, for networks the reference
 * interpreter cannot run (opaque ONNX ops): both are written as ONNX (the input with standard ops,
 * the result for `target`) and run on the same seeded inputs. onnxruntime-node is loaded only here,
 * when needed, so importing netsat does not load the native runtime.
 */
import type { Network } from '../../network/network.js';
import type { ExportTarget } from './emit.js';
import { writeOnnx } from './export.js';
import { onnxOriginOf } from './origin.js';
import type { OrtVerifyOptions, OrtVerifyResult } from './verify-ort.js';

export async function verifyNetworksWithOrt(original: Network, optimized: Network, target: ExportTarget, options: OrtVerifyOptions = {}): Promise<OrtVerifyResult> {
  const origin = onnxOriginOf(original);
  const before = writeOnnx(original, { target: 'onnx', ...(origin ? { origin } : {}) });
  const after = writeOnnx(optimized, { target, ...(origin ? { origin } : {}) });
  const { verifyWithOrt } = await import('./verify-ort.js');
  return verifyWithOrt(before, after, options);
}
