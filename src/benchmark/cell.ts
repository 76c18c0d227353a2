/**
 * One cell of the matrix: a model optimized under a strategy on a device. The figures come from
 * optimize's report; the ONNX files a runtime will time are written here, and timed later, one
 * cell at a time (bench.ts). A cell that fails says why in its row instead of stopping the matrix.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { DeviceId } from '../cost/device.js';
import { BudgetError, NetsatError, VerificationError } from '../errors.js';
import { writeOnnx } from '../io/onnx/export.js';
import type { Network } from '../network/network.js';
import { getOp, hasOp } from '../ops/registry.js';
import { optimize } from '../optimize.js';
import type { OptimizeOptions, OptimizeResult } from '../optimize.js';
import type { OptimizeReport } from '../report/optimize-report.js';
import type { BenchModel } from './models.js';
import type { CellResult, FailureKind } from './result.js';
import type { Strategy } from './strategy.js';
import { strategyRulePaths } from './strategy.js';

export interface CellSettings {
  seed: number;
  measure: boolean;
  maxMemoryBytes: number;
  /** Where the ONNX files to time are written. */
  scratchDir: string;
}

/** A cell's row, and the two models to time when it is measured. */
export interface CellRun {
  result: CellResult;
  /** Paths of the two ONNX files. */
  toMeasure?: { original: string; optimized: string };
}

function optimizeOptions(strategy: Strategy, device: DeviceId, settings: CellSettings, verify: boolean): OptimizeOptions {
  return {
    rules: strategyRulePaths(strategy),
    // An unchecked run writes nothing out, so saturation may use the whole budget: optimize would
    // otherwise keep room for the weights once more, which a full-size shape-only LLM does not have.
    limits: verify ? strategy.limits : { ...strategy.limits, memoryBytes: settings.maxMemoryBytes },
    extractor: strategy.extractor,
    device,
    maxMemoryBytes: settings.maxMemoryBytes,
    // The benchmark measures the strategy as it is: a result that does not verify fails its cell, unhealed.
    onUnsound: 'throw',
    verify: verify ? { seed: settings.seed } : false,
    explanations: false,
  };
}

/** New layers of fused kinds (the registry's `fused` ops), by op. */
function fusedOps(report: OptimizeReport): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const l of report.newLayers) if (hasOp(l.op) && getOp(l.op).fused) counts[l.op] = (counts[l.op] ?? 0) + 1;
  return counts;
}

function stagesMs(report: OptimizeReport): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of report.stages) out[s.stage] = (out[s.stage] ?? 0) + s.ms;
  return out;
}

function verificationOf(report: OptimizeReport, note: string | null): CellResult['verification'] {
  const v = report.verification;
  if (v.skipped !== undefined) return { result: 'skipped', method: null, note: note ?? v.skipped };
  return { result: v.pass ? 'pass' : 'fail', method: v.method, note };
}

/** A row with no figures yet. */
export function emptyRow(model: { name: string; group: string }, strategy: Strategy, device: DeviceId): CellResult {
  return {
    model: model.name,
    group: model.group,
    strategy: strategy.name,
    strategyVersion: strategy.version,
    device,
    status: 'ok',
    failure: null,
    predicted: null,
    layers: null,
    fusedOps: {},
    egraph: null,
    iterations: null,
    stopReason: null,
    stagesMs: {},
    optimizeMs: null,
    extraction: null,
    verification: { result: 'skipped', method: null, note: null },
    measured: null,
    measuredNote: null,
    wallMs: 0,
  };
}

