/**
 * The syntax tree of a .rules file. The parser produces it, the checker validates it against the op
 * registry, the printer turns it back into canonical text, check-rules runs it on networks, and the
 * e-graph loader turns it into rewrites. Every node keeps its span in the file's text for errors.
 *
 * Semantics the consumers share:
 * - A left-side op pattern matches a node of that op whose attributes equal the given literals,
 *   bind the given attribute variables, and equal their defaults where not mentioned.
 * - `(Op.k ...)` is output k of a multi-output op (default 0).
 * - A number operand is a scalar constant: on the left it matches a rank-0 constant with that
 *   value (compared in float32, see `sameScalar`), on the right it builds a rank-0 constant with the
 *   dtype of the first tensor operand beside it.
 * - `_` is an absent optional input. Trailing absent inputs are dropped by the parser, so
 *   `(Conv ?x ?w _)` and `(Conv ?x ?w)` are one pattern: a node without its optional bias.
 */
import type { AttrValue, DType } from '../ops/types.js';

/** Offsets [start, end) into the file's text. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

// ---- patterns -----------------------------------------------------------------------------------

export interface VarPattern {
  readonly kind: 'var';
  /** With its `?`. */
  readonly name: string;
  readonly span: Span;
}

export interface AbsentPattern {
  readonly kind: 'absent';
  readonly span: Span;
}

export interface NumberPattern {
  readonly kind: 'number';
  readonly value: number;
  readonly span: Span;
}

export interface AttrEntry {
  readonly name: string;
  /** A literal, an attribute variable, or (right side only) an expression. */
  readonly value: Expr;
  /** The span of `:name`. */
  readonly span: Span;
}

export interface OpPattern {
  readonly kind: 'op';
  /** The registry's name when the op is known (normalized), else the name as written. */
  readonly op: string;
  /** Which output of the op the pattern stands for. */
  readonly output: number;
  readonly inputs: readonly Pattern[];
  readonly attrs: readonly AttrEntry[];
  readonly span: Span;
  /** The span of the op name (and output index). */
  readonly opSpan: Span;
}

export type Pattern = VarPattern | AbsentPattern | NumberPattern | OpPattern;

// ---- expressions (conditions, computed attributes, sample values) ------------------------------

export type BinaryOperator = 'or' | 'and' | '==' | '!=' | '<' | '<=' | '>' | '>=' | '+' | '-' | '*' | '/' | '%';

export type Expr =
  | { readonly kind: 'number'; readonly value: number; readonly span: Span }
  | { readonly kind: 'bool'; readonly value: boolean; readonly span: Span }
  /** A bare word: a dtype or string value (`float32`, `relu`), or a letter in a sample template. */
  | { readonly kind: 'name'; readonly name: string; readonly span: Span }
  /** A variable: a tensor variable inside a function call, an attribute variable anywhere. */
  | { readonly kind: 'var'; readonly name: string; readonly span: Span }
  | { readonly kind: 'list'; readonly items: readonly Expr[]; readonly span: Span }
  | { readonly kind: 'call'; readonly fn: string; readonly args: readonly Expr[]; readonly span: Span }
  | { readonly kind: 'not'; readonly arg: Expr; readonly span: Span }
  | { readonly kind: 'neg'; readonly arg: Expr; readonly span: Span }
  | { readonly kind: 'binary'; readonly op: BinaryOperator; readonly left: Expr; readonly right: Expr; readonly span: Span };

// ---- sampling hints (check-rules only) ----------------------------------------------------------

/** Data a shape hint may ask for instead of random values. */
export const SAMPLE_TABLES = ['causal', 'sliding', 'rope_cos', 'rope_sin'] as const;
export type SampleTable = (typeof SAMPLE_TABLES)[number];

