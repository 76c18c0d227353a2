/** Runs a written model in onnxruntime-node and checks it against the reference interpreter's outputs. */
import { fromBinary } from '@bufbuild/protobuf';
import { ModelProtoSchema } from 'onnx-buf';
import { expect } from 'vitest';
import { interpret } from '../../../src/interp/interpret.js';
import type { Network } from '../../../src/network/network.js';
import type { NDArray } from '../../../src/ops/types.js';
import { createSession, ortValues, toOrt } from '../../../src/io/onnx/verify-ort.js';

/** The com.microsoft ops of a model, in order. */
export function contribOps(bytes: Uint8Array): string[] {
  return fromBinary(ModelProtoSchema, bytes)
    .graph!.node.filter((n) => n.domain === 'com.microsoft')
    .map((n) => n.opType);
}

/** Every output of `bytes` in onnxruntime (no graph optimization) within rtol / atol (default 1e-4 / 1e-5) of `network` interpreted. */
export async function expectOrtMatches(network: Network, bytes: Uint8Array, inputs: Readonly<Record<string, NDArray>>, tolerance = { rtol: 1e-4, atol: 1e-5 }): Promise<void> {
  const expected = interpret(network, inputs);
  const session = await createSession(bytes, 'disabled');
  const feeds = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, toOrt(v)]));
  const got = await session.run(feeds);
  await session.release();
  for (const [name, want] of Object.entries(expected)) {
    const out = got[name]!;
    expect(out.dims).toEqual(want.shape);
    const data = ortValues(out);
    want.data.forEach((v, i) => expect(Math.abs(Number(data[i]!) - v), `${name}[${i}]`).toBeLessThanOrEqual(tolerance.atol + tolerance.rtol * Math.abs(v)));
  }
}
