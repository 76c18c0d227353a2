/**
 * Why a rule did not fire on a network: its left side is tried against every e-class of the
 * network's (unsaturated) tensor e-graph, and the deepest partial match is reported with the first
 * pattern node that failed. When the pattern matches in full, the rule's condition is split at its
 * top-level `and`s and the conjuncts are added one at a time: the first that stops every match is
 * the one that failed.
 */
import { Rewrite } from '../egraph/rewrite.js';
import { Runner } from '../egraph/runner.js';
import { NetsatError } from '../errors.js';
import { networkToEGraph } from '../lower/to-egraph.js';
import type { NetworkEGraph } from '../lower/to-egraph.js';
import type { Network } from '../network/network.js';
import { literalValue } from '../rules/ast.js';
import { printExpr, printPattern } from '../rules/print.js';
import type { Expr, Pattern, Rule, RuleFile } from '../rules/ast.js';
import { compileRules } from '../tensor/compile-rules.js';
import type { TensorData } from '../tensor/analysis.js';
import { sameScalar } from '../rules/value.js';

/** The rule or layer named is not there. */
export class WhyNotError extends NetsatError {}

export interface PartialMatch {
  /** The layer whose output the match was rooted at. */
  layer: string;
  /** Op nodes of the left side that matched. */
  matched: number;
  /** Op nodes of the left side in all. */
  total: number;
  /** The pattern node that failed (printed) and why. */
  failedAt: string;
  reason: string;
}

export interface WhyNotResult {
  rule: string;
  /** 'no-match': no class matches the pattern; 'condition': the pattern matches but a conjunct fails; 'fires': it does fire. */
  verdict: 'no-match' | 'condition' | 'fires';
  best: PartialMatch | undefined;
  /** Full structural matches (roots), when any. */
  matchedAt: string[];
  failedCondition: string | undefined;
}

type Outcome = { matched: number; failure?: { at: Pattern; reason: string } };

function opCount(p: Pattern): number {
  return p.kind === 'op' ? 1 + p.inputs.reduce((n, q) => n + opCount(q), 0) : 0;
}

function conjuncts(e: Expr): Expr[] {
  return e.kind === 'binary' && e.op === 'and' ? [...conjuncts(e.left), ...conjuncts(e.right)] : [e];
}

function and(a: Expr, b: Expr): Expr {
  return { kind: 'binary', op: 'and', left: a, right: b, span: a.span };
}

class Matcher {
  constructor(
    private readonly ng: NetworkEGraph,
    private readonly producers: ReadonlyMap<number, string>,
  ) {}

  describe(cls: number): string {
    const g = this.ng.egraph;
    const ops = new Set(Array.from(g.classNodes(cls), (n) => this.ng.language.format(g.nodeOp(n), g.nodePayload(n))));
    const layer = this.producers.get(cls);
    return `${[...ops].join(' | ')}${layer ? ` (layer ${layer})` : ''}`;
  }

  /** The deepest match of `p` at class `cls`; bindings are extended in place on success. */
  match(p: Pattern, cls: number, bound: Map<string, number>): Outcome {
    const g = this.ng.egraph;
    const L = this.ng.language;
    cls = g.find(cls);
    switch (p.kind) {
      case 'var': {
        const prev = bound.get(p.name);
        if (prev !== undefined && g.find(prev) !== cls)
          return { matched: 0, failure: { at: p, reason: `${p.name} is already bound to another tensor (${this.describe(prev)}); here it is ${this.describe(cls)}` } };
        bound.set(p.name, cls);
        return { matched: 0 };
      }
      case 'absent':
        return Array.from(g.classNodes(cls)).some((n) => g.nodeOp(n) === L.absentOp)
          ? { matched: 0 }
          : { matched: 0, failure: { at: p, reason: `expected no input, found ${this.describe(cls)}` } };
      case 'number': {
        const d = g.data(cls);
        const v = d.kind === 'tensor' ? d.value : undefined;
        if (v && v.data.length === 1 && sameScalar(v.data[0]!, p.value)) return { matched: 0 };
        return { matched: 0, failure: { at: p, reason: `expected the constant ${p.value}, found ${v && v.data.length === 1 ? `the constant ${v.data[0]}` : this.describe(cls)}` } };
      }
      case 'op': {
        const op = L.opId(p.op);
        let best: Outcome = { matched: 0, failure: { at: p, reason: `expected ${p.op}${p.output ? `.${p.output}` : ''}, found ${this.describe(cls)}` } };
        let bestBindings = bound;
        for (const node of g.classNodes(cls)) {
          if (g.nodeOp(node) !== op || g.nodePayload(node) !== p.output) continue;
          const def = L.opDef(op)!;
          const kids = Array.from(g.nodeChildren(node));
          const attrs = L.hasAttrsChild(def) ? g.data(g.find(kids.shift()!)) : undefined;
          const trial = new Map(bound);
          let outcome: Outcome = { matched: 1 };
          for (const a of p.attrs) {
            const want = a.value.kind === 'var' ? undefined : literalValue(a.value);
            const have = attrs?.kind === 'attrs' ? attrs.attrs[a.name] : undefined;
            if (want !== undefined && JSON.stringify(want) !== JSON.stringify(have)) {
              outcome = { matched: 1, failure: { at: p, reason: `${p.op} has :${a.name} ${JSON.stringify(have)}, the rule wants ${JSON.stringify(want)}` } };
              break;
            }
          }
          for (let i = 0; i < p.inputs.length && !outcome.failure; i++) {
            const r = this.match(p.inputs[i]!, kids[i]!, trial);
            outcome = { matched: outcome.matched + r.matched, ...(r.failure ? { failure: r.failure } : {}) };
          }
          // A full match beats any partial one; among partial ones the deepest wins.
          if (best.failure && (!outcome.failure || outcome.matched > best.matched)) {
            best = outcome;
            bestBindings = trial;
          }
          if (!outcome.failure) break;
        }
        if (!best.failure) for (const [k, v] of bestBindings) bound.set(k, v);
        return best;
      }
    }
  }
}

