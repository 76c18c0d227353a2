/** optimize --opset N: the .onnx output declares opset N in that opset's forms; a bad N fails before any work. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromBinary } from '@bufbuild/protobuf';
import { ModelProtoSchema } from 'onnx-buf';
import { describe, expect, it } from 'vitest';
import { oneNode } from '../io/support/one-node-model.js';
import { runCli as run } from '../support/run-cli.js';

describe('optimize --opset', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netsat-opset-'));
  const input = join(dir, 'm.onnx');
  writeFileSync(
    input,
    oneNode(
      'ReduceSum',
      [
        ['x', 'float32', [2, 3]],
        ['a', 'int64', [1], [1]],
      ],
      ['y'],
      { opset: 13 },
    ),
  );

  it('writes the model at the opset asked, axes as the attribute that opset takes', async () => {
    const output = join(dir, 'out.onnx');
    const { code, stderr } = await run('optimize', input, '-o', output, '--opset', '11', '--target', 'onnx');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const model = fromBinary(ModelProtoSchema, readFileSync(output));
    expect(model.opsetImport.find((o) => o.domain === '')!.version).toBe(11n);
    expect(model.graph!.node.map((n) => [n.opType, n.input.length, n.attribute.map((a) => a.name).sort()])).toEqual([['ReduceSum', 1, ['axes', 'keepdims']]]);
  });

  it('refuses an opset outside 7-21 before any work (exit 2)', async () => {
    const { code, stderr } = await run('optimize', input, '-o', join(dir, 'never.onnx'), '--opset', '5');
    expect(code).toBe(2);
    expect(stderr).toMatch(/--opset must be an integer from 7 to 21, got "5"/);
  });
});
