/** The command line, run in-process through main(argv, io): golden table, JSON schema, exit codes, bad input. */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Network } from '../../src/network/network.js';
import * as F from '../../src/network/functional/primitives.js';
import { ZOO } from '../../src/zoo/catalog.js';
import { SHARED_DIR, sharedPath } from '../support/shared.js';
import { runCli as run } from '../support/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'netsat-cli-'));
const gpt2 = join(dir, 'gpt2.json');
const out = join(dir, 'gpt2.opt.json');

beforeAll(() => writeFileSync(gpt2, JSON.stringify(ZOO['gpt2']!().toJSON())));

describe('netsat optimize', () => {
  let first: Awaited<ReturnType<typeof run>>;
  beforeAll(async () => {
    first = await run('optimize', gpt2, '-o', out, '--dump-egraph', join(dir, 'g.json')); // verifies by default
  });

  it('prints the onnxsim-style table (golden) and exits 0', async () => {
    expect(first.code).toBe(0);
    await expect(first.stdout.replaceAll(dir, '<tmp>')).toMatchFileSnapshot('golden/optimize-gpt2.txt');
  });

  it('writes the output with provenance and the extraction-gym dump', () => {
    const json = JSON.parse(readFileSync(out, 'utf8'));
    expect(json.format).toBe('netsat-network');
    expect(json.provenance.newLayers.length).toBeGreaterThan(0);
    const gym = JSON.parse(readFileSync(join(dir, 'g.json'), 'utf8'));
    expect(Object.keys(gym.nodes).length).toBeGreaterThan(0);
    expect(gym.root_eclasses.length).toBe(1);
  });

  it('--json prints the summary schema; --no-verify is stated in it', async () => {
    const r = await run('optimize', gpt2, '-o', join(dir, 'j.json'), '--json', '--iter-limit', '8', '--no-verify');
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(Object.keys(s).sort()).toEqual(
      [
        'budget',
        'device',
        'extraction',
        'extractor',
        'input',
        'latencyUs',
        'layers',
        'network',
        'newLayers',
        'output',
        'removed',
        'rules',
        'saturation',
        'times',
        'verification',
      ].sort(),
    );
    expect(s.latencyUs.after).toBeLessThan(s.latencyUs.before);
    expect(s.verification.skipped).toContain('--no-verify');
    expect(s.layers.byOp.at(-1).op).toBe('Total');
  });

  it('explain tells where a fused layer came from', async () => {
    const json = JSON.parse(readFileSync(out, 'utf8'));
    const fused = json.provenance.newLayers.find((p: { op: string }) => p.op === 'GptAttention');
    const r = await run('explain', out, fused.layer);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('attention-causal');
    expect(r.stdout).toContain('replaces: ');
    const kept = json.entries.find((e: { op?: string; removed?: true }) => e.op === 'LayerNorm' && !e.removed);
    expect((await run('explain', out, kept.layer)).stdout).toMatch(/original layer of .*kept as it was/);
  });
});

