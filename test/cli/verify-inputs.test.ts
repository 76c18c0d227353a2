/** optimize --verify-inputs: the check runs on the user's own TensorProto inputs where seeded ones are out of the model's domain. */
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toBinary } from '@bufbuild/protobuf';
import { TensorProtoSchema } from 'onnx-buf';
import { describe, expect, it } from 'vitest';
import { arrayToTensor } from '../../src/io/onnx/tensor-data.js';
import { ndarray } from '../../src/ops/ndarray.js';
import { oneNode } from '../io/support/one-node-model.js';
import { runCli as run } from '../support/run-cli.js';

describe('optimize --verify-inputs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netsat-verify-inputs-'));
  const model = join(dir, 'resize.onnx');
  // Resize reads its scales from an input: random scales are out of its domain.
  writeFileSync(model, oneNode('Resize', [['x', 'float32', [1, 1, 2, 2]], '', ['scales', 'float32', [4]]], ['y']));
  const set = join(dir, 'test_data_set_0');
  mkdirSync(set);
  // Unnamed, so matched by its number: scales is the model's second input.
  const scales = ndarray('float32', [4], [1, 1, 2, 2]);
  writeFileSync(join(set, 'input_1.pb'), toBinary(TensorProtoSchema, arrayToTensor('', 'float32', [4], scales)));

  it('without it, seeded scales make the check impossible (exit 2), and the error points at the flag', async () => {
    const { code, stderr } = await run('optimize', model, '-o', join(dir, 'never.onnx'));
    expect(code).toBe(2);
    expect(stderr).toMatch(/cannot verify: onnxruntime cannot run the original model on seeded inputs[\s\S]*hint: .*--verify-inputs/);
    expect(existsSync(join(dir, 'never.onnx'))).toBe(false);
  });

  it('checks on the given set and writes the result', async () => {
    const output = join(dir, 'out.onnx');
    const { code, stdout, stderr } = await run('optimize', model, '-o', output, '--verify-inputs', set);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('Verification (onnxruntime, 1 given input sets): PASS');
    expect(existsSync(output)).toBe(true);
  });

  it('a file that does not fit the model fails before any work, naming the file and the input', async () => {
    const bad = join(dir, 'bad');
    mkdirSync(bad);
    writeFileSync(join(bad, 'input_1.pb'), toBinary(TensorProtoSchema, arrayToTensor('', 'float64', [4], ndarray('float64', [4], [1, 1, 2, 2]))));
    const { code, stderr } = await run('optimize', model, '-o', join(dir, 'never.onnx'), '--verify-inputs', bad);
    expect(code).toBe(2);
    expect(stderr).toMatch(/input scales is float64 but the network declares float32 \(at .*bad\/input_1.pb \(input scales\)\)/);
  });

  it('with --no-verify is a usage error (exit 2)', async () => {
    const { code, stderr } = await run('optimize', model, '-o', join(dir, 'never.onnx'), '--no-verify', '--verify-inputs', set);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--verify-inputs gives inputs to the check that --no-verify turns off/);
  });
});
