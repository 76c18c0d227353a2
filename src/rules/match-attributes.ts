/**
 * What a left-side op pattern requires of a node's attributes: the literals as written, the
 * defaults for every attribute not mentioned, and variables to bind (equal wherever a variable
 * repeats). A matcher (the e-graph loader's) compiles a pattern's constraints once and tests each
 * candidate node's attributes with `matchAttributes`.
 */
import { getOp } from '../ops/registry.js';
import type { AttrValue, Attrs } from '../ops/types.js';
import type { OpPattern } from './ast.js';
import { literalValue } from './ast.js';
import { fromAttr, valuesEqual } from './value.js';

export interface AttributeConstraints {
  /** Attribute name → required value (a literal of the pattern, or the op's default). */
  readonly fixed: Attrs;
  /** Attribute name → the variable it binds. */
  readonly bound: Readonly<Record<string, string>>;
}

/** The constraints of a checked left-side op pattern (see check.ts: left-side attributes are literals or variables). */
export function attributeConstraints(pattern: OpPattern): AttributeConstraints {
  const op = getOp(pattern.op);
  const fixed: Record<string, AttrValue> = {};
  const bound: Record<string, string> = {};
  for (const [name, spec] of Object.entries(op.attributes)) {
    const given = pattern.attrs.find((a) => a.name === name);
    if (given?.value.kind === 'var') bound[name] = given.value.name;
    else if (given) fixed[name] = literalValue(given.value)!;
    else if (spec.default !== undefined) fixed[name] = spec.default;
  }
  return { fixed, bound };
}

function same(a: AttrValue, b: AttrValue): boolean {
  return valuesEqual(fromAttr(a), fromAttr(b)) === true;
}

/**
 * Whether a node with (defaults-filled) attributes `attrs` satisfies `constraints`, given the
 * attribute variables bound so far. Returns the bindings extended with this node's, or undefined.
 */
export function matchAttributes(constraints: AttributeConstraints, attrs: Attrs, bindings: ReadonlyMap<string, AttrValue>): Map<string, AttrValue> | undefined {
  for (const [name, value] of Object.entries(constraints.fixed)) {
    if (!same(attrs[name] ?? null, value)) return undefined;
  }
  const out = new Map(bindings);
  for (const [name, variable] of Object.entries(constraints.bound)) {
    const value = attrs[name] ?? null;
    const earlier = out.get(variable);
    if (earlier !== undefined && !same(earlier, value)) return undefined;
    out.set(variable, value);
  }
  return out;
}
