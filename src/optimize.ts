/**
 * The main job, end to end: network → e-graph → saturation → extraction → lowering → verification,
 * with a report of every stage. Only strings the rooms together.
 */
import { performance } from 'node:perf_hooks';
import type { CostModel } from './cost/cost-model.js';
import type { DeviceId } from './cost/device.js';
import { roofline } from './cost/roofline.js';
import { Runner } from './egraph/runner.js';
import type { RunReport, RunnerLimits } from './egraph/runner.js';
import { BackoffScheduler, SimpleScheduler } from './egraph/scheduler.js';
import { extract } from './extract/extract.js';
import { problemFromEGraph } from './extract/from-egraph.js';
import type { ExtractorName, SelectionStatus } from './extract/selection.js';
import { verifyEquivalent } from './interp/verify.js';
import type { VerifyOptions, VerifyResult } from './interp/verify.js';
import { lowerSelection } from './lower/from-selection.js';
import type { Provenance } from './lower/from-selection.js';
import { networkToEGraph } from './lower/to-egraph.js';
import { NetworkError } from './errors.js';
import type { Network } from './network/network.js';
import { opTableRows } from './report/op-table.js';
import type { OpTableRow } from './report/op-table.js';
import { compileRules } from './tensor/compile-rules.js';
import { tensorNodeCost } from './tensor/cost.js';
import { loadRuleFiles, shippedRuleFiles } from './rules/library.js';
import type { RuleFile } from './rules/ast.js';
import { networkCost } from './cost/network-cost.js';

export interface OptimizeOptions {
  /** Rule files (parsed) or paths; default: every shipped library. */
  rules?: readonly (RuleFile | string)[];
  /** The cost model; default roofline on `device`. */
  costModel?: CostModel;
  /** Device for the default roofline model (default h100-sxm). */
  device?: DeviceId;
  /** Values of symbolic dims for costing (default 1; e.g. {seq: 512}). */
  symbolValues?: Readonly<Record<string, number>>;
  extractor?: ExtractorName;
  /** ILP time limit in ms. */
  extractTimeLimitMs?: number;
  /** Saturation limits; default 20 iterations, 100 000 e-nodes, 10 s. */
  limits?: RunnerLimits;
  scheduler?: 'simple' | 'backoff';
  /**
   * Check the result with the reference interpreter: true, false, or options (seed, tolerances,
   * symbol values). Default: true.
   */
  verify?: boolean | VerifyOptions;
  /** Apply the result to `network` itself instead of a clone (default false). */
  inPlace?: boolean;
  /** Names of tensors that must survive as they are (they are kept as extraction roots). */
  keepOutputs?: readonly string[];
}

export interface StageTimes {
  toEGraphMs: number;
  saturateMs: number;
  extractMs: number;
  lowerMs: number;
  verifyMs: number;
  totalMs: number;
}

export interface OptimizeReport {
  runner: RunReport;
  rules: { name: string; matches: number; applied: number }[];
  egraph: { eclasses: number; enodes: number };
  extraction: { extractor: ExtractorName; status: SelectionStatus; cost: number; gap: number | null; reason?: string };
  cost: { model: string; before: number; after: number; speedup: number };
  layers: { before: number; after: number; byOp: OpTableRow[] };
  newLayers: readonly Provenance[];
  removed: readonly string[];
  verification: (VerifyResult & { skipped?: undefined }) | { skipped: string; pass?: undefined };
  times: StageTimes;
}

const DEFAULT_LIMITS: RunnerLimits = { iterations: 20, nodes: 100_000, timeMs: 10_000 };

function time<T>(fn: () => T): [T, number] {
  const t0 = performance.now();
  const r = fn();
  return [r, performance.now() - t0];
}

/**
 * Optimizes `network`: saturates its e-graph with the rules, extracts the cheapest equivalent
 * network under the cost model, lowers it (new layers added, displaced ones marked removed,
 * unchanged ones kept with their identity) and verifies it. The input is not mutated unless
 * `inPlace`. Resolves to the optimized network and the report.
 */
