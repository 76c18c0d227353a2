import { AppliedSet } from './applied-set.js';
import { Locality } from './locality.js';
import type { EGraph } from './egraph.js';
import { Matcher } from './machine.js';
import { MatchList } from './match-list.js';
import type { Rewrite } from './rewrite.js';
import { SimpleScheduler, type Scheduler } from './scheduler.js';

/** Why a run stopped. */
export type StopReason = 'saturated' | 'iteration_limit' | 'node_limit' | 'class_limit' | 'time_limit' | 'memory_limit' | 'stopped_by_hook';

/** Limits of a run; leave one out for no limit. Checked inside iterations, not only between them. */
export interface RunnerLimits {
  /** Most iterations to run. */
  readonly iterations?: number;
  /** Most e-nodes (distinct, as the hash-cons counts them). */
  readonly nodes?: number;
  /** Most e-classes. */
  readonly classes?: number;
  /** Most milliseconds of wall time for the whole run. */
  readonly timeMs?: number;
  /** Most bytes of the process's resident memory, checked with the time limit. */
  readonly memoryBytes?: number;
}

/** What one iteration did. */
export interface IterationReport {
  readonly iteration: number;
  /** Counts after the iteration's rebuild. */
  readonly eclasses: number;
  readonly enodes: number;
  /** Matches found per rule (before conditions, and before skipping repeats). */
  readonly matches: Readonly<Record<string, number>>;
  /** Unions that changed something, per rule. */
  readonly applied: Readonly<Record<string, number>>;
  /** Milliseconds spent searching and applying, per rule searched. */
  readonly ruleMs: Readonly<Record<string, number>>;
  /** E-nodes the rule's applications added (before the rebuild merged any), per rule applied. */
  readonly added: Readonly<Record<string, number>>;
  readonly searchMs: number;
  readonly applyMs: number;
  readonly rebuildMs: number;
  readonly totalMs: number;
}

export interface RunReport {
  readonly stopReason: StopReason;
  readonly iterations: readonly IterationReport[];
  readonly initial: { readonly eclasses: number; readonly enodes: number };
  readonly final: { readonly eclasses: number; readonly enodes: number };
  readonly totalMatches: number;
  readonly totalMs: number;
}

export interface RunnerHooks<D> {
  /** Before each iteration; return false to stop the run ('stopped_by_hook'). */
  // biome-ignore lint/suspicious/noConfusingVoidType: a hook may return nothing to go on
  readonly beforeIteration?: (egraph: EGraph<D>, iteration: number) => boolean | void;
  /** After each iteration's rebuild; return false to stop the run. */
  // biome-ignore lint/suspicious/noConfusingVoidType: a hook may return nothing to go on
  readonly afterIteration?: (egraph: EGraph<D>, report: IterationReport) => boolean | void;
}

export interface RunnerOptions<D> {
  readonly limits?: RunnerLimits;
  /** Default: SimpleScheduler. */
  readonly scheduler?: Scheduler;
  readonly hooks?: RunnerHooks<D>;
  /**
   * Skip a (rule, canonical match) already applied in an earlier iteration: it would build nothing
   * new, so the e-graphs and counts are the same. Off by default: here re-applying such a match is
   * a few hash-cons lookups, no dearer than the set lookup that would skip it, and keeping the set
   * current costs more than it saves (measured in bench/results/egraph.md).
   */
  readonly skipRepeats?: boolean;
  /**
   * Keeps expanding rules local (see Locality): their matches must not look through a tensor the
   * input network uses more than once. Default false.
   */
  readonly locality?: boolean;
}

const TIME_CHECK_EVERY = 1023;

/**
 * Equality saturation: search every rule against the clean e-graph, apply all matches, rebuild;
 * repeat until an iteration changes nothing or a limit is hit. Node and class limits are checked
 * after every application, the time limit every thousand applications and inside searches, so a
 * run stops close to any limit and never hangs.
 */
export class Runner<D = undefined> {
  readonly egraph: EGraph<D>;
  readonly rules: readonly Rewrite<D>[];
  private readonly limits: RunnerLimits;
  private readonly scheduler: Scheduler;
  private readonly hooks: RunnerHooks<D>;
  private readonly applied: AppliedSet[] | undefined;
  private readonly matches: MatchList[];
  private readonly local: boolean;
  private locality: Locality | undefined;
  private readonly iterations: IterationReport[] = [];
  private deadline = Infinity;
  private stop: StopReason | undefined;

  constructor(egraph: EGraph<D>, rules: readonly Rewrite<D>[], options: RunnerOptions<D> = {}) {
    this.egraph = egraph;
    this.rules = rules;
    this.limits = options.limits ?? {};
    this.scheduler = options.scheduler ?? new SimpleScheduler();
    this.hooks = options.hooks ?? {};
    this.applied = options.skipRepeats !== true ? undefined : rules.map((r) => new AppliedSet(r.width));
    this.matches = rules.map((r) => new MatchList(r.width));
    this.local = options.locality ?? false;
  }

