/**
 * Rule files (the .rules AST) → e-graph rewrites over the tensor language. A left side becomes a
 * pattern (or multi-pattern) in the engine's s-expression form plus a condition: attribute
 * literals and defaults become a ground `Attrs` leaf, or, when the rule binds an attribute variable,
 * a variable whose record the condition checks; number operands become variables whose constant
 * value the condition checks. A right side (or applier) is built through the rules' RuleBuilder
 * interface, here adding e-nodes, so check-rules and saturation share one instantiation.
 */
import type { EGraph } from '../egraph/egraph.js';
import { MultiPattern } from '../egraph/multipattern.js';
import { Pattern } from '../egraph/pattern.js';
import type { Match } from '../egraph/rewrite.js';
import { Rewrite } from '../egraph/rewrite.js';
import { NetsatError } from '../errors.js';
import { ndarray } from '../ops/ndarray.js';
import { getOp, inferTypes, resolveAttrs } from '../ops/registry.js';
import type { AttrValue, NDArray, TensorType } from '../ops/types.js';
import { exprVariables, literalValue, sideVariables } from '../rules/ast.js';
import type { Expr, Pattern as RulePattern, Rule, RuleFile } from '../rules/ast.js';
import { APPLIERS } from '../rules/appliers/registry.js';
import type { RuleBuilder } from '../rules/builder.js';
import type { RuleEnv } from '../rules/env.js';
import { evaluateCondition } from '../rules/expr.js';
import { instantiate } from '../rules/instantiate.js';
import { SKIP, sameScalar } from '../rules/value.js';
import type { TensorData } from './analysis.js';
import { sameType } from './analysis.js';
import { SMALL_CONSTANT } from './language.js';
import type { TensorEGraph } from './tensor-egraph.js';

/** A rule the compiler cannot express as a rewrite (a bare variable as a whole left side). */
export class RuleCompileError extends NetsatError {}

/** What the condition must check beyond the rule's own `if`: attribute records and literal scalars. */
interface Checks {
  /** Attrs-class variable → expected attributes (literals and defaults) and attribute variables bound. */
  attrs: { variable: string; expected: Record<string, AttrValue>; binds: Record<string, string> }[];
  /** Constant-class variable → the literal value it must hold. */
  numbers: { variable: string; value: number }[];
}

function sameAttr(a: AttrValue | undefined, b: AttrValue | undefined): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** A left-side pattern as engine s-expression text, collecting the checks it needs. */
function lhsText(p: RulePattern, ng: TensorEGraph, checks: Checks, fresh: () => string): string {
  const L = ng.language;
  switch (p.kind) {
    case 'var':
      return p.name;
    case 'absent':
      return 'Absent';
    case 'number': {
      const v = fresh();
      checks.numbers.push({ variable: v, value: p.value });
      return v;
    }
    case 'op': {
      const def = getOp(p.op);
      const parts = [p.output ? `${def.name}.${p.output}` : def.name];
      if (L.hasAttrsChild(def)) {
        const binds: Record<string, string> = {};
        const literals: Record<string, AttrValue> = {};
        for (const a of p.attrs) {
          if (a.value.kind === 'var') binds[a.name] = a.value.name;
          else {
            const v = literalValue(a.value);
            if (v === undefined) throw new RuleCompileError(`attribute :${a.name} of ${def.name} is computed; a left side needs a literal or a variable`, { where: def.name });
            literals[a.name] = v;
          }
        }
        const bound = Object.keys(binds);
        // A bound attribute is a placeholder here (null), so a required one does not fail resolution.
        const defaults = resolveAttrs(
          def,
          Object.fromEntries(Object.keys(def.attributes).map((k) => [k, bound.includes(k) ? null : (literals[k] ?? def.attributes[k]!.default ?? null)])),
        );
        if (bound.length === 0) parts.push(`Attrs#${L.internAttrs(defaults)}`);
        else {
          const v = fresh();
          const expected = Object.fromEntries(Object.entries(defaults).filter(([k]) => !bound.includes(k)));
          checks.attrs.push({ variable: v, expected, binds });
          parts.push(v);
        }
      }
      for (const input of p.inputs) parts.push(lhsText(input, ng, checks, fresh));
      // Optional inputs a pattern leaves out are absent, as in the lowered network (a conv without bias).
      if (!def.inputs.some((i) => i.variadic)) for (let i = p.inputs.length; i < def.inputs.length; i++) parts.push('Absent');
      return `(${parts.join(' ')})`;
    }
  }
}

