import { PatternSyntaxError } from './errors.js';
import type { Language } from './language.js';
import type { SearchPart } from './machine.js';
import { Pattern } from './pattern.js';
import { parseSExprAt, skipSpace } from './sexpr.js';

/**
 * Several patterns that must all match, joined on shared variables, each rooted at a named variable:
 * `?x = (matmul ?a ?b), ?y = (matmul ?a ?c)` finds two matmuls sharing their first input. As a
 * searcher, the match's root is the first part's class. As an applier, each part's pattern is built
 * and unioned with the class its root variable is bound to.
 */
export class MultiPattern {
  constructor(
    readonly parts: readonly (SearchPart & { readonly rootVar: string })[],
    readonly source: string,
  ) {}

  /** Parses `?v = pattern, ?w = pattern, ...`; throws PatternSyntaxError with the column. */
  static parse(language: Language, text: string): MultiPattern {
    const parts: (SearchPart & { rootVar: string })[] = [];
    let pos = skipSpace(text, 0);
    for (;;) {
      const varMatch = /^\?[^\s()=,]+/.exec(text.slice(pos));
      if (!varMatch) throw new PatternSyntaxError('expected a root variable such as ?x', text, pos + 1, 'write ?x = (op ...), ?y = (op ...)');
      const rootVar = varMatch[0];
      pos = skipSpace(text, pos + rootVar.length);
      if (text[pos] !== '=') throw new PatternSyntaxError(`expected "=" after ${rootVar}`, text, pos + 1);
      const { expr, next } = parseSExprAt(text, pos + 1);
      parts.push({ rootVar, pattern: Pattern.fromSExpr(language, text, expr) });
      pos = skipSpace(text, next);
      if (pos >= text.length) break;
      if (text[pos] !== ',') throw new PatternSyntaxError('expected "," between the parts of a multi-pattern', text, pos + 1);
      pos = skipSpace(text, pos + 1);
    }
    return new MultiPattern(parts, text);
  }

  /** Every variable of every part, root variables included, in order of first appearance. */
  get vars(): string[] {
    const vars: string[] = [];
    for (const { rootVar, pattern } of this.parts) for (const v of [rootVar, ...pattern.vars]) if (!vars.includes(v)) vars.push(v);
    return vars;
  }

  toString(): string {
    return this.source;
  }
}
