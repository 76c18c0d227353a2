/**
 * The main job, end to end: network → e-graph → saturation → extraction → lowering → verification,
 * with a report of every stage. Only strings the rooms together.
 */
import { performance } from 'node:perf_hooks';
import type { CostModel } from './cost/cost-model.js';
import type { DeviceId } from './cost/device.js';
import { roofline } from './cost/roofline.js';
import type { RunReport, RunnerLimits } from './egraph/runner.js';
import { DEFAULT_LIMITS, saturateEGraph } from './tensor/saturate.js';
import { DEFAULT_MAX_MEMORY_BYTES, memoryNow, peakRssBytes, requireVerificationFits, saturationMemoryBytes, saturationStops } from './budget.js';
import type { SkippedMatches } from './tensor/compile-rules.js';
import { extract } from './extract/extract.js';
import { chosenNodes, problemFromEGraph } from './extract/from-egraph.js';
import type { ExtractorName } from './extract/selection.js';
import type { ExportTarget } from './io/onnx/emit.js';
import { writeNetworkFile } from './io/network-file.js';
import { findCulprits, smallestFailing, suspectRules } from './heal.js';
import { checkVerifiable, unrunnableLayer, verifyOptimized, verifyOptimizedSync } from './verification.js';
import type { VerificationOptions } from './verification.js';
import { lowerSelection } from './lower/from-selection.js';
import { networkToEGraph } from './lower/to-egraph.js';
import type { NetworkEGraph } from './lower/to-egraph.js';
import type { NodeCostFunction } from './extract/from-egraph.js';
import type { Selection } from './extract/selection.js';
import { extractDag } from './extract/dag-greedy.js';
import { extractTree } from './extract/tree-greedy.js';
import { NetsatError, NetworkError, VerificationError } from './errors.js';
import type { Network } from './network/network.js';
import type { Tensor } from './network/tensor.js';
import { opCounts, opTableRows } from './report/op-table.js';
import type { Healing, OptimizeReport, ProofStep, StageName, StageProfile, VerificationReport } from './report/optimize-report.js';
import { tensorNodeCost, tensorSharedCost } from './tensor/cost.js';
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
  /** Saturation limits; default 20 iterations, 100 000 e-nodes, 10 s, and `maxMemoryBytes`. */
  limits?: RunnerLimits;
  /**
   * The run's memory budget, in bytes of the process's resident memory (default 1 GiB): saturation
   * stops there with what it found, and a check that would not fit is skipped; report.budget says
   * what stopped.
   */
  maxMemoryBytes?: number;
  /** Ordinary rules' schedule (default backoff); multi-pattern rules search in the first iterations only. */
  scheduler?: 'simple' | 'backoff';
  /**
   * Check the result against the input on several seeded input sets (symbolic dims bound to
   * distinct values): true, false, or options (seed, sets, tolerances, symbol values, or `inputs`:
   * input sets of your own, checked instead of seeded ones). Default: true.
   */
  verify?: boolean | VerificationOptions;
  /**
   * When the check fails: 'heal' (default) finds the rules that broke the result by bisection and
   * returns the verified result without them (report.healing names them); 'throw' throws a
   * VerificationError. Either way no unverified network is returned, and `inPlace` rolls back.
   */
  onUnsound?: 'heal' | 'throw';
  /** Where healing writes the smallest failing part of the input (network JSON), to turn into a test. */
  reproducerPath?: string;
  /** Rules left out of saturation: a name leaves out both directions, `name (reverse)` one. */
  disableRules?: readonly string[];
  /**
   * The ONNX form the result is checked in by onnxruntime, when the network has ops the reference
   * interpreter cannot run (default 'ort'; `optimize` only, `optimizeSync` reports it skipped).
   */
  target?: ExportTarget;
  /** Apply the result to `network` itself instead of a clone (default false). */
  inPlace?: boolean;
  /** Names of tensors that must survive as they are (they are kept as extraction roots). */
  keepOutputs?: readonly string[];
  /**
   * Record proofs so each new layer's provenance names the rules behind it (and `explain` can show
   * the proof). On by default: the proof record grows with the e-graph, and provenance reads it
   * without writing proofs out as terms.
   */
  explanations?: boolean;
  /** Called with the saturated e-graph and its node costs before extraction (to dump it, say). */
  onSaturated?: (ng: NetworkEGraph, nodeCost: NodeCostFunction) => void;
}

