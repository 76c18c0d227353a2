/**
 * The saturation schedule for tensor rules: egg's backoff for ordinary rules, and TENSAT's limit
 * for multi-pattern rules (two projections sharing an input become one matmul), which search only
 * in the first iterations. A multi-pattern joins every pair (or triple) of matches, so left running
 * it dominates the run and floods the e-graph with merged variants of merged variants.
 */
import { MultiPattern } from '../egraph/multipattern.js';
import type { Scheduler } from '../egraph/scheduler.js';
import { BackoffScheduler } from '../egraph/scheduler.js';

/** Iterations in which multi-pattern rules search (TENSAT's k_multi). */
const MULTI_PATTERN_ITERATIONS = 2;

export class TensorScheduler implements Scheduler {
  readonly #multi: boolean[];

  constructor(
    rules: readonly { readonly searcher: unknown }[],
    readonly inner: Scheduler = new BackoffScheduler(),
    readonly multiPatternIterations = MULTI_PATTERN_ITERATIONS,
  ) {
    this.#multi = rules.map((r) => r.searcher instanceof MultiPattern);
  }

  shouldSearch(iteration: number, rule: number): boolean {
    if (this.#multi[rule] && iteration >= this.multiPatternIterations) return false;
    return this.inner.shouldSearch(iteration, rule);
  }

  admit(iteration: number, rule: number, matchCount: number): boolean {
    return this.inner.admit(iteration, rule, matchCount);
  }

  canStop(iteration: number): boolean {
    return this.inner.canStop(iteration);
  }
}
