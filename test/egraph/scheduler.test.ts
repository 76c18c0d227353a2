import { describe, expect, it } from 'vitest';
import { EGraph } from '../../src/egraph/egraph.js';
import { SymbolLanguage } from '../../src/egraph/language.js';
import { rewrite } from '../../src/egraph/rewrite.js';
import { Runner } from '../../src/egraph/runner.js';
import { BackoffScheduler, SimpleScheduler } from '../../src/egraph/scheduler.js';

/** The iterations in `from .. to` in which the scheduler lets rule 0 be searched. */
function searched(scheduler: BackoffScheduler, from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i <= to; i++) if (scheduler.shouldSearch(i, 0)) out.push(i);
  return out;
}

describe('BackoffScheduler', () => {
  it('bans a rule that matches more than its threshold, for a span and a threshold that double with each ban', () => {
    const scheduler = new BackoffScheduler(10, 3);
    expect(scheduler.admit(0, 0, 10)).toBe(true); // at the limit: still admitted
    expect(scheduler.admit(0, 0, 11)).toBe(false); // first ban: 3 iterations
    expect(searched(scheduler, 1, 4)).toEqual([3, 4]);
    expect(scheduler.admit(3, 0, 20)).toBe(true); // the threshold is now 20
    expect(scheduler.admit(3, 0, 21)).toBe(false); // second ban: 6 iterations
    expect(searched(scheduler, 4, 10)).toEqual([9, 10]);
    expect(scheduler.admit(9, 0, 41)).toBe(false); // threshold 40, third ban: 12 iterations
    expect(searched(scheduler, 10, 22)).toEqual([21, 22]);
  });

  it('bans each rule on its own count', () => {
    const scheduler = new BackoffScheduler(5, 2);
    expect(scheduler.admit(0, 0, 6)).toBe(false);
    expect(scheduler.admit(0, 1, 5)).toBe(true);
    expect(scheduler.shouldSearch(1, 0)).toBe(false);
    expect(scheduler.shouldSearch(1, 1)).toBe(true);
  });

  it('does not let the run stop while a rule is banned, and brings the earliest ban to its end', () => {
    const scheduler = new BackoffScheduler(1, 8);
    scheduler.admit(0, 0, 2); // rule 0 banned until iteration 8
    scheduler.admit(0, 1, 2); // rule 1 likewise
    scheduler.admit(8, 1, 3); // rule 1 banned again, until iteration 24
    expect(scheduler.canStop(2)).toBe(false);
    // Both bans moved forward by as much: rule 0 is free at iteration 3, rule 1 at 19.
    expect(scheduler.shouldSearch(3, 0)).toBe(true);
    expect(scheduler.shouldSearch(18, 1)).toBe(false);
    expect(scheduler.shouldSearch(19, 1)).toBe(true);
    expect(scheduler.canStop(19)).toBe(true);
  });
});

describe('Runner with BackoffScheduler', () => {
  const language = new SymbolLanguage();
  const rules = [rewrite(language, 'comm-add', '(+ ?a ?b)', '(+ ?b ?a)')];
  const start = '(+ a (+ b (+ c d)))';

  it('drops a banned rule’s matches, does not call a quiet iteration saturated while the rule is banned, and ends as the simple scheduler does', () => {
    const egraph = new EGraph(language);
    egraph.addExpr(start);
    const report = new Runner(egraph, rules, { scheduler: new BackoffScheduler(2, 1) }).run();
    const trace = report.iterations.map((it) => [it.matches['comm-add'], it.applied['comm-add'], it.enodes]);
    expect(trace).toEqual([
      [3, 0, 7], // 3 matches > 2: banned, nothing applied, nothing changed, yet the run goes on
      [3, 3, 10], // unbanned with threshold 4: applied
      [6, 0, 10], // 6 > 4: banned again (span 2, brought forward since all else is quiet)
      [6, 0, 10], // threshold 8: admitted; every match is already there, so now it is saturated
    ]);
    expect(report.stopReason).toBe('saturated');

    const plain = new EGraph(language);
    plain.addExpr(start);
    const simple = new Runner(plain, rules, { scheduler: new SimpleScheduler() }).run();
    expect(simple.stopReason).toBe('saturated');
    expect(report.final).toEqual(simple.final);
  });

  it('skips searching a banned rule while other rules keep the run going', () => {
    const grow = rewrite(language, 'grow', '(s ?x)', '(s (t ?x))');
    const egraph = new EGraph(language);
    egraph.addExpr(start);
    egraph.addExpr('(s z)');
    const report = new Runner(egraph, [...rules, grow], { scheduler: new BackoffScheduler(2, 2), limits: { iterations: 4 } }).run();
    // comm-add: banned at 0 for 2 iterations, so not searched at 1 (0 matches reported), searched at 2.
    expect(report.iterations.map((it) => it.matches['comm-add'])).toEqual([3, 0, 3, 6]);
    expect(report.stopReason).toBe('iteration_limit');
  });
});
