/**
 * The values rule expressions compute with: numbers, booleans, strings (dtypes, activation names),
 * null (an attribute left absent), symbolic dims, and lists of these. `SKIP` is the outcome of an
 * expression that needed something not known (a symbolic dim in arithmetic, an unknown shape).
 */
import { NetsatError } from '../errors.js';
import type { AttrValue, Dim } from '../ops/types.js';

/** A symbolic dimension such as `batch`: equal to itself, unknown against anything else. */
export class SymbolicDim {
  constructor(readonly name: string) {}
}

export type Value = number | boolean | string | null | SymbolicDim | readonly Value[];

/** The outcome of an expression that could not be evaluated for want of information. */
export const SKIP: unique symbol = Symbol('skip');
export type Outcome = Value | typeof SKIP;

/** A rule expression applied to values of the wrong kind (`len(3)`): a bug in the rule, not in the input. */
export class RuleEvaluationError extends NetsatError {}

export function dimValue(d: Dim): Value {
  return typeof d === 'number' ? d : new SymbolicDim(d);
}

/** Two numbers are the same scalar constant when they are the same float32 (how weights are stored). */
export function sameScalar(a: number, b: number): boolean {
  return Math.fround(a) === Math.fround(b);
}

/** Equality: true, false, or SKIP when a symbolic dim meets anything but the same symbol. */
export function valuesEqual(a: Value, b: Value): boolean | typeof SKIP {
  if (a instanceof SymbolicDim || b instanceof SymbolicDim) {
    return a instanceof SymbolicDim && b instanceof SymbolicDim && a.name === b.name ? true : SKIP;
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    let unknown = false;
    for (let i = 0; i < a.length; i++) {
      const e = valuesEqual(a[i]!, b[i]!);
      if (e === false) return false;
      if (e === SKIP) unknown = true;
    }
    return unknown ? SKIP : true;
  }
  return a === b;
}

/** An attribute value as an expression value (attributes never hold symbols). */
export function fromAttr(v: AttrValue): Value {
  return v as Value;
}

/** An expression value as an attribute value, or SKIP when it holds a symbolic dim. */
export function toAttr(v: Value): AttrValue | typeof SKIP {
  if (v instanceof SymbolicDim) return SKIP;
  if (Array.isArray(v)) {
    if (v.every((x) => typeof x === 'number')) return v as number[];
    if (v.every((x) => typeof x === 'string')) return v as string[];
    if (v.some((x) => x instanceof SymbolicDim)) return SKIP;
    throw new RuleEvaluationError(`the list ${formatValue(v)} is not an attribute value`, { hint: 'attribute lists hold only numbers or only names' });
  }
  return v as AttrValue;
}

export function formatValue(v: Value): string {
  if (v instanceof SymbolicDim) return v.name;
  if (Array.isArray(v)) return `[${v.map(formatValue).join(' ')}]`;
  return String(v);
}