/** Constant data too large for analysis data (a causal mask), by the class of its network tensor. */
type LargeConstants = readonly (readonly [number, NDArray])[];

function largeConstants(ng: TensorEGraph): LargeConstants {
  const out: [number, NDArray][] = [];
  for (const [t, cls] of ng.classOf) {
    const data = t.producer?.op === 'Constant' ? t.producer.constantData : undefined;
    if (data && data.data.length > SMALL_CONSTANT) out.push([cls, data]);
  }
  return out;
}

/** The data of the large constant bound to `v`; a scan, since only rare conditions ask. */
function constantData(match: Match<TensorData>, v: string, large: LargeConstants): NDArray | undefined {
  const cls = match.egraph.find(match.get(v));
  return large.find(([c]) => match.egraph.find(c) === cls)?.[1];
}

/** Attribute `attr` of the Attrs class bound to `site`. */
function attrAt(match: Match<TensorData>, site: string, attr: string): AttrValue | undefined {
  const d = match.data(site);
  return d.kind === 'attrs' ? d.attrs[attr] : undefined;
}

/** The RuleEnv of one match: types and constants from analysis data, attributes from Attrs records. */
function matchEnv(match: Match<TensorData>, attrOf: ReadonlyMap<string, [string, string]>, large: LargeConstants): RuleEnv {
  const tensor = (v: string) => {
    const d = match.data(v);
    return d.kind === 'tensor' && !d.invalid ? d : undefined;
  };
  return {
    type: (v) => tensor(v)?.type,
    isConstant: (v) => tensor(v)?.constant,
    constValue: (v) => {
      const value = tensor(v)?.value;
      return value && value.data.length === 1 ? value.data[0] : undefined;
    },
    // Analysis data keep only small values; a large constant's data (a causal mask) is in the language.
    constArray: (v) => tensor(v)?.value ?? constantData(match, v, large),
    attr: (v) => {
      const site = attrOf.get(v);
      return site ? attrAt(match, site[0], site[1]) : undefined;
    },
  };
}

/** Builds right sides as e-nodes: handles are e-class ids. Ill-typed builds throw (the match is skipped). */
function egraphBuilder(egraph: EGraph<TensorData>, ng: TensorEGraph): RuleBuilder<number> {
  const L = ng.language;
  const typeOf = (h: number): TensorType | undefined => {
    const d = egraph.data(h);
    return d.kind === 'tensor' && !d.invalid ? d.type : undefined;
  };
  return {
    op(name, inputs, attrs, outputIndex = 0) {
      const def = getOp(name);
      const resolved = resolveAttrs(def, attrs);
      const types = inputs.map((h) => (h === undefined ? undefined : typeOf(h)));
      if (types.some((t, i) => t === undefined && inputs[i] !== undefined)) throw new RuleCompileError(`${name}: an input's type is unknown`);
      inferTypes(def, types, resolved); // throws ShapeError when the right side does not fit
      const children: number[] = [];
      if (L.hasAttrsChild(def)) children.push(egraph.add(L.attrsOp, L.internAttrs(resolved)));
      for (const h of inputs) children.push(h === undefined ? egraph.add(L.absentOp) : h);
      return egraph.add(L.opId(def.name)!, outputIndex, children);
    },
    scalar(value, like) {
      const dtype = typeOf(like)?.dtype ?? 'float32';
      const data = ndarray(dtype, [], [value]);
      return egraph.add(L.constOp, L.internConstant({ type: { dtype, shape: [] }, value: data, source: undefined }));
    },
    type: typeOf,
  };
}

