import { describe, expect, it } from 'vitest';
import { EGraph } from '../../src/egraph/egraph.js';
import type { Explanation, ExplanationStep } from '../../src/egraph/explain.js';
import { SymbolLanguage } from '../../src/egraph/language.js';
import { Pattern } from '../../src/egraph/pattern.js';
import { rewrite, type Rewrite } from '../../src/egraph/rewrite.js';
import { Runner } from '../../src/egraph/runner.js';
import { sameTerm, type Term } from '../../src/egraph/term.js';

type Binding = Map<number, Term>;

const language = new SymbolLanguage();
const rules = [
  rewrite(language, 'comm-add', '(+ ?a ?b)', '(+ ?b ?a)'),
  rewrite(language, 'assoc-add', '(+ ?a (+ ?b ?c))', '(+ (+ ?a ?b) ?c)'),
  rewrite(language, 'comm-mul', '(* ?a ?b)', '(* ?b ?a)'),
  rewrite(language, 'one-mul', '(* ?a 1)', '?a'),
  rewrite(language, 'distribute', '(* ?a (+ ?b ?c))', '(+ (* ?a ?b) (* ?a ?c))'),
];

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

/** Adds a concrete term to `egraph`; returns its class. */
function addConcrete(egraph: EGraph, term: Term): number {
  return egraph.add(
    term.op,
    term.payload,
    term.children.map((c) => addConcrete(egraph, c)),
  );
}

/**
 * Whether `rule`, searched on a fresh e-graph holding only the `matched` terms and applied once
 * (whatever its applier), makes `left` and `right` equal: the step's rewrite, checked by re-running it.
 */
function ruleRelates(rule: Rewrite, matched: readonly Term[], left: Term, right: Term): boolean {
  const egraph = new EGraph(language);
  for (const t of matched) addConcrete(egraph, t);
  new Runner(egraph, [rule], { limits: { iterations: 1 } }).run();
  const l = addConcrete(egraph, left);
  const r = addConcrete(egraph, right);
  egraph.rebuild();
  return egraph.find(l) === egraph.find(r);
}

/** Whether `related` holds at some position where `from` and `to` differ, all else unchanged. */
function atOnePosition(from: Term, to: Term, related: (a: Term, b: Term) => boolean): boolean {
  if (related(from, to)) return true;
  if (from.op !== to.op || from.payload !== to.payload || from.children.length !== to.children.length) return false;
  const differing = from.children.flatMap((c, k) => (sameTerm(c, to.children[k]!) ? [] : [k]));
  return differing.length === 1 && atOnePosition(from.children[differing[0]!]!, to.children[differing[0]!]!, related);
}

/**
 * Whether every step replays: its rule, re-run on the terms it matched, rewrites one subterm of the
 * current term into the next (read the other way for a backward step). Plain pattern rules are
 * also checked syntactically, as one instance of lhs → rhs.
 */
function replays(explanation: Explanation, rules: readonly Rewrite[]): boolean {
  let current = explanation.start;
  for (const step of explanation.steps) {
    const rule = rules.find((r) => r.name === step.rule)!;
    const [from, to] = step.direction === 'forward' ? [current, step.term] : [step.term, current];
    if (!atOnePosition(from, to, (l, r) => ruleRelates(rule, step.matched, l, r))) return false;
    if (rule.searcher instanceof Pattern && rule.applier instanceof Pattern && !oneStep(rule.searcher, rule.applier, from, to)) return false;
    current = step.term;
  }
  return true;
}