export interface OptimizeResult {
  network: Network;
  report: OptimizeReport;
}

/** Records stage `name`, begun at `t0`, with the memory at its end; returns its milliseconds. */
function record(stages: StageProfile[], name: StageName, t0: number): number {
  const ms = performance.now() - t0;
  stages.push({ stage: name, ms, ...memoryNow() });
  return ms;
}

/** Runs stage `name` and records it. */
function timed<T>(stages: StageProfile[], name: StageName, fn: () => T): T {
  const t0 = performance.now();
  const result = fn();
  record(stages, name, t0);
  return result;
}

/** Milliseconds of the stages named `names`. */
function msOf(stages: readonly StageProfile[], ...names: StageName[]): number {
  return stages.filter((s) => names.includes(s.stage)).reduce((ms, s) => ms + s.ms, 0);
}

/** Everything up to extraction: the saturated e-graph and the extraction problem over it. */
interface Saturated {
  options: OptimizeOptions;
  start: number;
  model: CostModel;
  target: Network;
  original: Network;
  kept: Tensor[];
  ng: NetworkEGraph;
  rewrites: readonly { name: string }[];
  skipped: SkippedMatches;
  runReport: RunReport;
  ep: ReturnType<typeof problemFromEGraph>;
  /** Each stage's time and memory, in order; later stages add theirs. */
  stages: StageProfile[];
}

/** `checkedByOnnxruntime`: how the result will be checked (undefined: it will not), for the memory the check needs kept aside. */
function saturate(network: Network, options: OptimizeOptions, checkedByOnnxruntime: boolean | undefined): Saturated {
  const start = performance.now();
  const files = options.rules ? loadRuleFiles(options.rules) : shippedRuleFiles();
  const model = options.costModel ?? roofline(options.device ?? 'h100-sxm', options.symbolValues ? { symbolValues: options.symbolValues } : {});
  network.validate();
  const target = options.inPlace ? network : network.clone();
  const original = options.inPlace && options.verify !== false ? network.clone() : network;
  const kept = (options.keepOutputs ?? []).map((name) => {
    const t = target.getTensor(name);
    if (!t || t.isDead())
      throw new NetworkError(`keepOutputs names "${name}", which is not a live tensor of the network`, {
        where: name,
        hint: 'name a tensor the network computes (netsat inspect lists them), as spelled there',
      });
    return t;
  });
  const explanations = options.explanations ?? true;

  // Nothing is mutated until the selection is known; then lowering runs as one transaction.
  const stages: StageProfile[] = [];
  const ng = timed(stages, 'to e-graph', () => networkToEGraph(target, { explanations }));
  const {
    rewrites,
    report: runReport,
    skipped,
  } = timed(stages, 'saturate', () =>
    saturateEGraph(ng, files, {
      limits: {
        ...(options.limits ?? DEFAULT_LIMITS),
        memoryBytes: options.limits?.memoryBytes ?? saturationMemoryBytes(network, maxMemory(options), checkedByOnnxruntime, verificationOptions(options)?.inputs),
      },
      ...(options.scheduler ? { scheduler: options.scheduler } : {}),
      ...(options.disableRules ? { disable: options.disableRules } : {}),
    }),
  );
  const nodeCost = tensorNodeCost(ng.egraph, ng.language, model);
  options.onSaturated?.(ng, nodeCost);
  const roots = [...ng.roots, ...kept.map((t) => ng.classOf.get(t)!)];
  const ep = timed(stages, 'extraction problem', () => problemFromEGraph(ng.egraph, roots, nodeCost, tensorSharedCost(ng.egraph, ng.language, model)));
  return { options, start, model, target, original, kept, ng, rewrites, runReport, skipped, ep, stages };
}

function maxMemory(options: OptimizeOptions): number {
  return options.maxMemoryBytes ?? DEFAULT_MAX_MEMORY_BYTES;
}

