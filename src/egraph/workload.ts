import { alignedLines } from '../text-table.js';
import { readFileSync } from 'node:fs';
import { EGraph } from './egraph.js';
import { WorkloadError } from './errors.js';
import { SymbolLanguage } from './language.js';
import { rewrite, type Rewrite } from './rewrite.js';
import { Runner, type RunReport, type StopReason } from './runner.js';

/** A workload of the egraph-workload/1 format (see ../shared/bench/egraph-workloads/README.md). */
export interface Workload {
  readonly name: string;
  readonly description: string;
  readonly rules: readonly { readonly name: string; readonly lhs: string; readonly rhs: string }[];
  readonly startTerms: readonly string[];
  readonly iterLimit: number | null;
  readonly nodeLimit: number | null;
  /** The file's `expected` object, as written (absent in user workloads). */
  readonly expected: unknown;
  /** The file's `egg_reference_timing.median_wall_ms`, when present. */
  readonly eggMedianMs: number | null;
}

/** Counts after one iteration, in the shape of the workload's `expected.per_iteration`. */
export interface WorkloadIteration {
  readonly iteration: number;
  readonly eclasses: number;
  readonly enodes: number;
  readonly matches: Readonly<Record<string, number>>;
  readonly applied: Readonly<Record<string, number>>;
  readonly search_ms: number;
  readonly apply_ms: number;
  readonly rebuild_ms: number;
}

/** The result of running a workload: the fields of its `expected`, plus total_ms. */
export interface WorkloadResult {
  readonly name: string;
  readonly stop_reason: StopReason;
  readonly iterations: number;
  readonly initial: { readonly eclasses: number; readonly enodes: number };
  readonly final: { readonly eclasses: number; readonly enodes: number };
  readonly total_matches: number;
  readonly per_iteration: readonly WorkloadIteration[];
  /** Wall time of building the e-graph, adding the start terms and running (rule parsing excluded, as egg's figure). */
  readonly total_ms: number;
}

export interface WorkloadRunOptions {
  /** Skip matches already applied in earlier iterations (same counts; see RunnerOptions.skipRepeats). Default false. */
  readonly skipRepeats?: boolean;
  /** Called with the saturated e-graph (for inspection, DOT output or extraction). */
  readonly onEGraph?: (egraph: EGraph) => void;
}

/** Reads and checks a workload file; throws WorkloadError saying what is wrong and where. */
export function loadWorkload(path: string): Workload {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new WorkloadError(`cannot read workload file: ${(error as Error).message}`, { where: path, hint: 'check the path' });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new WorkloadError(`workload file is not JSON: ${(error as Error).message}`, { where: path, hint: 'pass a workload of the egraph-workload/1 format (JSON)' });
  }
  return parseWorkload(json, path);
}

/** Checks a parsed egraph-workload/1 object; `source` names it in errors. */
export function parseWorkload(json: unknown, source: string): Workload {
  const fail = (what: string, field: string, hint?: string): never => {
    throw new WorkloadError(what, { where: `${source}: ${field}`, ...(hint ? { hint } : {}) });
  };
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return fail('a workload must be a JSON object', '(top level)');
  const w = json as Record<string, unknown>;
  if (w.format !== undefined && w.format !== 'egraph-workload/1') fail(`unsupported format "${String(w.format)}"`, 'format', 'this version reads "egraph-workload/1"');
  if (w.scheduler !== undefined && w.scheduler !== 'simple') fail(`unsupported scheduler "${String(w.scheduler)}"`, 'scheduler', 'workloads use "simple"');
  if (!Array.isArray(w.rules) || w.rules.length === 0) fail('"rules" must be a non-empty array', 'rules');
  const rules = (w.rules as unknown[]).map((r, i) => {
    const rule = r as Record<string, unknown>;
    for (const key of ['name', 'lhs', 'rhs']) if (typeof rule?.[key] !== 'string') fail(`rule ${i} needs a string "${key}"`, `rules[${i}].${key}`);
    return { name: rule.name as string, lhs: rule.lhs as string, rhs: rule.rhs as string };
  });
  if (!Array.isArray(w.start_terms) || !w.start_terms.every((t) => typeof t === 'string')) fail('"start_terms" must be an array of s-expression strings', 'start_terms');
  const limits = (w.limits ?? {}) as Record<string, unknown>;
  const limit = (key: string): number | null => {
    const v = limits[key];
    if (v === undefined || v === null) return null;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) return fail(`"${key}" must be a non-negative integer or null`, `limits.${key}`);
    return v;
  };
  const timing = w.egg_reference_timing as Record<string, unknown> | undefined;
  return {
    name: typeof w.name === 'string' ? w.name : source,
    description: typeof w.description === 'string' ? w.description : '',
    rules,
    startTerms: w.start_terms as string[],
    iterLimit: limit('iter_limit'),
    nodeLimit: limit('node_limit'),
    expected: w.expected,
    eggMedianMs: typeof timing?.median_wall_ms === 'number' ? timing.median_wall_ms : null,
  };
}

