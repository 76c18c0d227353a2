import { describe, expect, it } from 'vitest';
import { EGraph } from '../../src/egraph/egraph.js';
import { ArityError, EGraphStateError, PatternSyntaxError, RuleError, UnknownOpError, WorkloadError } from '../../src/egraph/errors.js';
import { SymbolLanguage } from '../../src/egraph/language.js';
import { MultiPattern } from '../../src/egraph/multipattern.js';
import { Pattern } from '../../src/egraph/pattern.js';
import { rewrite } from '../../src/egraph/rewrite.js';
import { Runner } from '../../src/egraph/runner.js';
import { parseWorkload } from '../../src/egraph/workload.js';

const symbols = new SymbolLanguage();
const arith = new SymbolLanguage({ '+': 2, '*': 2, x: 0, y: 0, '0': 0, '1': 0 }, 'arith');

function syntaxError(text: string): PatternSyntaxError {
  try {
    Pattern.parse(symbols, text);
  } catch (error) {
    expect(error).toBeInstanceOf(PatternSyntaxError);
    return error as PatternSyntaxError;
  }
  throw new Error(`"${text}" parsed`);
}

describe('malformed patterns', () => {
  it.each([
    ['(+ ?a ?b', 1, 'unclosed'],
    ['(+ ?a ?b))', 10, 'unexpected ")"'],
    ['()', 1, 'empty list'],
    ['(+ ? ?b)', 4, 'needs a name'],
    ['((f x) y)', 2, 'must start with an op'],
    ['(f x) (g y)', 7, 'after the term'],
    ['', 1, 'end of the text'],
    ['(?f x)', 2, 'cannot take children'],
  ])('%s → column %i', (text, column, message) => {
    const error = syntaxError(text);
    expect(error.column).toBe(column);
    expect(error.message).toContain(message);
  });

  it('points into a multi-pattern at the faulty part', () => {
    expect(() => MultiPattern.parse(symbols, '?x = (f ?a), ?y (g ?a)')).toThrow(PatternSyntaxError);
    try {
      MultiPattern.parse(symbols, '?x = (f ?a), ?y (g ?a)');
    } catch (error) {
      expect((error as PatternSyntaxError).column).toBe(17);
    }
  });
});

describe('rules', () => {
  it('refuses a right side variable the left side does not bind, when the rule is created', () => {
    expect(() => rewrite(symbols, 'bad', '(+ ?a ?b)', '(+ ?a ?c)')).toThrow(RuleError);
    expect(() => rewrite(symbols, 'bad', '(+ ?a ?b)', '(+ ?a ?c)')).toThrow(/"bad".*\?c/);
  });

  it('refuses an unbound variable in a multi-pattern applier too', () => {
    expect(() => rewrite(symbols, 'bad-multi', '?x = (f ?a), ?y = (g ?a)', '?x = (h ?b)')).toThrow(RuleError);
  });

  it('names an unknown op and a wrong arity', () => {
    expect(() => Pattern.parse(arith, '(- ?a ?b)')).toThrow(UnknownOpError);
    expect(() => Pattern.parse(arith, '(- ?a ?b)')).toThrow(/"-"/);
    expect(() => Pattern.parse(arith, '(+ ?a)')).toThrow(ArityError);
    expect(() => Pattern.parse(arith, '(+ ?a)')).toThrow(/"\+" takes 2 children, got 1/);
    expect(() => new EGraph(arith).addExpr('(* x y z)')).toThrow(/"\*" takes 2/);
  });

  it('refuses a variable inside a term', () => {
    expect(() => new EGraph(symbols).addExpr('(f ?x)')).toThrow(PatternSyntaxError);
  });
});

describe('misuse', () => {
  it('refuses to read classes before rebuild', () => {
    const egraph = new EGraph(symbols);
    egraph.union(egraph.addExpr('(f a)'), egraph.addExpr('(f b)'));
    egraph.union(egraph.addExpr('a'), egraph.addExpr('b'));
    expect(() => egraph.classIds()).toThrow(EGraphStateError);
    egraph.rebuild();
    expect(egraph.classIds().length).toBe(2);
  });

  it('explains only when explanations are on', () => {
    const egraph = new EGraph(symbols);
    expect(() => egraph.explainEquivalence(egraph.addExpr('a'), egraph.addExpr('a'))).toThrow(/explanations are off/);
  });
});

describe('workload files', () => {
  it('says which field is wrong', () => {
    expect(() => parseWorkload({ rules: [] }, 'w.json')).toThrow(WorkloadError);
    expect(() => parseWorkload({ rules: [{ name: 'r', lhs: '?a' }], start_terms: [] }, 'w.json')).toThrow(/rules\[0\]\.rhs/);
    expect(() => parseWorkload({ rules: [{ name: 'r', lhs: '?a', rhs: '?a' }], start_terms: [], limits: { iter_limit: -1 } }, 'w.json')).toThrow(/limits\.iter_limit/);
    expect(() => parseWorkload([], 'w.json')).toThrow(/JSON object/);
  });
});

describe('runner limits', () => {
  // Commutativity and associativity of + on 12 leaves grow without bound for a long time.
  const leaves = Array.from({ length: 12 }, (_, i) => `x${i}`);
  const term = leaves.reduceRight((acc, leaf) => `(+ ${leaf} ${acc})`);
  const rules = [rewrite(symbols, 'comm', '(+ ?a ?b)', '(+ ?b ?a)'), rewrite(symbols, 'assoc', '(+ ?a (+ ?b ?c))', '(+ (+ ?a ?b) ?c)')];
  const start = () => {
    const egraph = new EGraph(symbols);
    egraph.addExpr(term);
    return egraph;
  };

  it('stops within 10% of a node limit', () => {
    const report = new Runner(start(), rules, { limits: { nodes: 20_000 } }).run();
    expect(report.stopReason).toBe('node_limit');
    expect(report.final.enodes).toBeLessThanOrEqual(22_000);
  });

  it('stops within 10% of a class limit', () => {
    const report = new Runner(start(), rules, { limits: { classes: 3_000 } }).run();
    expect(report.stopReason).toBe('class_limit');
    expect(report.final.eclasses).toBeLessThanOrEqual(3_300);
  });

  it('stops near a time limit (inside an iteration, not after it)', () => {
    const report = new Runner(start(), rules, { limits: { timeMs: 50 } }).run();
    expect(report.stopReason).toBe('time_limit');
    // Searches and applications check the clock; only the final rebuild runs past it.
    const last = report.iterations[report.iterations.length - 1]!;
    expect(last.searchMs + last.applyMs).toBeLessThan(report.totalMs);
  });

  it('runs exactly the iteration limit', () => {
    const report = new Runner(start(), rules, { limits: { iterations: 3 } }).run();
    expect(report.stopReason).toBe('iteration_limit');
    expect(report.iterations.length).toBe(3);
  });

  it('lets a hook stop the run', () => {
    const report = new Runner(start(), rules, { hooks: { afterIteration: (_, it) => it.iteration < 1 } }).run();
    expect(report.stopReason).toBe('stopped_by_hook');
    expect(report.iterations.length).toBe(2);
  });
});