/**
 * Matches skipped per rule, counted so the report can say so. `undecided`: the condition needed a
 * shape or constant not known here. `mistyped`: the right side built a tensor of another dtype or
 * shape than the class it would join, so the rule does not hold at this match (a union would make
 * one e-class hold two types, and extraction could then swap one for the other).
 */
export interface SkippedMatches {
  readonly undecided: Map<string, number>;
  readonly mistyped: Map<string, number>;
}

export function noSkippedMatches(): SkippedMatches {
  return { undecided: new Map(), mistyped: new Map() };
}

function count(counts: Map<string, number>, rule: string): void {
  counts.set(rule, (counts.get(rule) ?? 0) + 1);
}

/** Whether class `built` has the type of class `matched`; an untyped side never agrees. */
function sameClassType(egraph: EGraph<TensorData>, built: number, matched: number): boolean {
  const a = egraph.data(built);
  const b = egraph.data(matched);
  if (a.kind !== 'tensor' || b.kind !== 'tensor') return a.kind === b.kind;
  if (a.invalid || b.invalid || !a.type || !b.type) return false;
  return sameType(a.type, b.type);
}

function compileDirection(
  name: string,
  lhs: readonly RulePattern[],
  rule: Rule,
  rhs: Rule['rhs'],
  ng: TensorEGraph,
  large: LargeConstants,
  skipped: SkippedMatches,
): Rewrite<TensorData> {
  if (lhs.some((p) => p.kind !== 'op')) {
    throw new RuleCompileError(`rule ${name}: a left side must be an op pattern, not a bare variable or literal`, { where: name });
  }
  if (rhs.kind === 'applier' && !APPLIERS.has(rhs.name)) throw new RuleCompileError(`rule ${name} names unknown applier "${rhs.name}"`, { where: name });
  let n = 0;
  const fresh = () => `?__${n++}`;
  const checks: Checks = { attrs: [], numbers: [] };
  const texts = lhs.map((p) => lhsText(p, ng, checks, fresh));
  const roots = lhs.map(() => fresh());
  const searcher = lhs.length === 1 ? Pattern.parse(ng.language, texts[0]!) : MultiPattern.parse(ng.language, texts.map((t, i) => `${roots[i]} = ${t}`).join(', '));
  // An applier may ask for a variable its left side lacks (an optional bias): that is undefined, not an error.
  const tensorVars = new Set(sideVariables(lhs).tensors);
  const conditionVars = rule.condition ? exprVariables(rule.condition).filter((v) => tensorVars.has(v)) : [];
  const attrOf = new Map<string, [string, string]>();
  // An attribute variable bound at several sites must hold one value, as a repeated tensor variable matches one class.
  const repeats: [string, string, string, string][] = [];
  for (const c of checks.attrs) {
    for (const [attr, v] of Object.entries(c.binds)) {
      const first = attrOf.get(v);
      if (first) repeats.push([...first, c.variable, attr]);
      else attrOf.set(v, [c.variable, attr]);
    }
  }

  const condition = (match: Match<TensorData>): boolean => {
    for (const c of checks.attrs) {
      const d = match.data(c.variable);
      if (d.kind !== 'attrs') return false;
      for (const [k, v] of Object.entries(c.expected)) if (!sameAttr(d.attrs[k], v)) return false;
    }
    for (const [a, attrA, b, attrB] of repeats) if (!sameAttr(attrAt(match, a, attrA), attrAt(match, b, attrB))) return false;
    // A number literal is a rank-0 constant: `(Mul ?x 1)` must not match x · ones[1, 1, 1], which broadcasts.
    for (const c of checks.numbers) {
      const d = match.data(c.variable);
      if (d.kind !== 'tensor' || !d.value || d.value.shape.length !== 0 || !sameScalar(d.value.data[0]!, c.value)) return false;
    }
    const verdict = evaluateCondition(rule.condition, matchEnv(match, attrOf, large));
    // A condition about an input the match leaves absent (a Gemm without C) is false, not unknown.
    if (verdict === 'skip' && !conditionVars.some((v) => match.data(v).kind === 'absent')) count(skipped.undecided, name);
    return verdict === true;
  };

  const applier = (egraph: EGraph<TensorData>, match: Match<TensorData>): number | readonly number[] | null => {
    const env = matchEnv(match, attrOf, large);
    const build = egraphBuilder(egraph, ng);
    try {
      let built: readonly number[] | undefined;
      if (rhs.kind === 'applier') {
        built = APPLIERS.get(rhs.name)!.apply({ env, build, bound: (v) => (tensorVars.has(v) ? match.get(v) : undefined) });
      } else {
        const out: number[] = [];
        for (const p of rhs.patterns) {
          const h = p.kind === 'number' ? build.scalar(p.value, match.root) : instantiate(p, { build, env, tensor: (v) => match.get(v) });
          if (h === SKIP) return null;
          out.push(h);
        }
        built = out;
      }
      if (!built) return null;
      const matched = lhs.length === 1 ? [match.root] : roots.map((r) => match.get(r));
      if (built.some((b, i) => !sameClassType(egraph, b, matched[i]!))) {
        count(skipped.mistyped, name);
        return null;
      }
      return lhs.length === 1 ? built[0]! : built;
    } catch (e) {
      if (e instanceof NetsatError) return null; // the right side does not fit this match
      throw e;
    }
  };
  const expanding = lhs.length === 1 && rhs.kind === 'patterns' && opCount(rhs.patterns) >= opCount(lhs);
  return new Rewrite<TensorData>({ name, searcher, applier, condition, expanding, guards: constantGuards(rule.condition, tensorVars) });
}

