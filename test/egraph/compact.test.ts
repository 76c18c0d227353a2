import { describe, expect, it } from 'vitest';
import { EGraph } from '../../src/egraph/egraph.js';
import { SymbolLanguage } from '../../src/egraph/language.js';
import { rewrite } from '../../src/egraph/rewrite.js';
import { Runner } from '../../src/egraph/runner.js';

const language = new SymbolLanguage();
const rules = [rewrite(language, 'comm-add', '(+ ?a ?b)', '(+ ?b ?a)'), rewrite(language, 'assoc-add', '(+ ?a (+ ?b ?c))', '(+ (+ ?a ?b) ?c)')];

describe('compaction', () => {
  it('leaves a run with storage for its live nodes only, ids still valid', () => {
    const egraph = new EGraph(language);
    const start = egraph.addExpr('(+ a (+ b (+ c (+ d e))))');
    const other = egraph.addExpr('(+ (+ (+ (+ e d) c) b) a)');
    new Runner(egraph, rules).run();
    egraph.checkInvariants();
    expect(egraph.find(start)).toBe(egraph.find(other));

    const { store, parents, live } = egraph;
    const ids = store.count;
    expect(ids).toBeGreaterThan(egraph.nodeCount); // some nodes died as duplicates
    let liveChildren = 0;
    let parentPairs = 0;
    for (let n = 0; n < ids; n++) {
      if (live[n] !== 1) {
        expect(egraph.nodeArity(n)).toBe(0); // a dead node's children are gone
        continue;
      }
      const children = egraph.nodeChildren(n);
      liveChildren += children.length;
      parentPairs += new Set(children).size;
    }
    expect(store.children.length).toBe(liveChildren);
    expect(parents.size).toBe(parentPairs); // one parent cell per (child class, live node)
    for (const array of [store.ops, store.payloads, live, parents.last, parents.count]) expect(array.length).toBe(ids);

    const bytes = egraph.bytes;
    egraph.compact();
    expect(egraph.bytes).toBe(bytes);
  });

  it('lets adding and running go on after it', () => {
    const egraph = new EGraph(language);
    egraph.addExpr('(+ a (+ b c))');
    new Runner(egraph, rules).run();
    const later = egraph.addExpr('(+ c (+ b a))');
    const report = new Runner(egraph, rules).run();
    egraph.checkInvariants();
    expect(report.stopReason).toBe('saturated');
    expect(egraph.find(later)).toBe(egraph.find(egraph.addExpr('(+ a (+ b c))')));
  });
});