/** Proof steps kept per new layer: proofs through shared structure can be exponentially long written out. */
const PROOF_STEPS_KEPT = 200;

/** The rules behind `node` of class `cls` and the first steps of its proof from the original term of `cls` (if it had one). */
function proofOf(ng: NetworkEGraph, originalNode: ReadonlyMap<number, number>, cls: number, node: number): { rules: string[]; steps: ProofStep[] } {
  const from = originalNode.get(cls);
  if (from === undefined || !ng.egraph.explainer) return { rules: [], steps: [] };
  const steps = ng.egraph.briefProof(from, node, PROOF_STEPS_KEPT).map((s) => ({ rule: s.rule, direction: s.direction, op: ng.language.format(s.op, s.payload) }));
  return { rules: ng.egraph.proofRules(from, node), steps };
}

/** Extraction onwards: lower the selection and collect the report (verification is the caller's). */
function finish(s: Saturated, selection: Selection): OptimizeResult & { original: Network } {
  const { model, target, original, kept, ng, ep, runReport } = s;
  const chosen = chosenNodes(ep, selection.choice);
  const originalNode = new Map<number, number>();
  for (const node of ng.layerOfNode.keys()) if (!originalNode.has(ng.egraph.find(node))) originalNode.set(ng.egraph.find(node), node);
  // Lowering asks for the rules of each new layer just before recording it, so proofs line up with newLayers.
  const proofsInOrder: ProofStep[][] = [];
  const rulesFor = (cls: number): string[] => {
    const { rules, steps } = proofOf(ng, originalNode, ng.egraph.find(cls), chosen.get(ng.egraph.find(cls))!);
    proofsInOrder.push(steps);
    return rules;
  };
  // Counted before lowering: in place without verification, `original` is `target` itself.
  const costBefore = networkCost(target, model);
  const opsBefore = opCounts(target);
  const layersBefore = target.layers.length;
  const lowered = timed(s.stages, 'lower', () =>
    target.transaction(() => {
      const result = lowerSelection(target, ng, (c) => chosen.get(ng.egraph.find(c)), { keep: kept, rulesFor });
      target.validate();
      return result;
    }),
  );
  const costAfter = networkCost(target, model);
  const rules = s.rewrites.map((r) => ({
    name: r.name,
    matches: runReport.iterations.reduce((n, it) => n + (it.matches[r.name] ?? 0), 0),
    applied: runReport.iterations.reduce((n, it) => n + (it.applied[r.name] ?? 0), 0),
    ms: runReport.iterations.reduce((n, it) => n + (it.ruleMs[r.name] ?? 0), 0),
    enodes: runReport.iterations.reduce((n, it) => n + (it.added[r.name] ?? 0), 0),
    undecided: s.skipped.undecided.get(r.name) ?? 0,
    mistyped: s.skipped.mistyped.get(r.name) ?? 0,
  }));
  const proofs: Record<string, ProofStep[]> = {};
  lowered.newLayers.forEach((p, i) => {
    if (proofsInOrder[i]?.length) proofs[p.layer] = proofsInOrder[i]!;
  });
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
    layers: { before: layersBefore, after: target.layers.length, byOp: opTableRows(opsBefore, opCounts(target)) },
    newLayers: lowered.newLayers,
    proofs,
    removed: lowered.removed,
    verification: { skipped: 'turned off (--no-verify, or verify: false)' },
    budget: { maxMemoryBytes: maxMemory(s.options), peakRssBytes: 0, stops: saturationStops(runReport) },
    times: {
      toEGraphMs: msOf(s.stages, 'to e-graph'),
      saturateMs: msOf(s.stages, 'saturate'),
      extractMs: msOf(s.stages, 'extraction problem', 'extract'),
      lowerMs: msOf(s.stages, 'lower'),
      verifyMs: 0,
      totalMs: performance.now() - s.start,
    },
    stages: s.stages,
  };
  return { network: target, report, original };
}

/** The verification options optimize's `verify` stands for (undefined: turned off). */
function verificationOptions(options: OptimizeOptions): VerificationOptions | undefined {
  return options.verify === false ? undefined : typeof options.verify === 'object' ? options.verify : {};
}

