import { describe, expect, it } from 'vitest';
import type { Analysis } from '../../src/egraph/analysis.js';
import { toDot } from '../../src/egraph/dot.js';
import { EGraph } from '../../src/egraph/egraph.js';
import { extractSmallest } from '../../src/egraph/extract-smallest.js';
import { SymbolLanguage } from '../../src/egraph/language.js';
import { rewrite } from '../../src/egraph/rewrite.js';
import { Runner } from '../../src/egraph/runner.js';
import { formatTerm } from '../../src/egraph/term.js';

// The code of docs/egraph.md.
const ops: Record<string, number> = { '+': 2, '*': 2, x: 0, y: 0 };
for (let n = -10; n <= 100; n++) ops[String(n)] = 0;
const arith = new SymbolLanguage(ops, 'arith');

const constant: Analysis<number | null> = {
  make(egraph, node) {
    const name = arith.format(egraph.nodeOp(node));
    if (egraph.nodeArity(node) === 0) return /^-?\d+$/.test(name) ? Number(name) : null;
    const [a, b] = [egraph.data(egraph.nodeChild(node, 0)), egraph.data(egraph.nodeChild(node, 1))];
    if (a === null || b === null) return null;
    return name === '+' ? a + b : a * b;
  },
  merge(a, b) {
    const data = a ?? b;
    return { data, changedFirst: data !== a, changedSecond: data !== b };
  },
  modify(egraph, id) {
    const value = egraph.data(id);
    if (value === null || value < -10 || value > 100) return;
    egraph.union(id, egraph.add(arith.resolve(String(value), 0).op));
  },
};

const rules = [
  rewrite<number | null>(arith, 'comm-add', '(+ ?a ?b)', '(+ ?b ?a)'),
  rewrite<number | null>(arith, 'comm-mul', '(* ?a ?b)', '(* ?b ?a)'),
  rewrite<number | null>(arith, 'zero-add', '(+ ?a 0)', '?a'),
  rewrite<number | null>(arith, 'one-mul', '(* ?a 1)', '?a'),
  rewrite<number | null>(arith, 'zero-mul', '(* ?a 0)', '0'),
];

describe('the tutorial', () => {
  it('folds constants, saturates and extracts the smallest term', () => {
    const egraph = new EGraph(arith, { analysis: constant });
    const root = egraph.addExpr('(+ (* x (+ 1 -1)) (* y (* 2 3)))');
    const report = new Runner(egraph, rules, { limits: { iterations: 10, nodes: 10_000 } }).run();
    expect(report.stopReason).toBe('saturated');
    egraph.checkInvariants();
    const { term, size } = extractSmallest(egraph, root);
    expect(size).toBe(3);
    expect(['(* y 6)', '(* 6 y)']).toContain(formatTerm(arith, term));
    expect(egraph.data(egraph.addExpr('(* 2 3)'))).toBe(6);
  });

  it('draws one DOT cluster per e-class', () => {
    const egraph = new EGraph(arith);
    egraph.addExpr('(+ x (* y 2))');
    egraph.rebuild();
    const dot = toDot(egraph);
    expect(dot.match(/subgraph cluster_/g)?.length).toBe(egraph.classCount);
    expect(dot).toContain('lhead=cluster_');
  });

  it('applies conditional rules and TypeScript appliers', () => {
    const egraph = new EGraph(arith, { analysis: constant });
    const root = egraph.addExpr('(+ x (* y 0))');
    const fold = rewrite<number | null>(arith, 'fold', '(* ?a ?b)', (g, m) => (m.data('?b') === 0 ? g.add(arith.resolve('0', 0).op) : null));
    const dropZero = rewrite<number | null>(arith, 'drop-zero', '(+ ?a ?b)', '?a', { condition: (m) => m.data('?b') === 0 });
    new Runner(egraph, [fold, dropZero]).run();
    expect(egraph.find(root)).toBe(egraph.find(egraph.addExpr('x')));
  });
});
