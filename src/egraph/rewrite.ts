import type { EGraph } from './egraph.js';
import { RuleError } from './errors.js';
import type { Language } from './language.js';
import { Program } from './machine.js';
import { MultiPattern } from './multipattern.js';
import { Pattern } from './pattern.js';

/** What a rule searches for: one pattern or a multi-pattern. */
export type Searcher = Pattern | MultiPattern;

/** One match as conditions and TypeScript appliers see it. */
export interface Match<D> {
  readonly egraph: EGraph<D>;
  /** The matched class (the first part's root for a multi-pattern). */
  readonly root: number;
  /** The class bound to variable `name` (e.g. "?a"). */
  get(name: string): number;
  /** The analysis datum of the class bound to `name`. */
  data(name: string): D;
}

/** A predicate over a match and its analysis data; the rule applies only where it holds. */
export type Condition<D> = (match: Match<D>) => boolean;

/**
 * An applier written in TypeScript: it may add nodes, and returns the class to union with the
 * match's root, or null to do nothing. Under a multi-pattern searcher it may return one class per
 * part instead: the i-th is unioned with the i-th part's root (two fused outputs, say). Otherwise
 * every class returned is unioned with the root.
 */
export type ApplierFunction<D> = (egraph: EGraph<D>, match: Match<D>) => number | readonly number[] | null;

export type Applier<D> = Pattern | MultiPattern | ApplierFunction<D>;

export interface RewriteSpec<D> {
  readonly name: string;
  readonly searcher: Searcher;
  readonly applier: Applier<D>;
  readonly condition?: Condition<D>;
  /** The right side is no smaller than the left: the rule rearranges rather than fuses (see Locality). */
  readonly expanding?: boolean;
  /**
   * Per variable of the searcher, a condition its class's data must meet for the rule's condition to
   * hold: checked while matching, so a match it refuses is never found (nor counted).
   */
  readonly guards?: ReadonlyMap<string, (data: D) => boolean>;
}

/**
 * A rewrite rule: a name, a searcher, an optional condition and an applier. Created once; the
 * searcher is compiled to a matching program here. A right side that uses a variable the left side
 * does not bind is refused with a RuleError.
 */
export class Rewrite<D = undefined> {
  readonly name: string;
  readonly searcher: Searcher;
  readonly applier: Applier<D>;
  readonly condition: Condition<D> | undefined;
  readonly expanding: boolean;
  readonly program: Program;
  /** For a pattern applier: position in the match of each applier variable. */
  private readonly applierMap: Int32Array;
  /** For a multi-pattern applier: per part, its root variable's position and its variable map. */
  private readonly partMaps: readonly { readonly root: number; readonly map: Int32Array }[];
  /**
   * Per searcher part: its pattern, root variable (null for a single pattern), the root's position
   * in the match (-1: the match's root) and its variables' positions (to build its left term).
   */
  private readonly searchParts: readonly { readonly pattern: Pattern; readonly rootVar: string | null; readonly rootAt: number; readonly map: Int32Array }[];
  private readonly view: MatchView<D>;

  constructor(spec: RewriteSpec<D>) {
    if (!spec.name) throw new RuleError('a rewrite needs a name', { hint: 'give each rule a short unique name' });
    this.name = spec.name;
    this.searcher = spec.searcher;
    this.applier = spec.applier;
    this.condition = spec.condition;
    this.expanding = spec.expanding ?? false;
    const parts = spec.searcher instanceof Pattern ? [{ rootVar: null, pattern: spec.searcher }] : spec.searcher.parts;
    this.program = new Program(parts, spec.guards);
    const bound = this.program.vars;
    const positions = (pattern: Pattern): Int32Array =>
      Int32Array.from(pattern.vars, (v, i) => {
        const at = bound.indexOf(v);
        if (at < 0) {
          throw new RuleError(`rule "${this.name}": right side uses ${v}, which the left side does not bind`, {
            where: `column ${pattern.varColumns[i]} of "${pattern.source}"`,
            hint: `bind ${v} in the left side "${spec.searcher.source}", or remove it from the right side`,
          });
        }
        return at;
      });
    this.applierMap = spec.applier instanceof Pattern ? positions(spec.applier) : new Int32Array(0);
    this.partMaps =
      spec.applier instanceof MultiPattern
        ? spec.applier.parts.map((p) => {
            const root = bound.indexOf(p.rootVar);
            if (root < 0) throw new RuleError(`rule "${this.name}": right side's root ${p.rootVar} is not bound by the left side`, { hint: `use one of ${bound.join(', ')}` });
            return { root, map: positions(p.pattern) };
          })
        : [];
    this.searchParts = parts.map((p) => ({ pattern: p.pattern, rootVar: p.rootVar, rootAt: p.rootVar === null ? -1 : bound.indexOf(p.rootVar), map: positions(p.pattern) }));
    this.view = new MatchView<D>(bound);
  }