  /** Runs to saturation or a limit; returns the report. The e-graph is left rebuilt and compacted. */
  run(): RunReport {
    const started = performance.now();
    if (this.limits.timeMs !== undefined) this.deadline = started + this.limits.timeMs;
    const egraph = this.egraph;
    egraph.rebuild();
    const initial = { eclasses: egraph.classCount, enodes: egraph.nodeCount };
    this.locality = this.local ? new Locality(egraph as EGraph<unknown>) : undefined;
    let totalMatches = 0;
    this.stop = undefined;
    for (let i = 0; this.stop === undefined; i++) {
      if (this.limits.iterations !== undefined && i >= this.limits.iterations) {
        this.stop = 'iteration_limit';
        break;
      }
      if (this.hooks.beforeIteration?.(egraph, i) === false) {
        this.stop = 'stopped_by_hook';
        break;
      }
      const report = this.iterate(i);
      this.iterations.push(report);
      for (const rule of this.rules) totalMatches += report.matches[rule.name] ?? 0;
      if (this.hooks.afterIteration?.(egraph, report) === false && this.stop === undefined) this.stop = 'stopped_by_hook';
    }
    // What the run left behind (duplicates, spare capacity) is freed before the e-graph is handed back.
    egraph.compact();
    return {
      stopReason: this.stop!,
      iterations: this.iterations,
      initial,
      final: { eclasses: egraph.classCount, enodes: egraph.nodeCount },
      totalMatches,
      totalMs: performance.now() - started,
    };
  }

  private iterate(iteration: number): IterationReport {
    const egraph = this.egraph;
    const t0 = performance.now();
    const matches: Record<string, number> = {};
    const applied: Record<string, number> = {};
    const ruleMs: Record<string, number> = {};
    const added: Record<string, number> = {};
    const matcher = new Matcher(egraph);
    matcher.deadline = this.deadline;
    matcher.memoryBytes = this.limits.memoryBytes ?? Infinity;
    this.rules.forEach((rule, r) => {
      const list = this.matches[r]!;
      list.clear();
      matches[rule.name] = 0;
      if (this.stop !== undefined || !this.scheduler.shouldSearch(iteration, r)) return;
      const started = performance.now();
      matcher.search(rule.program, list);
      ruleMs[rule.name] = performance.now() - started;
      if (matcher.timedOut) this.stop = matcher.stoppedBy === 'memory' ? 'memory_limit' : 'time_limit';
      matches[rule.name] = list.count;
      if (!this.scheduler.admit(iteration, r, list.count)) list.clear();
    });
    const t1 = performance.now();
    const nodesBefore = egraph.store.count;
    let unions = 0;
    // Bring the applied matches to the ids of the e-graph just searched, before any union of this iteration.
    if (this.stop === undefined && this.applied) for (const seen of this.applied) seen.canonicalize(egraph);
    if (this.stop === undefined) {
      this.rules.forEach((rule, r) => {
        if (this.stop !== undefined) return;
        const started = performance.now();
        const nodes = egraph.nodeCount;
        const n = this.applyRule(rule, r);
        if (this.matches[r]!.count > 0) {
          ruleMs[rule.name] = (ruleMs[rule.name] ?? 0) + performance.now() - started;
          added[rule.name] = egraph.nodeCount - nodes;
        }
        applied[rule.name] = n;
        unions += n;
      });
    }
    const t2 = performance.now();
    egraph.rebuild();
    const t3 = performance.now();
    for (const list of this.matches) list.release();
    if (this.stop === undefined) {
      if (unions === 0 && egraph.store.count === nodesBefore && this.scheduler.canStop(iteration)) this.stop = 'saturated';
      else if (!this.checkSizeLimits()) this.checkTime();
    }
    return {
      iteration,
      eclasses: egraph.classCount,
      enodes: egraph.nodeCount,
      matches,
      applied,
      ruleMs,
      added,
      searchMs: t1 - t0,
      applyMs: t2 - t1,
      rebuildMs: t3 - t2,
      totalMs: t3 - t0,
    };
  }

  /** Applies rule r's matches; returns the unions that changed something. */
  private applyRule(rule: Rewrite<D>, r: number): number {
    const egraph = this.egraph;
    const list = this.matches[r]!;
    const seen = this.applied?.[r];
    const { data, width } = list;
    const locality = this.locality;
    const local = locality !== undefined && rule.expanding;
    const inner = 1 + rule.program.vars.length;
    let changed = 0;
    for (let k = 0, offset = 0; k < list.count; k++, offset += width) {
      if (seen && !seen.addIfNew(data, offset)) continue;
      if (local && !locality.admits(data, offset, inner, width)) continue;
      changed += rule.apply(egraph, data, offset);
      if (this.checkSizeLimits() || ((k & TIME_CHECK_EVERY) === TIME_CHECK_EVERY && this.checkTime())) break;
    }
    return changed;
  }

  private checkSizeLimits(): boolean {
    const { nodes, classes } = this.limits;
    if (nodes !== undefined && this.egraph.nodeCount > nodes) this.stop = 'node_limit';
    else if (classes !== undefined && this.egraph.classCount > classes) this.stop = 'class_limit';
    return this.stop !== undefined;
  }

  /** The time limit, and the memory limit (reading the resident set costs a system call, so only this often). */
  private checkTime(): boolean {
    if (performance.now() > this.deadline) this.stop = 'time_limit';
    else if (this.limits.memoryBytes !== undefined && process.memoryUsage.rss() > this.limits.memoryBytes) this.stop = 'memory_limit';
    return this.stop !== undefined;
  }
}
