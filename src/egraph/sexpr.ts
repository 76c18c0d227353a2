import { PatternSyntaxError } from './errors.js';

/** A parsed s-expression; `column` is 1-based in the source text. */
export type SExpr =
  | { readonly kind: 'atom'; readonly text: string; readonly column: number }
  | { readonly kind: 'list'; readonly items: readonly SExpr[]; readonly column: number };

const DELIMITERS = new Set(['(', ')', ' ', '\t', '\n', '\r', ',', '=']);

/**
 * Parses one s-expression from `source` starting at `from` (0-based); returns it and the offset
 * just after it. Throws PatternSyntaxError with the column of the problem.
 */
export function parseSExprAt(source: string, from = 0): { expr: SExpr; next: number } {
  let pos = skipSpace(source, from);
  const stack: { items: SExpr[]; column: number }[] = [];
  for (;;) {
    if (pos >= source.length) {
      if (stack.length === 0) throw new PatternSyntaxError('expected a term, found the end of the text', source, pos + 1, 'write an atom such as x or a list such as (+ x y)');
      throw new PatternSyntaxError('unclosed "("', source, stack[stack.length - 1]!.column, 'add the missing ")"');
    }
    const ch = source[pos]!;
    let done: SExpr | undefined;
    if (ch === '(') {
      stack.push({ items: [], column: pos + 1 });
      pos++;
    } else if (ch === ')') {
      const open = stack.pop();
      if (!open) throw new PatternSyntaxError('unexpected ")"', source, pos + 1, 'remove it or add a matching "(" before it');
      if (open.items.length === 0) throw new PatternSyntaxError('empty list "()"', source, open.column, 'a list needs an op: (op child ...)');
      const head = open.items[0]!;
      if (head.kind === 'list') throw new PatternSyntaxError('a list must start with an op name, not a list', source, head.column, 'write (op child ...)');
      done = { kind: 'list', items: open.items, column: open.column };
      pos++;
    } else if (DELIMITERS.has(ch)) {
      throw new PatternSyntaxError(`unexpected "${ch}"`, source, pos + 1);
    } else {
      const begin = pos;
      while (pos < source.length && !DELIMITERS.has(source[pos]!)) pos++;
      done = { kind: 'atom', text: source.slice(begin, pos), column: begin + 1 };
    }
    if (done) {
      if (stack.length === 0) return { expr: done, next: pos };
      stack[stack.length - 1]!.items.push(done);
    }
    pos = skipSpace(source, pos);
  }
}

/** Parses `source` as exactly one s-expression. */
export function parseSExpr(source: string): SExpr {
  const { expr, next } = parseSExprAt(source);
  const rest = skipSpace(source, next);
  if (source[rest] === ')') throw new PatternSyntaxError('unexpected ")"', source, rest + 1, 'remove it or add a matching "(" before the term');
  if (rest < source.length) throw new PatternSyntaxError('unexpected text after the term', source, rest + 1, 'wrap several terms in one list, or remove the extra text');
  return expr;
}

/** The offset of the first non-space character at or after `pos`. */
export function skipSpace(source: string, pos: number): number {
  while (pos < source.length && /\s/.test(source[pos]!)) pos++;
  return pos;
}

/** The head symbol and children of an s-expression (an atom is a head with no children). */
export function headOf(expr: SExpr): { head: string; column: number; children: readonly SExpr[] } {
  if (expr.kind === 'atom') return { head: expr.text, column: expr.column, children: [] };
  const head = expr.items[0] as Extract<SExpr, { kind: 'atom' }>;
  return { head: head.text, column: head.column, children: expr.items.slice(1) };
}
