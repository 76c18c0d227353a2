/**
 * The .onnx network file: an optimized clone is written with the input file's opset, producer and
 * metadata (the origin travels in the NetworkFile, not on the network), for the target asked.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromBinary } from '@bufbuild/protobuf';
import { ModelProtoSchema } from 'onnx-buf';
import { expect, it } from 'vitest';
import { readNetworkFile, writeNetworkFile } from '../../src/io/network-file.js';
import { optimize } from '../../src/optimize.js';
import { describeShared, sharedPath } from '../support/shared.js';
import { contribOps } from './support/ort-run.js';

describeShared('.onnx network files', () => {
  it('keep the origin through optimize and write the target asked for', async () => {
    const source = readNetworkFile(sharedPath('data', 'onnx', 'gpt2.onnx'));
    const original = fromBinary(ModelProtoSchema, readFileSync(sharedPath('data', 'onnx', 'gpt2.onnx')));
    const { network } = await optimize(source.network, { verify: false });
    const dir = mkdtempSync(join(tmpdir(), 'netsat-onnx-'));
    for (const target of ['ort', 'onnx'] as const) {
      const path = join(dir, `${target}.onnx`);
      writeNetworkFile(path, { network, origin: source.origin }, { target });
      const bytes = readFileSync(path);
      const written = fromBinary(ModelProtoSchema, bytes);
      expect([written.producerName, written.producerVersion]).toEqual([original.producerName, original.producerVersion]);
      expect(written.opsetImport.find((o) => o.domain === '')?.version).toBe(original.opsetImport.find((o) => o.domain === '')?.version);
      expect(contribOps(bytes).includes('GroupQueryAttention')).toBe(target === 'ort');
    }
  });
});