export async function optimize(network: Network, options: OptimizeOptions = {}): Promise<{ network: Network; report: OptimizeReport }> {
  const start = performance.now();
  const files = options.rules ? loadRuleFiles(options.rules) : shippedRuleFiles();
  const model = options.costModel ?? roofline(options.device ?? 'h100-sxm', options.symbolValues ? { symbolValues: options.symbolValues } : {});
  network.validate();
  const target = options.inPlace ? network : network.clone();
  const original = options.inPlace && options.verify !== false ? network.clone() : network;
  const kept = (options.keepOutputs ?? []).map((name) => {
    const t = target.getTensor(name);
    if (!t || t.isDead()) throw new NetworkError(`keepOutputs names "${name}", which is not a live tensor of the network`, { where: name });
    return t;
  });

  // Nothing is mutated until the selection is known; then lowering runs as one transaction.
  const [ng, toEGraphMs] = time(() => networkToEGraph(target));
  const rewrites = compileRules(files, ng);
  const runner = new Runner(ng.egraph, rewrites, {
    limits: options.limits ?? DEFAULT_LIMITS,
    scheduler: options.scheduler === 'simple' ? new SimpleScheduler() : new BackoffScheduler(),
  });
  const [runReport, saturateMs] = time(() => runner.run());
  const t0 = performance.now();
  const roots = [...ng.roots, ...kept.map((t) => ng.classOf.get(t)!)];
  const ep = problemFromEGraph(ng.egraph, roots, tensorNodeCost(ng.egraph, ng.language, model));
  const selection = await extract(ep.problem, {
    ...(options.extractor ? { extractor: options.extractor } : {}),
    ...(options.extractTimeLimitMs !== undefined ? { timeLimitMs: options.extractTimeLimitMs } : {}),
  });
  const extractMs = performance.now() - t0;
  const chosen = new Map<number, number>();
  selection.choice.forEach((node, c) => {
    if (node >= 0) chosen.set(ep.classIdOf[c]!, ep.nodeIdOf[node]!);
  });
  const costBefore = networkCost(target, model);
  const [lowered, lowerMs] = time(() =>
    target.transaction(() => {
      const result = lowerSelection(target, ng, (c) => chosen.get(ng.egraph.find(c)), { keep: kept });
      target.validate();
      return result;
    }),
  );
  const costAfter = networkCost(target, model);
  const [verification, verifyMs] = time((): OptimizeReport['verification'] => {
    if (options.verify === false) return { skipped: 'verification was turned off' };
    return verifyEquivalent(original, target, typeof options.verify === 'object' ? options.verify : {});
  });
  const rules = rewrites.map((r) => ({
    name: r.name,
    matches: runReport.iterations.reduce((n, it) => n + (it.matches[r.name] ?? 0), 0),
    applied: runReport.iterations.reduce((n, it) => n + (it.applied[r.name] ?? 0), 0),
  }));
  const report: OptimizeReport = {
    runner: runReport,
    rules,
    egraph: { eclasses: ng.egraph.classCount, enodes: ng.egraph.nodeCount },
    extraction: {
      extractor: selection.extractor,
      status: selection.status,
      cost: selection.cost,
      gap: selection.gap,
      ...(selection.reason ? { reason: selection.reason } : {}),
    },
    cost: { model: model.name, before: costBefore, after: costAfter, speedup: costAfter > 0 ? costBefore / costAfter : 1 },
    layers: { before: original.layers.length, after: target.layers.length, byOp: opTableRows(original, target) },
    newLayers: lowered.newLayers,
    removed: lowered.removed,
    verification,
    times: { toEGraphMs, saturateMs, extractMs, lowerMs, verifyMs, totalMs: performance.now() - start },
  };
  return { network: target, report };
}
