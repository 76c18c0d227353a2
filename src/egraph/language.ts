import { ArityError, UnknownOpError } from './errors.js';

/** An op as the engine stores it: a small integer op id and an interned payload id (0 for none). */
export interface ResolvedOp {
  readonly op: number;
  readonly payload: number;
}

/**
 * What the engine needs to know about a language. The engine itself only sees integers: an e-node
 * is (op id, payload id, child class ids), and two nodes are equal when those integers are. So a
 * language interns whatever distinguishes its nodes (constants, attribute records) into payload ids:
 * payload equality and hashing are integer equality and hashing.
 *
 * The tensor language plugs in here with op ids from its op registry and payload ids of interned
 * attribute records; `resolve` parses its own head syntax.
 */
export interface Language {
  /** Short name, for messages. */
  readonly name: string;
  /**
   * The op and payload for an s-expression head `symbol` applied to `arity` children. Throws
   * UnknownOpError or ArityError naming the op when the language refuses it; `where` is the
   * location to put in that error.
   */
  resolve(symbol: string, arity: number, where?: string): ResolvedOp;
  /** The head symbol to print for a node (the inverse of `resolve`). */
  format(op: number, payload: number): string;
}

/**
 * A language whose ops are interned strings of any arity (like egg's SymbolLang): every head symbol
 * is an uninterpreted operator, and atoms such as `x` or `0` are 0-ary ops. Payloads are unused (0).
 * Given a `signature` (op name to arity), it refuses other ops and other arities instead.
 */
export class SymbolLanguage implements Language {
  readonly name: string;
  private readonly ids = new Map<string, number>();
  private readonly names: string[] = [];

  constructor(
    private readonly signature?: Readonly<Record<string, number>>,
    name = 'symbols',
  ) {
    this.name = name;
    if (signature) for (const op of Object.keys(signature)) this.intern(op);
  }

  resolve(symbol: string, arity: number, where?: string): ResolvedOp {
    if (this.signature) {
      const expected = this.signature[symbol];
      if (expected === undefined) throw new UnknownOpError(symbol, where, `the ${this.name} language has: ${Object.keys(this.signature).join(', ')}`);
      if (expected !== arity) throw new ArityError(symbol, expected, arity, where);
    }
    return { op: this.intern(symbol), payload: 0 };
  }

  format(op: number): string {
    return this.names[op] ?? `#${op}`;
  }

  /** The op id of `symbol`, creating it when new. */
  intern(symbol: string): number {
    let id = this.ids.get(symbol);
    if (id === undefined) {
      id = this.names.length;
      this.names.push(symbol);
      this.ids.set(symbol, id);
    }
    return id;
  }
}