export type SampleHint =
  /** `?x: [B, S, H] const in [0.5, 2] float16 causal`: a shape template over letters, and how to draw data. */
  | {
      readonly kind: 'shape';
      readonly variable: string;
      readonly dims: readonly Expr[];
      readonly constant: boolean;
      readonly range: readonly [number, number] | undefined;
      readonly dtype: DType | undefined;
      /** A named table instead of random data: `causal` (an additive mask, 0 on and below the diagonal, -1e9 above), `sliding` (the same with a sliding window of 1..S keys drawn per instance), or `rope_cos`/`rope_sin` (RoPE tables for positions 0..S-1). */
      readonly table: SampleTable | undefined;
      readonly span: Span;
    }
  /** `?two = 2` (a scalar constant's value) or `?p = [0 2 1]` (an attribute variable's value). */
  | { readonly kind: 'value'; readonly variable: string; readonly value: Expr; readonly span: Span }
  /** `rtol = 1e-3`: a per-rule setting of check-rules. */
  | { readonly kind: 'setting'; readonly name: string; readonly value: number; readonly span: Span };

// ---- rules and files ----------------------------------------------------------------------------

export type RuleRight =
  | { readonly kind: 'patterns'; readonly patterns: readonly Pattern[] }
  /** `apply name`: a TypeScript applier from src/rules/appliers. */
  | { readonly kind: 'applier'; readonly name: string; readonly span: Span };

export interface Rule {
  readonly name: string;
  readonly nameSpan: Span;
  /** The comment lines right above the rule, without their `#`. */
  readonly doc: readonly string[];
  /** One pattern, or several for a multi-pattern rule. */
  readonly lhs: readonly Pattern[];
  readonly rhs: RuleRight;
  /** `<=>`: the rule also applies right to left. */
  readonly bidirectional: boolean;
  readonly condition: Expr | undefined;
  readonly sample: readonly SampleHint[];
  readonly span: Span;
}

export interface RuleFile {
  /** The path or label used in error messages. */
  readonly file: string;
  readonly text: string;
  readonly rules: readonly Rule[];
}

/**
 * The variables a pattern binds, in order of first appearance: tensor operands, and attribute
 * variables written as a whole attribute value.
 */
function patternVariables(pattern: Pattern): { tensors: string[]; attrs: string[] } {
  const tensors: string[] = [];
  const attrs: string[] = [];
  const add = (list: string[], name: string) => {
    if (!list.includes(name)) list.push(name);
  };
  const visit = (p: Pattern): void => {
    if (p.kind === 'var') add(tensors, p.name);
    if (p.kind !== 'op') return;
    p.inputs.forEach(visit);
    // Only a whole attribute value binds (`:perm ?p`); variables inside expressions are uses.
    for (const a of p.attrs) if (a.value.kind === 'var') add(attrs, a.value.name);
  };
  visit(pattern);
  return { tensors, attrs };
}

/** The variables of several patterns together (a multi-pattern side). */
export function sideVariables(patterns: readonly Pattern[]): { tensors: string[]; attrs: string[] } {
  const tensors: string[] = [];
  const attrs: string[] = [];
  for (const p of patterns) {
    const v = patternVariables(p);
    for (const t of v.tensors) if (!tensors.includes(t)) tensors.push(t);
    for (const a of v.attrs) if (!attrs.includes(a)) attrs.push(a);
  }
  return { tensors, attrs };
}

/** Every variable an expression mentions, in order of first appearance. */
export function exprVariables(expr: Expr, out: string[] = []): string[] {
  switch (expr.kind) {
    case 'var':
      if (!out.includes(expr.name)) out.push(expr.name);
      break;
    case 'list':
      for (const item of expr.items) exprVariables(item, out);
      break;
    case 'call':
      for (const arg of expr.args) exprVariables(arg, out);
      break;
    case 'not':
    case 'neg':
      exprVariables(expr.arg, out);
      break;
    case 'binary':
      exprVariables(expr.left, out);
      exprVariables(expr.right, out);
      break;
  }
  return out;
}

/** A constant attribute expression's value (numbers, booleans, names, lists of them), else undefined. */
export function literalValue(expr: Expr): AttrValue | undefined {
  switch (expr.kind) {
    case 'number':
    case 'bool':
      return expr.value;
    case 'name':
      return expr.name;
    case 'list': {
      const items = expr.items.map(literalValue);
      if (items.every((v) => typeof v === 'number')) return items as number[];
      if (items.every((v) => typeof v === 'string')) return items as string[];
      return undefined;
    }
    default:
      return undefined;
  }
}