/** `result` with the check begun at `t0` recorded in its report, and the run's peak memory. */
function withCheck(result: OptimizeResult, verification: VerificationReport, t0: number): OptimizeResult {
  const ms = record(result.report.stages, 'verify', t0);
  result.report.verification = verification;
  result.report.times.verifyMs = ms;
  result.report.times.totalMs += ms;
  result.report.budget.peakRssBytes = peakRssBytes();
  return result;
}

/** `check()`, when it fits in the memory budget; a BudgetError (no unchecked result) when it does not. */
function checkWithinBudget<T>(original: Network, options: OptimizeOptions, byOnnxruntime: boolean, check: () => T): T {
  requireVerificationFits(original, byOnnxruntime, maxMemory(options), verificationOptions(options)?.inputs);
  return check();
}

/**
 * Fails before any work when the check the run ends with cannot run on `network` (an op no runtime
 * knows, a tensor no array can hold) or already does not fit the memory budget: the same errors
 * the check would give after a whole saturation.
 */
function checkBeforehand(network: Network, options: OptimizeOptions, byOnnxruntime: boolean): void {
  const vo = verificationOptions(options);
  if (!vo) return;
  checkVerifiable(network, vo);
  requireVerificationFits(network, byOnnxruntime, maxMemory(options), vo.inputs);
}

function unsoundError(result: OptimizeResult): VerificationError {
  const v = result.report.verification;
  if (v.pass !== false) throw new Error('unsoundError called on a verified result');
  const o = v.outputs.find((x) => !x.pass)!;
  const set = v.sets[o.set]!;
  const sizes = Object.entries(set.symbolValues)
    .map(([k, n]) => `${k}=${n}`)
    .join(', ');
  const how = o.problem ?? `${o.mismatches} values differ, max abs error ${o.maxAbsError.toExponential(2)}`;
  return new VerificationError(`the optimized network does not compute what the input computed: output "${o.name}": ${how}`, v, {
    where: `input set ${o.set + 1} (seed ${set.seed}${sizes ? `; ${sizes}` : ''})`,
    hint: "a rule does not hold on this network: optimize with onUnsound: 'heal' (the default) to find and leave it out, or name it in disableRules",
  });
}

/**
 * Optimizes `network` synchronously with a greedy extractor (tree or DAG; ILP needs `optimize`).
 * Same pipeline as `optimize`, checked by the reference interpreter only (networks it cannot run
 * are reported unverified); a failed check throws a VerificationError (no healing here) and rolls
 * an in-place run back. Used where the caller cannot await, such as a SaturationPass inside a
 * RewritePatternManager.
 */
export function optimizeSync(network: Network, options: OptimizeOptions = {}): OptimizeResult {
  if (options.extractor === 'ilp') {
    throw new NetsatError('the ILP extractor runs asynchronously and cannot be used by optimizeSync', {
      where: 'extractor: ilp',
      hint: 'await optimize() instead, or pick the tree or dag extractor',
    });
  }
  // The interpreter checks here, or nothing does (verifyOptimizedSync reports networks it cannot run skipped).
  const checked = verificationOptions(options) && !unrunnableLayer(network) ? false : undefined;
  if (checked === false) checkBeforehand(network, options, false);
  return network.transaction(() => {
    const s = saturate(network, options, checked);
    const selection = timed(s.stages, 'extract', () => (options.extractor === 'tree' ? extractTree : extractDag)(s.ep.problem));
    const { original, ...result } = finish(s, selection);
    const vo = verificationOptions(options);
    const t0 = performance.now();
    if (vo)
      withCheck(
        result,
        checkWithinBudget(original, options, false, () => verifyOptimizedSync(original, result.network, vo)),
        t0,
      );
    else result.report.budget.peakRssBytes = peakRssBytes();
    if (result.report.verification.pass === false) throw unsoundError(result);
    return result;
  });
}