/** Every pair of equal terms among `texts` after running `rules`: checks each chain; returns the steps seen. */
function explainAll(texts: readonly string[], rules: readonly Rewrite[], iterations: number): ExplanationStep[] {
  const egraph = new EGraph(language, { explanations: true });
  const ids = texts.map((t) => egraph.addExpr(t));
  new Runner(egraph, rules, { limits: { iterations } }).run();
  const seen: ExplanationStep[] = [];
  for (let i = 0; i < ids.length; i++) {
    for (let j = 0; j < ids.length; j++) {
      if (i === j || egraph.find(ids[i]!) !== egraph.find(ids[j]!)) continue;
      const explanation = egraph.explainEquivalence(ids[i]!, ids[j]!);
      expect(sameTerm(explanation.start, egraph.explainEquivalence(ids[i]!, ids[i]!).start)).toBe(true);
      expect(explanation.steps.length).toBeGreaterThan(0);
      expect(sameTerm(explanation.steps[explanation.steps.length - 1]!.term, egraph.explainEquivalence(ids[j]!, ids[j]!).start)).toBe(true);
      expect(replays(explanation, rules), `${texts[i]} = ${texts[j]}`).toBe(true);
      // The brief form and the rule set say the same as the full explanation, without building terms.
      const brief = explanation.steps.map((st) => ({ rule: st.rule, direction: st.direction, op: st.term.op, payload: st.term.payload }));
      expect(egraph.briefProof(ids[i]!, ids[j]!, Infinity)).toEqual(brief);
      expect(egraph.briefProof(ids[i]!, ids[j]!, 2)).toEqual(brief.slice(0, 2));
      expect(new Set(egraph.proofRules(ids[i]!, ids[j]!))).toEqual(new Set(brief.map((st) => st.rule)));
      seen.push(...explanation.steps);
    }
  }
  return seen;
}

describe('explanations', () => {
  it('explain every pair of equal start terms by chains that replay rule by rule', () => {
    const texts = ['(+ x (+ y z))', '(+ (+ z y) x)', '(* 1 (+ y (+ x z)))', '(* (+ a b) c)', '(+ (* c b) (* a c))', '(+ x (* 1 y))', '(+ y x)'];
    expect(explainAll(texts, rules, 6).length).toBeGreaterThanOrEqual(8);
  });

  it('replay steps of multi-pattern rules and TypeScript appliers from the terms they matched', () => {
    const op = (name: string, arity: number) => language.resolve(name, arity).op;
    const build = (egraph: EGraph, name: string, kids: number[]) => egraph.add(op(name, kids.length), 0, kids);
    const more: Rewrite[] = [
      ...rules,
      // TypeScript applier returning a bound class.
      rewrite(language, 'zero-add', '(+ ?a 0)', (_, m) => m.get('?a')),
      // TypeScript applier adding nodes.
      rewrite(language, 'double', '(* ?a 2)', (egraph, m) => build(egraph, '<<', [m.get('?a'), egraph.addExpr('1')])),
      // Multi-pattern searcher and applier: two products sharing a factor become one fused node.
      rewrite(language, 'pair-mul', '?x = (* ?a ?b), ?y = (* ?a ?c)', '?x = (fst (mul2 ?a ?b ?c)), ?y = (snd (mul2 ?a ?b ?c))'),
      // Multi-pattern searcher, TypeScript applier returning one class per part.
      rewrite(language, 'add-sub', '?x = (- ?a ?b), ?y = (/ ?a ?b)', (egraph, m) => {
        const both = build(egraph, 'subdiv', [m.get('?a'), m.get('?b')]);
        return [build(egraph, 'lo', [both]), build(egraph, 'hi', [both])];
      }),
      // Multi-pattern searcher, TypeScript applier returning one class for the first part.
      rewrite(language, 'square', '?x = (sq ?a), ?y = (abs ?a)', (egraph, m) => build(egraph, '*', [m.get('?y'), m.get('?y')])),
      // Multi-pattern applier rooted at a variable that is no part's root.
      rewrite(language, 'unfg', '?x = (f ?a), ?y = (g ?a)', '?a = (unfg ?x ?y)'),
    ];
    const texts = [
      '(+ 0 x)',
      'x',
      '(* y 2)',
      '(<< y 1)',
      '(+ (* p q) 0)',
      '(* p r)',
      '(fst (mul2 p q r))',
      '(snd (mul2 p q r))',
      '(- m n)',
      '(/ m n)',
      '(lo (subdiv m n))',
      '(hi (subdiv m n))',
      '(sq k)',
      '(abs k)',
      '(* (abs k) (abs k))',
      '(f w)',
      '(g w)',
      '(unfg (f w) (g w))',
      'w',
    ];
    const used = new Set(explainAll(texts, more, 4).map((step) => step.rule));
    for (const name of ['zero-add', 'double', 'pair-mul', 'add-sub', 'square', 'unfg']) expect(used, name).toContain(name);
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
