import { describe, expect, it } from 'vitest';
import { EGraph } from '../../src/egraph/egraph.js';
import { SymbolLanguage } from '../../src/egraph/language.js';
import { rewrite } from '../../src/egraph/rewrite.js';
import { Runner } from '../../src/egraph/runner.js';

describe('Runner locality', () => {
  const language = new SymbolLanguage();
  const assoc = (expanding: boolean) => [rewrite(language, 'assoc', '(+ (+ ?a ?b) ?c)', '(+ ?a (+ ?b ?c))', { expanding })];

  /** s = ((a + b) + c) + d, with a + b also used by a product: a tensor with two users. */
  function chain(): { egraph: EGraph; sum: number } {
    const egraph = new EGraph(language);
    const sum = egraph.addExpr('(+ (+ (+ a b) c) d)');
    egraph.addExpr('(* (+ a b) e)');
    egraph.rebuild();
    return { egraph, sum };
  }
  const holds = (egraph: EGraph, expr: string, cls: number) => egraph.find(egraph.addExpr(expr)) === egraph.find(cls);

  it('keeps an expanding rule from looking through a tensor with several users', () => {
    const { egraph, sum } = chain();
    new Runner(egraph, assoc(true), { locality: true }).run();
    expect(holds(egraph, '(+ (+ a b) (+ c d))', sum)).toBe(true); // looked into (a+b)+c, used once
    expect(holds(egraph, '(+ a (+ b (+ c d)))', sum)).toBe(false); // would look into a+b, used twice
  });

  it('lets the same rule through when it is not expanding, or without locality', () => {
    for (const [rules, locality] of [
      [assoc(false), true],
      [assoc(true), false],
    ] as const) {
      const { egraph, sum } = chain();
      new Runner(egraph, rules, { locality }).run();
      expect(holds(egraph, '(+ a (+ b (+ c d)))', sum)).toBe(true);
    }
  });
});