/** Parses a workload's rules over `language`, naming the rule in any error. */
export function workloadRules(workload: Workload, language: SymbolLanguage): Rewrite[] {
  return workload.rules.map((r, i) => {
    try {
      return rewrite(language, r.name, r.lhs, r.rhs);
    } catch (error) {
      throw new WorkloadError(`rule "${r.name}" is invalid: ${(error as Error).message}`, { where: `rules[${i}]` });
    }
  });
}

/**
 * Runs a workload the way egg's Runner with SimpleScheduler does (every rule searched against the
 * same clean e-graph, then applied in file order, then one rebuild) and reports the same fields as
 * its `expected`. This is the code path of the exact-count test, the benchmark and `netsat saturate`.
 */
export function runWorkload(workload: Workload, options: WorkloadRunOptions = {}): WorkloadResult {
  const language = new SymbolLanguage();
  const rules = workloadRules(workload, language);
  const started = performance.now();
  const egraph = new EGraph(language);
  for (const term of workload.startTerms) egraph.addExpr(term);
  const runner = new Runner(egraph, rules, {
    limits: { ...(workload.iterLimit !== null ? { iterations: workload.iterLimit } : {}), ...(workload.nodeLimit !== null ? { nodes: workload.nodeLimit } : {}) },
    ...(options.skipRepeats !== undefined ? { skipRepeats: options.skipRepeats } : {}),
  });
  const report = runner.run();
  const total = performance.now() - started;
  options.onEGraph?.(egraph);
  return toResult(workload.name, report, total);
}

/** Loads and runs a workload file: what `netsat saturate <workload.json>` calls. */
export function saturateWorkloadFile(path: string, options: WorkloadRunOptions = {}): WorkloadResult {
  return runWorkload(loadWorkload(path), options);
}

function toResult(name: string, report: RunReport, totalMs: number): WorkloadResult {
  return {
    name,
    stop_reason: report.stopReason,
    iterations: report.iterations.length,
    initial: report.initial,
    final: report.final,
    total_matches: report.totalMatches,
    per_iteration: report.iterations.map((it) => ({
      iteration: it.iteration,
      eclasses: it.eclasses,
      enodes: it.enodes,
      matches: it.matches,
      applied: it.applied,
      search_ms: it.searchMs,
      apply_ms: it.applyMs,
      rebuild_ms: it.rebuildMs,
    })),
    total_ms: totalMs,
  };
}

/** The human table of a workload result: one row per iteration, then the totals. */
export function formatWorkloadTable(result: WorkloadResult): string {
  const rules = Object.keys(result.per_iteration[0]?.matches ?? {});
  const header = ['iter', 'e-classes', 'e-nodes', 'matches', 'applied', 'search ms', 'apply ms', 'rebuild ms'];
  const rows = result.per_iteration.map((it) => [
    String(it.iteration),
    String(it.eclasses),
    String(it.enodes),
    String(rules.reduce((s, r) => s + (it.matches[r] ?? 0), 0)),
    String(rules.reduce((s, r) => s + (it.applied[r] ?? 0), 0)),
    it.search_ms.toFixed(2),
    it.apply_ms.toFixed(2),
    it.rebuild_ms.toFixed(2),
  ]);
  const perRule = rules.map((r) => `  ${r}: ${result.per_iteration.map((it) => it.matches[r] ?? 0).join(' ')}`);
  return [
    `${result.name}: ${result.stop_reason} after ${result.iterations} iterations in ${result.total_ms.toFixed(1)} ms`,
    `initial ${result.initial.eclasses} e-classes / ${result.initial.enodes} e-nodes; final ${result.final.eclasses} / ${result.final.enodes}; ${result.total_matches} matches`,
    ...alignedLines(header, rows, true).lines,
    'matches per rule, by iteration:',
    ...perRule,
  ].join('\n');
}
