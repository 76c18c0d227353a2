/**
 * Nothing lost: every output of `optimize` is checked against every input and every other output,
 * and its folder must exist, before the run starts. Each clash is exit 2, with the input file
 * byte-identical afterwards and nothing new written.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Network } from '../../src/network/network.js';
import * as F from '../../src/network/functional/primitives.js';
import { runCli as run } from '../support/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'netsat-outputs-'));
const at = (name: string) => join(dir, name);
const input = at('net.json');
const rules = at('mine.rules.json'); // a rules file whose name an output could take
const FAST = ['--no-verify', '--iter-limit', '2'];

beforeAll(() => {
  const net = new Network('small');
  net.markOutput(F.relu(F.relu(net.addInput('x', 'float32', ['batch', 4]))), 'y');
  writeFileSync(input, JSON.stringify(net.toJSON()));
  writeFileSync(at('net.unsound.json'), JSON.stringify(net.toJSON()));
  writeFileSync(rules, 'rule relu-relu: (Relu (Relu ?x)) => (Relu ?x)\n');
  symlinkSync(input, at('link.json'));
  mkdirSync(at('folder.json'));
});

describe('an output that clashes with an input or another output: exit 2, nothing touched', () => {
  const cases: [string, string[], RegExp][] = [
    ['-o is the input', ['optimize', input, '-o', input], /is the input file \(<in>\)[\s\S]*--in-place/],
    ['-o is the input by another spelling', ['optimize', input, '-o', join(dir, '.', '..', dir.split('/').at(-1)!, 'net.json')], /is the input file/],
    ['-o is a symlink to the input', ['optimize', input, '-o', at('link.json')], /is the input file/],
    ['--report is the input', ['optimize', input, '-o', at('o1.json'), '--report', input], /at --report/],
    ['--report is the input, even --in-place', ['optimize', input, '--in-place', '--report', input], /at --report/],
    ['--dump-egraph is the input', ['optimize', input, '-o', at('o2.json'), '--dump-egraph', input], /at --dump-egraph/],
    ['--report is a rules file', ['optimize', input, '-o', at('o3.json'), '--rules', rules, '--report', rules], /input file \(--rules\)/],
    ['-o is a rules file', ['optimize', input, '-o', rules, '--rules', rules], /input file \(--rules\)/],
    ['--report is -o', ['optimize', input, '-o', at('o4.json'), '--report', at('o4.json')], /also the output of -o/],
    ['--dump-egraph is -o', ['optimize', input, '-o', at('o5.json'), '--dump-egraph', at('o5.json')], /also the output of -o/],
    ['--dump-egraph is --report', ['optimize', input, '-o', at('o6.json'), '--report', at('g.dot'), '--dump-egraph', at('g.dot')], /also the output of --report/],
    // Healing writes the failing case beside -o: net.onnx's is net.unsound.json, here the input.
    ["healing's reproducer is the input", ['optimize', at('net.unsound.json'), '-o', at('net.onnx')], /is the input file[\s\S]*reproducer/],
  ];
  it.each(cases)('%s', async (_what, argv, message) => {
    const before = readdirSync(dir).sort();
    const bytes = readFileSync(input);
    const r = await run(...argv, ...FAST);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(readFileSync(input).equals(bytes)).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(before);
  });
});

describe('an output whose folder is missing: exit 2 before the run', () => {
  it.each([
    ['-o', ['-o', at('no/such/out.json')]],
    ['--report', ['-o', at('o7.json'), '--report', at('no/such/r.html')]],
    ['--dump-egraph', ['-o', at('o8.json'), '--dump-egraph', at('no/such/g.json')]],
  ])('%s', async (flag, args) => {
    const before = readdirSync(dir).sort();
    const r = await run('optimize', input, ...args, ...FAST);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`folder of .* does not exist \\(at ${flag}\\)[\\s\\S]*hint: create`));
    expect(readdirSync(dir).sort()).toEqual(before);
  });
  it('an output that is a folder', async () => {
    const r = await run('optimize', input, '-o', at('folder.json'), ...FAST);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is a folder, not a file/);
  });
});

describe('what is allowed still runs', () => {
  it('--in-place writes over the input', async () => {
    const copy = at('inplace.json');
    writeFileSync(copy, readFileSync(input));
    const r = await run('optimize', copy, '--in-place', ...FAST);
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(copy, 'utf8')).provenance).toBeDefined();
  });
  it('separate outputs beside the input', async () => {
    const r = await run('optimize', input, '-o', at('ok.json'), '--report', at('ok.html'), '--dump-egraph', at('ok.dot'), ...FAST);
    expect(r.code).toBe(0);
    expect(readdirSync(dir)).toEqual(expect.arrayContaining(['ok.json', 'ok.html', 'ok.dot']));
  });
});