  /** Ints per match: the root, one class per variable, then one per inner node of the searcher (see Program). */
  get width(): number {
    return this.program.width;
  }

  /**
   * Applies the match at `data[offset]` (root, then variables): checks the condition, builds the
   * right side and unions it with the root. Returns how many unions changed something.
   *
   * With explanations on, each union starts from the concrete left term (the searcher's part
   * instantiated with the match) rather than the matched class, and carries every part's left term,
   * so a proof step can be replayed by searching those terms with this rule.
   */
  apply(egraph: EGraph<D>, data: Int32Array, offset: number): number {
    if (this.condition !== undefined || typeof this.applier === 'function') {
      this.view.point(egraph, data, offset);
      if (this.condition !== undefined && !this.condition(this.view)) return 0;
    }
    const applier = this.applier;
    // The hot path (a pattern rule, no explanations) stays small, so V8 inlines the adds into it.
    if (egraph.explainer === undefined && applier instanceof Pattern)
      return egraph.union(data[offset]!, applier.instantiate(egraph, data, offset + 1, this.applierMap), this.name) ? 1 : 0;
    return this.applyGeneral(egraph, data, offset);
  }

  /** `apply` for multi-pattern and TypeScript appliers, and for every rule when explaining. */
  private applyGeneral(egraph: EGraph<D>, data: Int32Array, offset: number): number {
    const applier = this.applier;
    const lefts = egraph.explainer === undefined ? undefined : this.searchParts.map((p) => p.pattern.instantiate(egraph, data, offset + 1, p.map));
    if (applier instanceof Pattern) return this.join(egraph, this.partRoot(data, offset, lefts, 0), applier.instantiate(egraph, data, offset + 1, this.applierMap), lefts);
    if (applier instanceof MultiPattern) {
      let changed = 0;
      applier.parts.forEach((part, i) => {
        const { root: at, map } = this.partMaps[i]!;
        const built = part.pattern.instantiate(egraph, data, offset + 1, map);
        const searchPart = this.searchParts.findIndex((p) => p.rootVar === part.rootVar);
        changed += this.join(egraph, searchPart >= 0 ? this.partRoot(data, offset, lefts, searchPart) : data[offset + 1 + at]!, built, lefts);
      });
      return changed;
    }
    const result = applier(egraph, this.view);
    if (result === null) return 0;
    if (typeof result === 'number') return this.join(egraph, this.partRoot(data, offset, lefts, 0), result, lefts);
    const classes = result as readonly number[];
    // One class per part of a multi-pattern: unioned part by part; otherwise each with the root.
    const perPart = this.searchParts.length > 1 && classes.length === this.searchParts.length;
    let changed = 0;
    classes.forEach((c, i) => (changed += this.join(egraph, this.partRoot(data, offset, lefts, perPart ? i : 0), c, lefts)));
    return changed;
  }

  /** What a right side for searcher part `part` is unioned with: its left term when explaining, else its class. */
  private partRoot(data: Int32Array, offset: number, lefts: readonly number[] | undefined, part: number): number {
    if (lefts !== undefined) return lefts[part]!;
    const at = this.searchParts[part]!.rootAt;
    return at < 0 ? data[offset]! : data[offset + 1 + at]!;
  }

  private join(egraph: EGraph<D>, left: number, right: number, lefts: readonly number[] | undefined): number {
    return egraph.union(left, right, this.name, lefts) ? 1 : 0;
  }
}

/** Parses a rule from text: `lhs` is a pattern or `?x = pat, ?y = pat`; `rhs` likewise, or a function. */
export function rewrite<D = undefined>(
  language: Language,
  name: string,
  lhs: string,
  rhs: string | ApplierFunction<D>,
  options: { condition?: Condition<D>; expanding?: boolean } = {},
): Rewrite<D> {
  const parse = (text: string) => (/^\s*\?[^\s()]*\s*=/.test(text) ? MultiPattern.parse(language, text) : Pattern.parse(language, text));
  const searcher = parse(lhs);
  const applier = typeof rhs === 'string' ? parse(rhs) : rhs;
  return new Rewrite<D>({ name, searcher, applier, ...options });
}

class MatchView<D> implements Match<D> {
  egraph!: EGraph<D>;
  private buffer: Int32Array = new Int32Array(0);
  private offset = 0;

  constructor(private readonly vars: readonly string[]) {}

  point(egraph: EGraph<D>, data: Int32Array, offset: number): void {
    this.egraph = egraph;
    this.buffer = data;
    this.offset = offset;
  }

  get root(): number {
    return this.buffer[this.offset]!;
  }

  get(name: string): number {
    const v = this.vars.indexOf(name);
    if (v < 0) throw new RuleError(`no variable ${name} in this match`, { hint: `the rule binds ${this.vars.join(', ') || 'no variables'}` });
    return this.buffer[this.offset + 1 + v]!;
  }

  data(name: string): D {
    return this.egraph.data(this.get(name));
  }
}
