import type { EGraph } from './egraph.js';
import { PatternSyntaxError } from './errors.js';
import type { Language } from './language.js';
import { headOf, parseSExpr, type SExpr } from './sexpr.js';

/**
 * A pattern: a term whose leaves may be variables `?name`. Stored flat in post-order (children
 * before parents, the root last), as integer arrays:
 * node i is variable `varOf[i]` when that is ≥ 0, else op `ops[i]` with payload `payloads[i]` and
 * children (node indices) `children[childStart[i] .. childStart[i + 1])`.
 */
export class Pattern {
  /** Variable names (with their `?`) in order of first appearance. */
  readonly vars: readonly string[];
  readonly ops: Int32Array;
  readonly payloads: Int32Array;
  readonly varOf: Int32Array;
  readonly childStart: Int32Array;
  readonly children: Int32Array;
  /** Column (1-based, in `source`) where each variable first appears, for error messages. */
  readonly varColumns: readonly number[];
  private readonly classes: Int32Array;
  private readonly childBuffer: Int32Array;

  private constructor(
    readonly source: string,
    build: PatternBuild,
  ) {
    this.vars = build.vars;
    this.varColumns = build.varColumns;
    this.ops = Int32Array.from(build.ops);
    this.payloads = Int32Array.from(build.payloads);
    this.varOf = Int32Array.from(build.varOf);
    this.childStart = Int32Array.from(build.childStart);
    this.children = Int32Array.from(build.children);
    this.classes = new Int32Array(this.ops.length);
    this.childBuffer = new Int32Array(this.children.length);
  }

  /** Parses `text` such as `(+ ?a (* ?b 0))`; throws PatternSyntaxError, UnknownOpError or ArityError. */
  static parse(language: Language, text: string): Pattern {
    return new Pattern(text, flatten(language, text, parseSExpr(text)));
  }

  /** @internal builds a pattern from an already parsed s-expression of `source`. */
  static fromSExpr(language: Language, source: string, expr: SExpr): Pattern {
    return new Pattern(source, flatten(language, source, expr));
  }

  /** Number of pattern nodes. */
  get size(): number {
    return this.ops.length;
  }

  /** Index of the root node. */
  get root(): number {
    return this.ops.length - 1;
  }

  /** Whether node i's subtree holds no variable. */
  isGround(i: number): boolean {
    if (this.varOf[i]! >= 0) return false;
    for (let k = this.childStart[i]!; k < this.childStart[i + 1]!; k++) if (!this.isGround(this.children[k]!)) return false;
    return true;
  }

  /**
   * Adds the pattern's term to `egraph` with variable v bound to `bindings[offset + map[v]]`
   * (or `bindings[offset + v]` when `map` is null); returns the root's class. Allocates nothing.
   */
  instantiate<D>(egraph: EGraph<D>, bindings: ArrayLike<number>, offset: number, map: Int32Array | null): number {
    const { ops, payloads, varOf, childStart, children, classes, childBuffer } = this;
    for (let i = 0; i < ops.length; i++) {
      const v = varOf[i]!;
      if (v >= 0) {
        classes[i] = bindings[offset + (map === null ? v : map[v]!)]!;
        continue;
      }
      const from = childStart[i]!;
      const arity = childStart[i + 1]! - from;
      for (let k = 0; k < arity; k++) childBuffer[from + k] = classes[children[from + k]!]!;
      classes[i] = egraph.addFrom(ops[i]!, payloads[i]!, childBuffer, from, arity);
    }
    return classes[ops.length - 1]!;
  }

  /** The class of ground node i's term in `egraph`, or -1 if absent (adds nothing). */
  lookupGround<D>(egraph: EGraph<D>, i: number): number {
    const kids: number[] = [];
    for (let k = this.childStart[i]!; k < this.childStart[i + 1]!; k++) {
      const c = this.lookupGround(egraph, this.children[k]!);
      if (c === -1) return -1;
      kids.push(c);
    }
    return egraph.lookup(this.ops[i]!, this.payloads[i]!, kids);
  }

  toString(): string {
    return this.source;
  }
}

interface PatternBuild {
  vars: string[];
  varColumns: number[];
  ops: number[];
  payloads: number[];
  varOf: number[];
  childStart: number[];
  children: number[];
}

function flatten(language: Language, source: string, root: SExpr): PatternBuild {
  const b: PatternBuild = { vars: [], varColumns: [], ops: [], payloads: [], varOf: [], childStart: [0], children: [] };
  const visit = (e: SExpr): number => {
    const { head, column, children } = headOf(e);
    let index: number;
    if (head.startsWith('?')) {
      if (head.length === 1) throw new PatternSyntaxError('a variable needs a name after "?"', source, column, 'write ?x');
      if (children.length > 0) throw new PatternSyntaxError(`variable "${head}" cannot take children`, source, column, 'variables stand for whole classes; put an op at the head');
      let v = b.vars.indexOf(head);
      if (v < 0) {
        v = b.vars.length;
        b.vars.push(head);
        b.varColumns.push(column);
      }
      index = push(b, -1, 0, v, []);
    } else {
      const kids = children.map(visit);
      const { op, payload } = language.resolve(head, children.length, `column ${column} of "${source}"`);
      index = push(b, op, payload, -1, kids);
    }
    return index;
  };
  visit(root);
  return b;
}

function push(b: PatternBuild, op: number, payload: number, v: number, kids: number[]): number {
  b.ops.push(op);
  b.payloads.push(payload);
  b.varOf.push(v);
  b.children.push(...kids);
  b.childStart.push(b.children.length);
  return b.ops.length - 1;
}
