/**
 * `bench(models, strategies, options)`: the matrix of models × strategies × devices. Cells are
 * optimized first, in this thread or on `jobs` worker threads; then the cells with a runtime are
 * timed one at a time with every worker gone, so no optimization or other timing competes for the
 * cores a measurement runs on.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DEFAULT_MAX_MEMORY_BYTES } from '../budget.js';
import { DEVICE_IDS } from '../cost/device.js';
import type { DeviceId } from '../cost/device.js';
import { emptyRow, runCell } from './cell.js';
import type { CellRun, CellSettings } from './cell.js';
import type { CellTask } from './cell-task.js';
import { benchEnvironment } from './environment.js';
import { BenchInputError } from './errors.js';
import { measureLatency } from './measure.js';
import { resolveModels } from './models.js';
import type { BenchModel } from './models.js';
import { runInWorkers } from './pool.js';
import type { BenchResult, CellResult } from './result.js';
import type { Strategy } from './strategy.js';
import { resolveStrategy } from './strategy-file.js';

export interface BenchOptions {
  /** Devices of the roofline cost model; default: each strategy's own. */
  devices?: readonly DeviceId[];
  /** Seeds the check's inputs and the timed runs' inputs (default 1). */
  seed?: number;
  /** Worker threads optimizing cells at once (default 1: in this thread). */
  jobs?: number;
  /** Time original vs optimized in onnxruntime where the model has weights (default true). */
  measure?: boolean;
  /** Untimed runs of each model before timing (default 5). */
  warmup?: number;
  /** Timed rounds, each running both models (default 30). */
  repeats?: number;
  /** Memory budget of the process's resident memory, which every optimization checks (default 1 GiB per job). */
  maxMemoryBytes?: number;
  /** Called with each cell's row as it is done (optimized, then again when timed). */
  onCell?: (cell: CellResult) => void;
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) throw new BenchInputError(`${name} must be a positive integer, got ${value}`, { where: name, hint: `e.g. ${name} 2` });
  return value;
}

function checkDevices(devices: readonly string[]): DeviceId[] {
  for (const d of devices) {
    if (!(DEVICE_IDS as readonly string[]).includes(d)) throw new BenchInputError(`unknown device "${d}"`, { where: '--devices', hint: `devices: ${DEVICE_IDS.join(', ')}` });
  }
  return [...devices] as DeviceId[];
}

/** Cells in row order: model by model, each under every strategy, each on every device. */
function plan(models: readonly BenchModel[], strategies: readonly Strategy[], devices: readonly DeviceId[] | undefined, settings: CellSettings): CellTask[] {
  return models.flatMap((m) => strategies.flatMap((s) => (devices ?? [s.device]).map((device) => ({ model: m.spec, strategy: s, device, settings }))));
}

/** The row of a cell that could not run at all. */
function failedRun(task: CellTask, message: string): CellRun {
  const model = resolveModels([task.model])[0]!;
  return { result: { ...emptyRow(model, task.strategy, task.device), status: 'failed', failure: { kind: 'error', message } } };
}

async function optimizeCells(tasks: readonly CellTask[], models: readonly BenchModel[], jobs: number, onDone: (run: CellRun) => void): Promise<CellRun[]> {
  if (jobs > 1) return runInWorkers(tasks, jobs, failedRun, onDone);
  const runs: CellRun[] = [];
  for (const task of tasks) {
    const run = await runCell(models.find((m) => m.spec === task.model)!, task.strategy, task.device, task.settings);
    onDone(run);
    runs.push(run);
  }
  return runs;
}

/** Times the cells that have a pair of models, one after the other. */
async function measureCells(runs: readonly CellRun[], options: { seed: number; warmup: number; repeats: number }, onCell: (cell: CellResult) => void): Promise<CellResult[]> {
  const cells: CellResult[] = [];
  for (const run of runs) {
    if (!run.toMeasure) {
      cells.push(run.result);
      continue;
    }
    const start = performance.now();
    const cell = await measureLatency(readFileSync(run.toMeasure.original), readFileSync(run.toMeasure.optimized), options).then(
      (measured) => ({ ...run.result, measured }),
      (e: Error) => ({ ...run.result, measuredNote: `onnxruntime could not run it: ${e.message.split('\n')[0]}` }),
    );
    cell.wallMs += performance.now() - start;
    onCell(cell);
    cells.push(cell);
  }
  return cells;
}

/**
 * Runs every model under every strategy (on every device, when given): `models` and `strategies`
 * are --models and --strategies words (zoo, a group, a zoo name, an .onnx file or folder; a
 * built-in strategy or a strategy file). Unknown names fail before any work, listing the known ones.
 */
export async function bench(models: readonly string[], strategies: readonly string[], options: BenchOptions = {}): Promise<BenchResult> {
  const start = performance.now();
  const resolvedModels = resolveModels(models);
  if (strategies.length === 0) throw new BenchInputError('no strategies given', { where: '--strategies', hint: 'e.g. --strategies none,all' });
  const resolvedStrategies = strategies.map(resolveStrategy);
  const devices = options.devices ? checkDevices(options.devices) : undefined;
  const jobs = positiveInteger(options.jobs ?? 1, '--jobs');
  const settings = {
    seed: options.seed ?? 1,
    jobs,
    measure: options.measure ?? true,
    warmup: positiveInteger(options.warmup ?? 5, '--warmup'),
    repeats: positiveInteger(options.repeats ?? 30, '--repeats'),
    // Worker threads share the process's memory, which is what the budget measures.
    maxMemoryBytes: options.maxMemoryBytes ?? DEFAULT_MAX_MEMORY_BYTES * jobs,
  };
  if (!Number.isInteger(settings.seed)) throw new BenchInputError(`--seed must be an integer, got ${settings.seed}`, { where: '--seed' });
  const onCell = options.onCell ?? (() => {});
  const scratchDir = mkdtempSync(join(tmpdir(), 'netsat-bench-'));
  const tasks = plan(resolvedModels, resolvedStrategies, devices, { seed: settings.seed, measure: settings.measure, maxMemoryBytes: settings.maxMemoryBytes, scratchDir });
  const cells = await optimizeCells(tasks, resolvedModels, jobs, (run) => onCell(run.result))
    .then((runs) => measureCells(runs, settings, onCell))
    .finally(() => rmSync(scratchDir, { recursive: true, force: true }));
  return {
    format: 'netsat-bench/1',
    environment: benchEnvironment(),
    settings,
    models: resolvedModels.map(({ name, group, source }) => ({ name, group, source })),
    strategies: resolvedStrategies,
    devices: devices ?? [...new Set(resolvedStrategies.map((s) => s.device))],
    cells,
    wallMs: performance.now() - start,
  };
}
