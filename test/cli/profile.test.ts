/** `netsat optimize --profile`: the stage and rule table, its JSON, and the memory budget flag. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ZOO } from '../../src/zoo/catalog.js';
import { runCli as run } from '../support/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'netsat-profile-'));
const input = join(dir, 'llama.json');
writeFileSync(input, JSON.stringify(ZOO['llama']!().toJSON()));

describe('netsat optimize --profile', () => {
  it('prints each stage with time and memory, and the costliest rules; the file holds the same as JSON', async () => {
    const profile = join(dir, 'profile.json');
    const r = await run('optimize', input, '-o', join(dir, 'out.json'), '--profile', profile);
    expect(r.code).toBe(0);
    for (const stage of ['to e-graph', 'saturate', 'extract', 'lower', 'verify']) expect(r.stdout).toMatch(new RegExp(`^${stage}\\s+\\d+\\s+\\d+\\s+\\d+$`, 'm'));
    expect(r.stdout).toMatch(/^Rules by time \(12 of the \d+ searched/m);
    const data = JSON.parse(readFileSync(profile, 'utf8'));
    expect(data.stages.map((s: { stage: string }) => s.stage)).toEqual(['to e-graph', 'saturate', 'extraction problem', 'extract', 'lower', 'verify']);
    expect(data.budget.peakRssBytes).toBeGreaterThan(0);
    const times = data.rules.map((rule: { ms: number }) => rule.ms);
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(data.rules.reduce((n: number, rule: { enodes: number }) => n + rule.enodes, 0)).toBeGreaterThan(0);
  });

  it('puts the table on stderr beside --json, so stdout stays JSON', async () => {
    const r = await run('optimize', input, '-o', join(dir, 'out2.json'), '--json', '--profile');
    expect(r.code).toBe(0);
    expect(() => JSON.parse(r.stdout)).not.toThrow();
    expect(r.stderr).toMatch(/^saturate\s/m);
  });

  it('refuses a profile file that is the input, before the run', async () => {
    const before = readFileSync(input, 'utf8');
    const r = await run('optimize', input, '-o', join(dir, 'out3.json'), '--profile', input);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/--profile/);
    expect(readFileSync(input, 'utf8')).toBe(before);
  });

  it('takes --max-memory as a size and reports what the budget stopped', async () => {
    const bad = await run('optimize', input, '-o', join(dir, 'out4.json'), '--max-memory', '1 byte', '--no-verify');
    expect(bad.stderr).toMatch(/not a memory size/);
    const tight = await run('optimize', input, '-o', join(dir, 'out5.json'), '--max-memory', '0.000001MiB', '--no-verify');
    expect(tight.code).toBe(0);
    expect(tight.stdout).toMatch(/Budget: saturation stopped at the memory budget after 1 iterations/);
  });
});
