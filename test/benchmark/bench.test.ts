/**
 * `netsat bench` on a tiny matrix (two small zoo examples × two strategies): the outputs it writes,
 * the JSON against its schema, the same predicted figures from the same seed, worker threads, and
 * bad input (unknown names, a failing cell reported in its row while the rest runs).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bench } from '../../src/benchmark/bench.js';
import { BENCH_RESULT_SCHEMA } from '../../src/benchmark/bench-schema.js';
import type { BenchResult, CellResult } from '../../src/benchmark/result.js';
import { runCli } from '../support/run-cli.js';
import { schemaErrors } from './json-schema-subset.js';

const MODELS = ['squeezenet-fire', 'gpt2'];
const STRATEGIES = ['none', 'cnn'];
const UNSOUND = join(import.meta.dirname, 'fixtures', 'unsound-strategy.json');

/** What the cost model and the optimizer decide: everything of a cell but times and measurements. */
function predictedFigures(c: CellResult) {
  return {
    cell: `${c.model}/${c.strategy}`,
    predicted: c.predicted,
    layers: c.layers,
    fusedOps: c.fusedOps,
    egraph: c.egraph,
    iterations: c.iterations,
    stop: c.stopReason,
    cost: c.extraction?.cost,
    verification: c.verification.result,
  };
}

describe('netsat bench on two models × two strategies', () => {
  const out = mkdtempSync(join(tmpdir(), 'netsat-bench-'));
  let run: { code: number; stdout: string; stderr: string };
  let json: BenchResult;

  beforeAll(async () => {
    run = await runCli('bench', '--models', MODELS.join(','), '--strategies', STRATEGIES.join(','), '--out', out, '--warmup', '1', '--repeats', '3');
    json = JSON.parse(readFileSync(join(out, 'fusion-matrix.json'), 'utf8'));
  });

  it('runs every cell, verified, and reports progress per cell', () => {
    expect(run.code).toBe(0);
    expect(json.cells.map((c) => `${c.model}/${c.strategy}`)).toEqual(['squeezenet-fire/none', 'squeezenet-fire/cnn', 'gpt2/none', 'gpt2/cnn']);
    expect(json.cells.every((c) => c.status === 'ok' && c.verification.result === 'pass')).toBe(true);
    expect(run.stderr).toMatch(/squeezenet-fire \/ cnn @ h100-sxm: predicted 2\.50x/);
  });

  it('reports the fusions, the stop reason, stage times and a measured speedup with its spread', () => {
    const fire = json.cells[1]!;
    expect(fire.fusedOps).toEqual({ FusedConv: 3 });
    expect(fire.predicted!.speedup).toBeGreaterThan(1);
    expect(fire.stopReason).toBe('saturated');
    expect(Object.keys(fire.stagesMs)).toEqual(['to e-graph', 'saturate', 'extraction problem', 'extract', 'lower', 'verify']);
    const m = fire.measured!;
    expect(m.repeats).toBe(3);
    expect(m.speedup.low).toBeLessThanOrEqual(m.speedup.median);
    expect(m.speedup.median).toBeLessThanOrEqual(m.speedup.high);
  });

  it('writes JSON that matches its schema, with versions and the seed recorded', () => {
    expect(schemaErrors(BENCH_RESULT_SCHEMA, json)).toEqual([]);
    expect(json.environment.onnxruntime).toMatch(/^\d+\.\d+/);
    expect(json.settings.seed).toBe(1);
    // The check is not vacuous: a row missing a field or with a wrong kind is caught.
    const { layers: _, ...withoutLayers } = json.cells[0]!;
    const broken = { ...json, cells: [{ ...withoutLayers, status: 'maybe' }] };
    expect(schemaErrors(BENCH_RESULT_SCHEMA, broken)).toEqual(['$.cells[0]: lacks "layers"', '$.cells[0].status: "maybe" is not one of ["ok","failed"]']);
  });

  it('writes the table, CSV and SVG charts', () => {
    const md = readFileSync(join(out, 'fusion-matrix.md'), 'utf8');
    expect(md).toMatch(/\| squeezenet-fire \| cnn \| 2\.50x \|/);
    expect(md).toMatch(/onnxruntime 1\.\d+/);
    // Every row of every table has as many cells as its header.
    const cellsOf = (line: string) => line.split(/(?<!\\)\|/).length;
    for (const table of md.split('\n\n').filter((b) => b.startsWith('| '))) {
      const [header, ...rows] = table.trim().split('\n');
      for (const row of rows) expect(cellsOf(row), row).toBe(cellsOf(header!));
    }
    const csv = readFileSync(join(out, 'fusion-matrix.csv'), 'utf8').trimEnd().split('\r\n');
    expect(csv).toHaveLength(5);
    expect(csv[0]).toMatch(/^model,group,strategy,strategyVersion,device,status,/);
    expect(csv[2]).toMatch(/^squeezenet-fire,example,cnn,1,h100-sxm,ok,/);
    for (const svg of ['fusion-matrix.svg', 'fusion-matrix.measured.svg']) {
      const text = readFileSync(join(out, svg), 'utf8');
      expect(text).toMatch(/<svg[\s\S]*gpt2[\s\S]*<\/svg>\s*$/);
    }
  });

  it('gives the same predicted figures for the same seed, on worker threads too', async () => {
    const again = await bench(MODELS, STRATEGIES, { measure: false, jobs: 2 });
    expect(again.cells.map(predictedFigures)).toEqual(json.cells.map(predictedFigures));
  });
});

