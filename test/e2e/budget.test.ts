/** The memory budget: sizes parse, saturation stops at it, no unchecked result, and real models stay within it. */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseByteSize, saturationMemoryBytes, verificationBytes } from '../../src/budget.js';
import { BudgetError, NetsatError } from '../../src/errors.js';
import { optimize } from '../../src/optimize.js';
import { ZOO } from '../../src/zoo/catalog.js';
import { Network } from '../../src/network/network.js';
import { relu, reshape } from '../../src/network/functional/primitives.js';
import { ndarray } from '../../src/ops/ndarray.js';
import { buildCli } from '../support/built-cli.js';
import { describeShared, sharedPath } from '../support/shared.js';

describe('parseByteSize', () => {
  it('reads sizes with binary and decimal units, a plain number as MiB', () => {
    expect(parseByteSize('1GiB', 'x')).toBe(2 ** 30);
    expect(parseByteSize('512 MiB', 'x')).toBe(512 * 2 ** 20);
    expect(parseByteSize('800MB', 'x')).toBe(800e6);
    expect(parseByteSize('1.5g', 'x')).toBe(1.5e9);
    expect(parseByteSize('300', 'x')).toBe(300 * 2 ** 20);
  });

  it('refuses what is not a size, with a hint', () => {
    for (const bad of ['', 'lots', '-1GiB', '0', '12 parsecs']) expect(() => parseByteSize(bad, '--max-memory')).toThrow(NetsatError);
  });
});

describe('peakRssBytes', () => {
  it("is the process's own peak, not its parent's: a child of a 512 MiB process reports its own few dozen MiB", () => {
    const budget = join(import.meta.dirname, '..', '..', 'src', 'budget.ts');
    const child = [process.execPath, '--import', 'tsx', '--input-type=module', '-e', `import { peakRssBytes } from ${JSON.stringify(budget)}; console.log(peakRssBytes());`];
    // The large parent is a process of its own: the test workers are threads of one process, whose memory other tests budget.
    const parent = `const held = Buffer.alloc(512 * 2 ** 20, 1); const out = require('node:child_process').execFileSync(${JSON.stringify(child[0])}, ${JSON.stringify(child.slice(1))}); held[0] = 2; process.stdout.write(out);`;
    const r = spawnSync(process.execPath, ['-e', parent], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(Number(r.stdout)).toBeGreaterThan(0);
    expect(Number(r.stdout)).toBeLessThan(256 * 2 ** 20);
  });
});

describe('optimize under a memory budget', () => {
  it('stops saturation at the budget and says so, handing on a valid network', async () => {
    const network = ZOO['llama']!();
    const { network: out, report } = await optimize(network, { maxMemoryBytes: 1, verify: false });
    expect(report.runner.stopReason).toBe('memory_limit');
    expect(report.budget.stops.join()).toMatch(/saturation stopped at the memory budget/);
    expect(report.budget.peakRssBytes).toBeGreaterThan(0);
    out.validate();
  });

  it("keeps the check's share out of saturation's: the estimate of the check and the weights once more", () => {
    const network = ZOO['llama']!();
    const weights = saturationMemoryBytes(network, 2 ** 30, undefined);
    expect(weights).toBeLessThan(2 ** 30);
    expect(saturationMemoryBytes(network, 2 ** 30, false)).toBe(weights - verificationBytes(network, false));
    expect(saturationMemoryBytes(network, 2 ** 30, true)).toBe(weights - verificationBytes(network, true));
    expect(verificationBytes(network, true)).toBeGreaterThan(verificationBytes(network, false));
  });

  it("counts symbolic dims at the sizes the user's input sets give them, and products of dims as products", async () => {
    const network = new Network('wide');
    const x = network.addInput('x', 'float32', ['batch', 'seq', 64]);
    network.markOutput(relu(reshape(x, [-1, 64])), 'y');
    const drawn = verificationBytes(network, false);
    // batch*seq is 11 * 11 rows at the largest drawn sizes: the widest value, 8 copies of it in flight.
    expect(drawn).toBeGreaterThanOrEqual(8 * 121 * 64 * 4);
    const long = { x: ndarray('float32', [1, 4096, 64]) };
    const given = verificationBytes(network, false, [long]);
    expect(given).toBeGreaterThanOrEqual(8 * 11 * 4096 * 64 * 4); // batch drawn no larger than 11, seq as given
    await expect(optimize(network, { maxMemoryBytes: process.memoryUsage.rss() + 4 * 2 ** 20, verify: { inputs: [long] } })).rejects.toThrow(BudgetError);
  });

  it('never hands back an unchecked result: a check that does not fit is a BudgetError', async () => {
    await expect(optimize(ZOO['llama']!(), { maxMemoryBytes: 1 })).rejects.toThrow(BudgetError);
  });
});

const BUDGET_MIB = 256;
const reportMaxRss = join(import.meta.dirname, '..', 'support', 'report-max-rss.mjs');

/**
 * `netsat optimize model --max-memory BUDGET` in its own process, the built CLI as users run it
 * (tsx's loader would add 60-70 MiB of its own): exit code, stderr and peak resident memory (bytes).
 */
function optimizeInChild(cli: string, model: string, out: string): Promise<{ code: number; stderr: string; profile: string; peak: number }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', reportMaxRss, cli, 'optimize', model, '-o', out, '--max-memory', `${BUDGET_MIB}MiB`, '--profile'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let stdout = '';
    child.stdout.on('data', (d) => void (stdout += d));
    child.stderr.on('data', (d) => void (stderr += d));
    child.on('close', (code) =>
      done({ code: code ?? -1, stderr, profile: stdout.slice(stdout.indexOf('Profile:')), peak: Number(/maxRSS (\d+)/.exec(stderr)?.[1] ?? NaN) * 1024 }),
    );
  });
}

describeShared('real models under a small memory budget', () => {
  it(`each model in ../shared/data/onnx ends in a result or a typed error within ${BUDGET_MIB} MiB + 10 %`, async () => {
    const cli = buildCli('budget-cli');
    const dir = mkdtempSync(join(tmpdir(), 'netsat-budget-'));
    const models = readdirSync(sharedPath('data', 'onnx')).filter((f) => f.endsWith('.onnx'));
    const runs: { model: string; code: number; stderr: string; profile: string; peak: number }[] = [];
    // Two at a time: the machine has two cores, and each child's peak is its own.
    for (let i = 0; i < models.length; i += 2) {
      const pair = models.slice(i, i + 2);
      runs.push(...(await Promise.all(pair.map(async (m) => ({ model: m, ...(await optimizeInChild(cli, sharedPath('data', 'onnx', m), join(dir, m))) })))));
    }
    for (const r of runs) {
      expect(r.stderr, r.model).not.toMatch(/internal error/);
      // On failure the message carries the child's profile: the stage that went over.
      expect(r.peak, `${r.model} peak ${Math.round(r.peak / 2 ** 20)} MiB\n${r.stderr}\n${r.profile.slice(0, 1200)}`).toBeLessThanOrEqual(1.1 * BUDGET_MIB * 2 ** 20);
    }
    expect(runs.filter((r) => r.code === 0).length).toBeGreaterThanOrEqual(8);
  }, 600_000);
});
