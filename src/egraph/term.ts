import type { EGraph } from './egraph.js';
import { PatternSyntaxError } from './errors.js';
import type { Language } from './language.js';
import { headOf, parseSExpr, type SExpr } from './sexpr.js';

/** A concrete term (a tree), as explanations and extractors hand back. */
export interface Term {
  readonly op: number;
  readonly payload: number;
  readonly children: readonly Term[];
}

/** Adds the s-expression `text` (no variables) to `egraph`; returns its class. */
export function addTerm<D>(egraph: EGraph<D>, text: string): number {
  const expr = parseSExpr(text);
  const visit = (e: SExpr): number => {
    const { head, column, children } = headOf(e);
    if (head.startsWith('?')) throw new PatternSyntaxError(`a term cannot hold the variable "${head}"`, text, column, 'use a pattern for variables, or name a constant');
    const { op, payload } = egraph.language.resolve(head, children.length, `column ${column} of "${text}"`);
    return egraph.add(op, payload, children.map(visit));
  };
  return visit(expr);
}

/** Prints a Term as an s-expression. */
export function formatTerm(language: Language, term: Term): string {
  const head = language.format(term.op, term.payload);
  return term.children.length === 0 ? head : `(${head} ${term.children.map((c) => formatTerm(language, c)).join(' ')})`;
}

/** Structural equality of two terms. */
export function sameTerm(a: Term, b: Term): boolean {
  return a.op === b.op && a.payload === b.payload && a.children.length === b.children.length && a.children.every((c, i) => sameTerm(c, b.children[i]!));
}