/** Finds `ruleName` in `files` (without a " (reverse)" suffix). */
function findRule(files: readonly RuleFile[], ruleName: string): Rule {
  for (const f of files) for (const r of f.rules) if (r.name === ruleName) return r;
  const names = files.flatMap((f) => f.rules.map((r) => r.name));
  throw new WhyNotError(`no rule named "${ruleName}" in the rule files given`, {
    where: ruleName,
    hint: `the ${names.length} rules (\`netsat rules\` lists them by file): ${names.join(', ')}`,
  });
}

/** Whether the rule (with `condition`) applies somewhere, on a fresh e-graph, rooted at `roots` if given. */
function applies(network: Network, file: RuleFile, rule: Rule, condition: Expr | undefined, roots: ReadonlySet<string> | undefined): boolean {
  const ng = networkToEGraph(network);
  const [compiled] = compileRules([{ ...file, rules: [{ ...rule, condition }] }], ng);
  const allowed = roots && new Set([...ng.classOf].filter(([t]) => t.producer && roots.has(t.producer.name)).map(([, c]) => ng.egraph.find(c)));
  const rewrite = new Rewrite<TensorData>({
    name: compiled!.name,
    searcher: compiled!.searcher,
    applier: compiled!.applier,
    condition: (m) => (!allowed || allowed.has(m.egraph.find(m.root))) && (compiled!.condition?.(m) ?? true),
  });
  const report = new Runner(ng.egraph, [rewrite], { limits: { iterations: 1 } }).run();
  return (report.iterations[0]?.applied[rewrite.name] ?? 0) > 0;
}

export function whyNot(network: Network, files: readonly RuleFile[], ruleName: string, options: { at?: string } = {}): WhyNotResult {
  const rule = findRule(files, ruleName);
  const file = files.find((f) => f.rules.includes(rule))!;
  if (options.at !== undefined && !network.getLayer(options.at)) {
    throw new WhyNotError(`the network has no layer "${options.at}"`, { where: options.at, hint: 'see the layer names with `netsat inspect`' });
  }
  const ng = networkToEGraph(network);
  const producers = new Map<number, string>();
  for (const [t, c] of ng.classOf) if (t.producer && t.producer.op !== 'Constant') producers.set(ng.egraph.find(c), t.producer.name);
  const matcher = new Matcher(ng, producers);
  const total = rule.lhs.reduce((n, p) => n + opCount(p), 0);
  const roots = [...producers].filter(([, layer]) => options.at === undefined || layer === options.at);
  let best: PartialMatch | undefined;
  const matchedAt: string[] = [];
  for (const [cls, layer] of roots) {
    // A multi-pattern's first part is rooted here; the other parts may sit anywhere.
    const bound = new Map<string, number>();
    let r = matcher.match(rule.lhs[0]!, cls, bound);
    for (const part of rule.lhs.slice(1)) {
      if (r.failure) break;
      const tries = [...producers.keys()].map((c) => ({ c, b: new Map(bound), o: undefined as Outcome | undefined }));
      for (const t of tries) t.o = matcher.match(part, t.c, t.b);
      const pick = tries.find((t) => !t.o!.failure) ?? tries.sort((a, b) => b.o!.matched - a.o!.matched)[0]!;
      r = { matched: r.matched + pick.o!.matched, ...(pick.o!.failure ? { failure: pick.o!.failure } : {}) };
    }
    if (!r.failure) matchedAt.push(layer);
    else if (!best || r.matched > best.matched) best = { layer, matched: r.matched, total, failedAt: printPattern(r.failure.at), reason: r.failure.reason };
  }
  if (matchedAt.length === 0) return { rule: rule.name, verdict: 'no-match', best, matchedAt, failedCondition: undefined };
  const at = options.at === undefined ? undefined : new Set([options.at]);
  let condition: Expr | undefined;
  for (const c of rule.condition ? conjuncts(rule.condition) : []) {
    condition = condition ? and(condition, c) : c;
    if (!applies(network, file, rule, condition, at)) return { rule: rule.name, verdict: 'condition', best, matchedAt, failedCondition: printExpr(c) };
  }
  return { rule: rule.name, verdict: applies(network, file, rule, rule.condition, at) ? 'fires' : 'condition', best, matchedAt, failedCondition: undefined };
}

export function formatWhyNot(r: WhyNotResult): string {
  switch (r.verdict) {
    case 'no-match': {
      if (!r.best) return `rule ${r.rule}: its left side matches nowhere (no layer to root it at)`;
      const b = r.best;
      return [
        `rule ${r.rule}: its left side matches nowhere.`,
        `Best partial match: rooted at layer ${b.layer}, ${b.matched} of ${b.total} op nodes matched.`,
        `First failure at ${b.failedAt}:`,
        `  ${b.reason}`,
      ].join('\n');
    }
    case 'condition':
      return [
        `rule ${r.rule}: the left side matches at ${r.matchedAt.join(', ')},`,
        r.failedCondition ? `but its condition fails at: ${r.failedCondition}` : 'but its right side cannot be built there (a shape or attribute does not fit)',
      ].join('\n');
    case 'fires':
      return `rule ${r.rule} fires at ${r.matchedAt.join(', ')}; if its result is not in the output, extraction found it costlier under the cost model`;
  }
}
