/** Runs a written model in onnxruntime-node and checks it against the reference interpreter's outputs. */
import { fromBinary } from '@bufbuild/protobuf';
import { ModelProtoSchema } from 'onnx-buf';
import * as ort from 'onnxruntime-node';
import { expect } from 'vitest';
import { interpret } from '../../../src/interp/interpret.js';
import type { Network } from '../../../src/network/network.js';
import type { NDArray } from '../../../src/ops/types.js';
import { createSession } from '../../../src/io/onnx/verify-ort.js';

/** The com.microsoft ops of a model, in order. */
export function contribOps(bytes: Uint8Array): string[] {
  return fromBinary(ModelProtoSchema, bytes).graph!.node.filter((n) => n.domain === 'com.microsoft').map((n) => n.opType);
}

/** Every output of `bytes` in onnxruntime (no graph optimization) within rtol 1e-4 / atol 1e-5 of `network` interpreted. */
export async function expectOrtMatches(network: Network, bytes: Uint8Array, inputs: Readonly<Record<string, NDArray>>): Promise<void> {
  const expected = interpret(network, inputs);
  const session = await createSession(bytes, 'disabled');
  const feeds = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, new ort.Tensor('float32', Float32Array.from(v.data), [...v.shape])]));
  const got = await session.run(feeds);
  await session.release();
  for (const [name, want] of Object.entries(expected)) {
    const out = got[name]!;
    expect(out.dims).toEqual(want.shape);
    const data = out.data as Float32Array;
    want.data.forEach((v, i) => expect(Math.abs(data[i]! - v), `${name}[${i}]`).toBeLessThanOrEqual(1e-5 + 1e-4 * Math.abs(v)));
  }
}
