/**
 * Saturating a network's tensor e-graph with rule files: the rules compiled onto it, run under the
 * tensor schedule and limits. optimize(), the saturation tests and the benchmark share it.
 */
import { NetsatError } from '../errors.js';
import { Runner } from '../egraph/runner.js';
import type { RunReport, RunnerLimits } from '../egraph/runner.js';
import { BackoffScheduler, SimpleScheduler } from '../egraph/scheduler.js';
import type { Rewrite } from '../egraph/rewrite.js';
import type { RuleFile } from '../rules/ast.js';
import type { TensorData } from './analysis.js';
import { compileRules, noSkippedMatches } from './compile-rules.js';
import type { SkippedMatches } from './compile-rules.js';
import { TensorScheduler } from './scheduler.js';
import type { TensorEGraph } from './tensor-egraph.js';

/** Default saturation limits: 20 iterations, 100 000 e-nodes, 10 s. */
export const DEFAULT_LIMITS: RunnerLimits = { iterations: 20, nodes: 100_000, timeMs: 10_000 };

/**
 * Backoff's match limit per e-node of the input: a rule is banned when one search finds more than
 * this many matches per e-node the run started with. Scaled with the network, so a block of a deep
 * network is banned as late as the same block alone (egg's flat 1000 bans a 64-block network's rules
 * after a few blocks' worth of matches).
 */
export const MATCHES_PER_NODE = 12;

export interface SaturateOptions {
  limits?: RunnerLimits;
  /** Ordinary rules' schedule (default backoff); multi-pattern rules search in the first iterations only. */
  scheduler?: 'simple' | 'backoff';
  /** Rules left out: a rule's name leaves out both its directions, `name (reverse)` the backward one only. */
  disable?: readonly string[];
}

/** `rewrites` without the disabled ones; a name that is no rule's is a typo, and an error. */
function enabled(rewrites: Rewrite<TensorData>[], disable: readonly string[]): Rewrite<TensorData>[] {
  const base = (name: string) => name.replace(/ \(reverse\)$/, '');
  const known = new Set(rewrites.flatMap((r) => [r.name, base(r.name)]));
  const unknown = disable.filter((n) => !known.has(n));
  if (unknown.length > 0)
    throw new NetsatError(`no rule is named ${unknown.map((n) => `"${n}"`).join(', ')}`, {
      where: 'disabled rules',
      hint: 'name rules as their files do (netsat rules lists them)',
    });
  const off = new Set(disable);
  return rewrites.filter((r) => !off.has(r.name) && !off.has(base(r.name)));
}

export interface Saturation {
  rewrites: Rewrite<TensorData>[];
  report: RunReport;
  /** Per rule, matches skipped: a condition undecided here, or a right side of another type. */
  skipped: SkippedMatches;
}

export function saturateEGraph(ng: TensorEGraph, files: readonly RuleFile[], options: SaturateOptions = {}): Saturation {
  const skipped = noSkippedMatches();
  const rewrites = enabled(compileRules(files, ng, skipped), options.disable ?? []);
  const matchLimit = Math.max(100, MATCHES_PER_NODE * ng.egraph.nodeCount);
  const runner = new Runner(ng.egraph, rewrites, {
    limits: options.limits ?? DEFAULT_LIMITS,
    scheduler: new TensorScheduler(rewrites, options.scheduler === 'simple' ? new SimpleScheduler() : new BackoffScheduler(matchLimit)),
    locality: true,
  });
  return { rewrites, report: runner.run(), skipped };
}