/** A class that is surely no constant: is_const of it is false, so a condition requiring it is too. */
const maybeConstant = (d: TensorData) => d.kind !== 'tensor' || d.constant !== false;

/**
 * Guards for the variables the condition requires to be constants (`is_const(?w)` as one of its
 * top-level `and` terms): merge-qkv's three weights are then checked as each matmul is bound, not
 * after the product of every matmul reading the input (118,884 candidates on BERT, 180 applied).
 */
function constantGuards(condition: Expr | undefined, tensorVars: ReadonlySet<string>): Map<string, (d: TensorData) => boolean> {
  const guards = new Map<string, (d: TensorData) => boolean>();
  const visit = (e: Expr): void => {
    if (e.kind === 'binary' && e.op === 'and') {
      visit(e.left);
      visit(e.right);
    } else if (e.kind === 'call' && e.fn === 'is_const' && e.args[0]?.kind === 'var' && tensorVars.has(e.args[0].name)) guards.set(e.args[0].name, maybeConstant);
  };
  if (condition) visit(condition);
  return guards;
}

/** Op nodes in `patterns`: the size a rewrite's side adds to or takes from a network. */
function opCount(patterns: readonly RulePattern[]): number {
  return patterns.reduce((n, p) => n + (p.kind === 'op' ? 1 + opCount(p.inputs) : 0), 0);
}

/**
 * Every rule of `files` (both directions of `<=>` rules) as rewrites over `ng`'s e-graph. Matches
 * skipped because a condition cannot be decided or the right side's type differs are counted in
 * `skipped`, by rule.
 */
export function compileRules(files: readonly RuleFile[], ng: TensorEGraph, skipped: SkippedMatches = noSkippedMatches()): Rewrite<TensorData>[] {
  const out: Rewrite<TensorData>[] = [];
  const large = largeConstants(ng);
  for (const file of files) {
    for (const rule of file.rules) {
      out.push(compileDirection(rule.name, rule.lhs, rule, rule.rhs, ng, large, skipped));
      if (rule.bidirectional && rule.rhs.kind === 'patterns') {
        const back: Rule['rhs'] = { kind: 'patterns', patterns: rule.lhs };
        out.push(compileDirection(`${rule.name} (reverse)`, rule.rhs.patterns, rule, back, ng, large, skipped));
      }
    }
  }
  return out;
}
