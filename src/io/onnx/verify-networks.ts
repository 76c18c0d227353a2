/**
 * Verifies an optimized network against its input with onnxruntime, for networks the reference
 * interpreter cannot run (opaque ONNX ops): both are written as ONNX (the input with standard ops,
 * the result for `target`) and opened once, then run on each input set. onnxruntime-node is loaded
 * only here, when needed, so importing netsat does not load the native runtime.
 */
import type { Network } from '../../network/network.js';
import type { ExportTarget } from './emit.js';
import { writeOnnx } from './export.js';
import { onnxOriginOf } from './origin.js';
import type { OrtPair } from './verify-ort.js';

export async function openNetworksInOrt(original: Network, optimized: Network, target: ExportTarget): Promise<OrtPair> {
  const origin = onnxOriginOf(original);
  const before = writeOnnx(original, { target: 'onnx', ...(origin ? { origin } : {}) });
  const after = writeOnnx(optimized, { target, ...(origin ? { origin } : {}) });
  const { openPair } = await import('./verify-ort.js');
  return openPair(before, after);
}
