/** --overwrite-input-shapes: OnnxReadOptions.overwriteInputShapes on the command line, for every command that reads a network. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeNetworkFile } from '../../src/io/network-file.js';
import { Network } from '../../src/network/network.js';
import * as F from '../../src/network/functional/primitives.js';
import { runCli as run } from '../support/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'netsat-input-shapes-'));
const onnx = join(dir, 'm.onnx');
const json = join(dir, 'm.json');

beforeAll(() => {
  const net = new Network('symbolic');
  net.markOutput(F.relu(F.relu(net.addInput('x', 'float32', ['batch', 4]))), 'y');
  writeNetworkFile(onnx, { network: net }, { target: 'onnx' });
  writeFileSync(json, JSON.stringify(net.toJSON()));
});

describe('--overwrite-input-shapes', () => {
  it('inspect shows the fixed dims', async () => {
    const r = await run('inspect', onnx, '--overwrite-input-shapes', 'x:3,4', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).inputs).toEqual([{ name: 'x', dtype: 'float32', shape: [3, 4] }]);
    expect((await run('inspect', onnx)).stdout).toContain('x: float32[batch, 4]');
  });

  it('optimize writes the network with the fixed dims', async () => {
    const out = join(dir, 'm.opt.json');
    const r = await run('optimize', onnx, '-o', out, '--overwrite-input-shapes', 'x:3,4');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8')).entries[0]).toMatchObject({ input: 'x', shape: [3, 4] });
  });

  it('a name that is no input, a JSON network or a zoo network: exit 2 with a hint', async () => {
    for (const [argv, message] of [
      [['inspect', onnx, '--overwrite-input-shapes', 'z:3,4'], /"z", which is not a graph input[\s\S]*hint: the inputs are: x/],
      [['inspect', json, '--overwrite-input-shapes', 'x:3,4'], /ONNX models only[\s\S]*hint:/],
      [['why-not', 'zoo:gpt2', 'rmsnorm', '--overwrite-input-shapes', 'x:3,4'], /zoo networks have fixed input shapes/],
    ] as const) {
      const r = await run(...argv);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
    }
  });
});