describe('netsat bench: bad input', () => {
  it('lists the known models and strategies for unknown names, before any work', async () => {
    const model = await runCli('bench', '--models', 'gpt-5', '--strategies', 'none');
    expect(model.code).toBe(2);
    expect(model.stderr).toMatch(/unknown model "gpt-5"[\s\S]*hint: .*zoo.*tensat.*squeezenet-fire/);
    const strategy = await runCli('bench', '--models', 'gpt2', '--strategies', 'none,fastest');
    expect(strategy.code).toBe(2);
    expect(strategy.stderr).toMatch(/unknown strategy "fastest"[\s\S]*none, algebra, llm, cnn, all/);
  });

  it('refuses an unknown device or a job count that is not a positive integer, naming the flag', async () => {
    const device = await runCli('bench', '--models', 'gpt2', '--strategies', 'none', '--devices', 'tpu-v5');
    expect(device.code).toBe(2);
    expect(device.stderr).toMatch(/unknown device "tpu-v5" \(at --devices\)[\s\S]*h100-sxm/);
    const jobs = await runCli('bench', '--models', 'gpt2', '--strategies', 'none', '--jobs', '0');
    expect(jobs.code).toBe(2);
    expect(jobs.stderr).toMatch(/--jobs must be a positive integer, got 0/);
  });

  it('reports a strategy file with errors at file:line:col', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netsat-bench-bad-'));
    const path = join(dir, 'bad.json');
    writeFileSync(path, '{\n  "format": "netsat-strategy/1",\n  "name": "bad",\n  "version": 1,\n  "rules": ["algebra"],\n  "limits": {"iterations": 0}\n}\n');
    const r = await runCli('bench', '--models', 'gpt2', '--strategies', path);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`(at ${path}:6:14)`);
  });

  it('reports a cell that fails verification in its row, and runs the rest', async () => {
    const result = await bench(['squeezenet-fire', 'gpt2'], [UNSOUND, 'none'], { measure: false });
    const failed = result.cells.filter((c) => c.status === 'failed');
    expect(failed.map((c) => `${c.model}/${c.strategy}`)).toEqual(['squeezenet-fire/unsound']);
    expect(failed[0]!.failure).toMatchObject({ kind: 'verification', message: expect.stringMatching(/does not compute what the input computed/) });
    expect(result.cells.filter((c) => c.status === 'ok')).toHaveLength(3);
  });
});