function withReport(row: CellResult, report: OptimizeReport, verificationNote: string | null): CellResult {
  return {
    ...row,
    predicted: { costModel: report.cost.model, before: report.cost.before, after: report.cost.after, speedup: report.cost.speedup },
    layers: { before: report.layers.before, after: report.layers.after },
    fusedOps: fusedOps(report),
    egraph: report.egraph,
    iterations: report.runner.iterations.length,
    stopReason: report.runner.stopReason,
    stagesMs: stagesMs(report),
    optimizeMs: report.times.totalMs - report.times.verifyMs,
    extraction: { extractor: report.extraction.extractor, status: report.extraction.status, cost: report.extraction.cost, gap: report.extraction.gap },
    verification: verificationOf(report, verificationNote),
  };
}

function failureKind(e: unknown): FailureKind {
  if (e instanceof BudgetError) return 'limit';
  if (e instanceof VerificationError) return 'verification';
  return 'error';
}

function failed(row: CellResult, e: unknown): CellResult {
  const message = e instanceof NetsatError ? `${e.what}${e.where ? ` (at ${e.where})` : ''}` : `internal error: ${(e as Error).message ?? String(e)}`;
  return { ...row, status: 'failed', failure: { kind: failureKind(e), message } };
}

/** The optimized network of the run that is timed: the model itself, or its small weighted copy. */
async function weightedRun(model: BenchModel, predicted: OptimizeResult, original: Network, options: OptimizeOptions): Promise<{ original: Network; result: OptimizeResult }> {
  if (model.weightedIsSame) return { original, result: predicted };
  const weighted = model.buildWithWeights!();
  return { original: weighted, result: await optimize(weighted, options) };
}

/**
 * The ONNX pair to time, written into the scratch folder (kept on disk rather than in memory until
 * timing: the memory budget is the whole process's), or why there is none.
 */
function onnxPair(original: Network, optimized: Network, name: string, settings: CellSettings): CellRun['toMeasure'] | string {
  try {
    const paths = { original: join(settings.scratchDir, `${name}.original.onnx`), optimized: join(settings.scratchDir, `${name}.optimized.onnx`) };
    writeFileSync(paths.original, writeOnnx(original, { target: 'ort' }));
    writeFileSync(paths.optimized, writeOnnx(optimized, { target: 'ort' }));
    return paths;
  } catch (e) {
    if (e instanceof NetsatError) return `not written as ONNX: ${e.what}`;
    throw e;
  }
}

/**
 * Optimizes `model` under `strategy` on `device`. Where the model has a different small weighted
 * copy, the full-size network gives the predicted figures (unchecked: drawing its weights would not
 * fit) and the weighted copy is checked and timed.
 */
export async function runCell(model: BenchModel, strategy: Strategy, device: DeviceId, settings: CellSettings): Promise<CellRun> {
  const start = performance.now();
  const run = await runCellRuns(model, strategy, device, settings);
  return { ...run, result: { ...run.result, wallMs: performance.now() - start } };
}

async function runCellRuns(model: BenchModel, strategy: Strategy, device: DeviceId, settings: CellSettings): Promise<CellRun> {
  const row = emptyRow(model, strategy, device);
  try {
    const network = model.build();
    const hasCopy = model.buildWithWeights !== undefined && !model.weightedIsSame;
    const predicted = await optimize(network, optimizeOptions(strategy, device, settings, !hasCopy));
    if (!model.buildWithWeights) return { result: { ...withReport(row, predicted.report, null), measuredNote: 'the model has no weights to run' } };
    const timed = await weightedRun(model, predicted, network, optimizeOptions(strategy, device, settings, true));
    const checkedNote = hasCopy ? 'checked on the small weighted copy' : null;
    const result = { ...withReport(row, predicted.report, checkedNote), verification: verificationOf(timed.result.report, checkedNote) };
    if (!settings.measure) return { result: { ...result, measuredNote: 'not measured (--no-measure)' } };
    const pair = onnxPair(timed.original, timed.result.network, `${model.name}.${strategy.name}.${device}`, settings);
    return typeof pair === 'string' ? { result: { ...result, measuredNote: pair } } : { result, toMeasure: pair };
  } catch (e) {
    return { result: failed(row, e) };
  }
}