/** One pass of the pipeline with its check, unhealed: the failed result is returned, not thrown. */
async function optimizeOnce(network: Network, options: OptimizeOptions): Promise<OptimizeResult> {
  const s = saturate(network, options, verificationOptions(options) ? unrunnableLayer(network) !== undefined : undefined);
  const t0 = performance.now();
  const selection = await extract(s.ep.problem, {
    ...(options.extractor ? { extractor: options.extractor } : {}),
    ...(options.extractTimeLimitMs !== undefined ? { timeLimitMs: options.extractTimeLimitMs } : {}),
  });
  record(s.stages, 'extract', t0);
  const { original, ...result } = finish(s, selection);
  const vo = verificationOptions(options);
  if (!vo) {
    result.report.budget.peakRssBytes = peakRssBytes();
    return result;
  }
  const t1 = performance.now();
  const verification = await checkWithinBudget(original, options, unrunnableLayer(original) !== undefined, () =>
    verifyOptimized(original, result.network, options.target ?? 'ort', vo),
  );
  return withCheck(result, verification, t1);
}

/**
 * Finds the rules that broke `failed` and returns the result without them, verified, with
 * report.healing; a VerificationError when no set of rules left out verifies (a bug elsewhere).
 */
async function healed(network: Network, options: OptimizeOptions, failed: OptimizeResult): Promise<OptimizeResult> {
  const copyOptions = { ...options, inPlace: false, onSaturated: undefined } as OptimizeOptions;
  const runs = new Map<string, OptimizeResult>();
  const without = async (off: readonly string[]) => {
    const key = [...off].sort().join('\n');
    if (!runs.has(key)) runs.set(key, await optimizeOnce(network, { ...copyOptions, disableRules: [...(options.disableRules ?? []), ...off] }));
    return runs.get(key)!;
  };
  let culprits: string[] | undefined;
  for (const suspects of suspectRules(failed.network, failed.report)) {
    culprits ??= await findCulprits(suspects, async (off) => (await without(off)).report.verification.pass !== false);
  }
  if (!culprits) throw unsoundError(failed);
  const reproducer = await smallestFailing(network, failed.report, culprits, async (part) => {
    const r = await optimizeOnce(part, { ...copyOptions, explanations: false }).catch((e) => (e instanceof NetsatError ? undefined : Promise.reject(e)));
    return r?.report.verification.pass === false;
  });
  if (options.reproducerPath) writeNetworkFile(options.reproducerPath, { network: reproducer });
  const result = await without(culprits);
  const healing: Healing = {
    culprits,
    runs: runs.size,
    failed: failed.report.verification,
    reproducer: { layers: reproducer.layers.length, ...(options.reproducerPath ? { path: options.reproducerPath } : {}) },
  };
  return { network: result.network, report: { ...result.report, healing } };
}

/**
 * Optimizes `network`: saturates its e-graph with the rules, extracts the cheapest equivalent
 * network under the cost model, lowers it (new layers added, displaced ones marked removed,
 * unchanged ones kept with their identity) and verifies it. The input is not mutated unless
 * `inPlace`. Resolves to the optimized network and the report. A result that fails verification
 * is never returned: it is healed (the default) or a VerificationError is thrown, and an in-place
 * run is rolled back first.
 */
export async function optimize(network: Network, options: OptimizeOptions = {}): Promise<OptimizeResult> {
  checkBeforehand(network, options, unrunnableLayer(network) !== undefined);
  if (!options.inPlace) {
    const result = await optimizeOnce(network, options);
    if (result.report.verification.pass !== false) return result;
    if (options.onUnsound === 'throw') throw unsoundError(result);
    return healed(network, options, result);
  }
  let failed: OptimizeResult | undefined;
  try {
    return await network.transactionAsync(async () => {
      const result = await optimizeOnce(network, options);
      if (result.report.verification.pass !== false) return result;
      // Kept as a copy: the rollback takes the layers of the failed result off the input.
      failed = { network: result.network.clone(), report: result.report };
      throw unsoundError(result);
    });
  } catch (e) {
    if (!failed || options.onUnsound === 'throw') throw e;
  }
  const cure = await healed(network, { ...options, inPlace: false }, failed);
  const culprits = cure.report.healing!.culprits;
  const inPlace = await optimize(network, { ...options, onUnsound: 'throw', disableRules: [...(options.disableRules ?? []), ...culprits] });
  return { network: inPlace.network, report: { ...inPlace.report, healing: cure.report.healing! } };
}
