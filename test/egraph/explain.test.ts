import { describe, expect, it } from 'vitest';
import { EGraph } from '../../src/egraph/egraph.js';
import type { Explanation } from '../../src/egraph/explain.js';
import { SymbolLanguage } from '../../src/egraph/language.js';
import { Pattern } from '../../src/egraph/pattern.js';
import { rewrite, type Rewrite } from '../../src/egraph/rewrite.js';
import { Runner } from '../../src/egraph/runner.js';
import { sameTerm, type Term } from '../../src/egraph/term.js';

type Binding = Map<number, Term>;

/** Whether `term` is an instance of pattern node i, extending `binding` (variable index → term). */
function matchTerm(pattern: Pattern, i: number, term: Term, binding: Binding): boolean {
  const v = pattern.varOf[i]!;
  if (v >= 0) {
    const bound = binding.get(v);
    if (bound) return sameTerm(bound, term);
    binding.set(v, term);
    return true;
  }
  const from = pattern.childStart[i]!;
  const arity = pattern.childStart[i + 1]! - from;
  if (term.op !== pattern.ops[i] || term.payload !== pattern.payloads[i] || term.children.length !== arity) return false;
  return term.children.every((child, k) => matchTerm(pattern, pattern.children[from + k]!, child, binding));
}

/** Pattern node i built under `binding` (variables named as in `names`, bound by name). */
function build(pattern: Pattern, i: number, byName: Map<string, Term>): Term {
  const v = pattern.varOf[i]!;
  if (v >= 0) return byName.get(pattern.vars[v]!)!;
  const from = pattern.childStart[i]!;
  const kids: Term[] = [];
  for (let k = from; k < pattern.childStart[i + 1]!; k++) kids.push(build(pattern, pattern.children[k]!, byName));
  return { op: pattern.ops[i]!, payload: pattern.payloads[i]!, children: kids };
}

/** Whether one application of lhs → rhs at some position turns `from` into `to`. */
function oneStep(lhs: Pattern, rhs: Pattern, from: Term, to: Term): boolean {
  const binding: Binding = new Map();
  if (matchTerm(lhs, lhs.root, from, binding)) {
    const byName = new Map([...binding].map(([v, t]) => [lhs.vars[v]!, t]));
    if (sameTerm(build(rhs, rhs.root, byName), to)) return true;
  }
  if (from.op !== to.op || from.payload !== to.payload || from.children.length !== to.children.length) return false;
  const differing = from.children.map((c, k) => !sameTerm(c, to.children[k]!));
  const count = differing.filter(Boolean).length;
  if (count !== 1) return false;
  const k = differing.indexOf(true);
  return oneStep(lhs, rhs, from.children[k]!, to.children[k]!);
}

function replays(explanation: Explanation, rules: readonly Rewrite[]): boolean {
  let current = explanation.start;
  for (const step of explanation.steps) {
    const rule = rules.find((r) => r.name === step.rule)!;
    const lhs = rule.searcher as Pattern;
    const rhs = rule.applier as Pattern;
    const ok = step.direction === 'forward' ? oneStep(lhs, rhs, current, step.term) : oneStep(lhs, rhs, step.term, current);
    if (!ok) return false;
    current = step.term;
  }
  return true;
}

const language = new SymbolLanguage();
const rules = [
  rewrite(language, 'comm-add', '(+ ?a ?b)', '(+ ?b ?a)'),
  rewrite(language, 'assoc-add', '(+ ?a (+ ?b ?c))', '(+ (+ ?a ?b) ?c)'),
  rewrite(language, 'comm-mul', '(* ?a ?b)', '(* ?b ?a)'),
  rewrite(language, 'one-mul', '(* ?a 1)', '?a'),
  rewrite(language, 'distribute', '(* ?a (+ ?b ?c))', '(+ (* ?a ?b) (* ?a ?c))'),
];

describe('explanations', () => {
  it('explain every pair of equal start terms by chains that replay rule by rule', () => {
    const egraph = new EGraph(language, { explanations: true });
    const texts = ['(+ x (+ y z))', '(+ (+ z y) x)', '(* 1 (+ y (+ x z)))', '(* (+ a b) c)', '(+ (* c b) (* a c))', '(+ x (* 1 y))', '(+ y x)'];
    const ids = texts.map((t) => egraph.addExpr(t));
    new Runner(egraph, rules, { limits: { iterations: 6 } }).run();
    let explained = 0;
    for (let i = 0; i < ids.length; i++) {
      for (let j = 0; j < ids.length; j++) {
        if (i === j || egraph.find(ids[i]!) !== egraph.find(ids[j]!)) continue;
        const explanation = egraph.explainEquivalence(ids[i]!, ids[j]!);
        expect(sameTerm(explanation.start, egraph.explainEquivalence(ids[i]!, ids[i]!).start)).toBe(true);
        expect(explanation.steps.length).toBeGreaterThan(0);
        expect(sameTerm(explanation.steps[explanation.steps.length - 1]!.term, egraph.explainEquivalence(ids[j]!, ids[j]!).start)).toBe(true);
        expect(replays(explanation, rules)).toBe(true);
        explained++;
      }
    }
    expect(explained).toBeGreaterThanOrEqual(8);
  });

  it('do not change what the runner finds', () => {
    const counts = (explanations: boolean) => {
      const egraph = new EGraph(language, { explanations });
      egraph.addExpr('(* (+ a b) (+ c (* d 1)))');
      const report = new Runner(egraph, rules, { limits: { iterations: 4 } }).run();
      return report.iterations.map((it) => [it.eclasses, it.enodes, it.matches]);
    };
    expect(counts(true)).toEqual(counts(false));
  });
});