describe('bad input: one paragraph, exit 2, nothing written', () => {
  const cases: [string, string[], RegExp][] = [
    ['a missing file', ['optimize', join(dir, 'missing.json'), '-o', join(dir, 'x1.json')], /cannot read .*ENOENT/],
    ['invalid JSON', ['optimize', join(dir, 'bad.json'), '-o', join(dir, 'x2.json')], /not valid JSON/],
    ['a network that fails validation', ['optimize', join(dir, 'invalid.json'), '-o', join(dir, 'x3.json')], /netsat network|inconsistent|unknown/],
    ['an unknown device', ['optimize', gpt2, '-o', join(dir, 'x4.json'), '--device', 'tpu'], /unknown device "tpu"[\s\S]*h100-sxm/],
    ['an unknown extractor', ['optimize', gpt2, '-o', join(dir, 'x5.json'), '--extractor', 'magic'], /unknown extractor/],
    ['a rules file with errors', ['optimize', gpt2, '-o', join(dir, 'x6.json'), '--rules', join(dir, 'broken.rules')], /broken\.rules/],
    ['the output over the input', ['optimize', gpt2, '-o', gpt2], /is the input file[\s\S]*--in-place/],
    ['a bad limit', ['optimize', gpt2, '-o', join(dir, 'x7.json'), '--iter-limit', '-3'], /positive integer/],
  ];
  beforeAll(() => {
    writeFileSync(join(dir, 'bad.json'), '{ not json');
    writeFileSync(join(dir, 'invalid.json'), JSON.stringify({ format: 'something-else' }));
    writeFileSync(join(dir, 'broken.rules'), 'rule oops: (Mul ?x => ?x\n');
  });
  it.each(cases)('%s', async (_what, argv, message) => {
    const before = readdirSync(dir).sort();
    const r = await run(...argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(readdirSync(dir).sort()).toEqual(before);
  });
  it('--debug shows the stack', async () => {
    const r = await run('--debug', 'optimize', join(dir, 'missing.json'), '-o', join(dir, 'x8.json'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\n\s+at /);
    expect(existsSync(join(dir, 'x8.json'))).toBe(false);
  });
});

describe('other commands', () => {
  it('why-not reports the deepest partial match and the failing node', async () => {
    const r = await run('why-not', gpt2, 'rmsnorm');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/matches nowhere[\s\S]*Best partial match: rooted at layer \S+, \d+ of 7 op nodes matched[\s\S]*First failure at/);
  });
  it('why-not names the failing condition or says the rule fires', async () => {
    const r = await run('why-not', gpt2, 'linear-bias', '--at', 'add_6');
    expect(r.stdout).toMatch(/fires at add_6/);
  });
  it('why-not on an unknown rule is exit 2', async () => expect((await run('why-not', gpt2, 'no-such-rule')).code).toBe(2));
  it('inspect lists inputs, outputs and layers by op', async () => {
    const r = await run('inspect', gpt2);
    expect(r.stdout).toContain('hidden_states: float32[1, 8, 32]');
    expect(r.stdout).toMatch(/LayerNorm\s+2/);
  });
  it.skipIf(!SHARED_DIR)('saturate runs a workload file', async () => {
    const r = await run('saturate', sharedPath('bench', 'egraph-workloads', 'ac-6.json'), '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toBeTypeOf('object');
  });
});

describe('netsat optimize with an unsound rule', () => {
  const input = join(dir, 'tanh.json');
  const wrong = join(dir, 'wrong.rules');
  beforeAll(() => {
    const net = new Network('tanh');
    net.markOutput(F.tanh(F.relu(net.addInput('x', 'float32', ['batch', 4]))), 'y');
    writeFileSync(input, JSON.stringify(net.toJSON()));
    writeFileSync(wrong, 'rule drop-tanh: (Tanh ?x) => ?x\n');
  });

  it('heals by default: names the rule on stderr, writes the verified result and the failing case beside it', async () => {
    const r = await run('optimize', input, '-o', join(dir, 'healed.json'), '--rules', wrong);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/healed by leaving out rule\(s\) drop-tanh/);
    expect(r.stdout).toContain('Verification (reference interpreter, 3 seeded input sets; batch 2/3/5): PASS');
    expect(r.stdout).toContain('Healed: the first result failed verification; left out drop-tanh');
    expect(JSON.parse(readFileSync(join(dir, 'healed.unsound.json'), 'utf8')).format).toBe('netsat-network');
    expect(existsSync(join(dir, 'healed.json'))).toBe(true);
  });

  it('--on-unsound throw: exit 1, the failing output named, nothing written', async () => {
    const r = await run('optimize', input, '-o', join(dir, 'thrown.json'), '--rules', wrong, '--on-unsound', 'throw');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/does not compute what the input computed: output "y"/);
    expect(existsSync(join(dir, 'thrown.json'))).toBe(false);
  });
});
