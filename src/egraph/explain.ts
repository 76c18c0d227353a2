import { EGraphStateError } from './errors.js';
import { grown } from './growable.js';
import { Hashcons, hashNode } from './hashcons.js';
import { NodeStore } from './node-store.js';
import type { Term } from './term.js';

/**
 * One rewrite in an explanation: the rule, which way it was used, the whole term after it, and the
 * terms the rule matched (its left side instantiated, one term per part of a multi-pattern). The
 * step is checked by searching `matched` with the rule: applying it must make the rewritten
 * subterms equal, whatever the rule's applier (pattern, multi-pattern or TypeScript).
 */
export interface ExplanationStep {
  readonly rule: string;
  readonly direction: 'forward' | 'backward';
  readonly term: Term;
  readonly matched: readonly Term[];
}

/** A proof step in brief: the rule, its direction, and the op (and payload) at the top of the whole term after it. */
export interface BriefStep {
  readonly rule: string;
  readonly direction: 'forward' | 'backward';
  readonly op: number;
  readonly payload: number;
}

/** Why two terms are equal: the first term, then each rewrite that leads to the second. */
export interface Explanation {
  readonly start: Term;
  readonly steps: readonly ExplanationStep[];
}

const CONGRUENCE = -1;
const MAX_DEPTH = 10_000;

/**
 * The proof record behind explanations (on only when the e-graph is built with
 * `{ explanations: true }`; otherwise it does not exist and costs nothing).
 *
 * In this mode every node id is a concrete term: its op and payload applied to the term ids it
 * was added with (kept here, since the e-graph rewrites children to canonical ids). Adding a term
 * that is congruent to, but not the same as, an existing one makes a new id unioned "by congruence".
 * Each union adds one edge between the two terms it was given, with the rule's name, forming a
 * spanning forest of each e-class (egg's proof forest); explaining a = b walks the tree path.
 */
export class Explainer {
  private readonly terms = new NodeStore();
  private readonly memo = new Hashcons(this.terms);
  private parent = new Int32Array(64);
  private rule = new Int32Array(64);
  private forward = new Uint8Array(64);
  /** Per proof edge (kept at the same term as its rule): its matched terms, as a range of `matchedTerms`. */
  private matchedStart = new Int32Array(64);
  private matchedEnd = new Int32Array(64);
  private matchedTerms = new Int32Array(64);
  private matchedCount = 0;
  private readonly ruleNames: string[] = [];
  private readonly ruleIds = new Map<string, number>();

  /** The term id of exactly this term (children as given), or -1. */
  findTerm(op: number, payload: number, source: Int32Array, from: number, arity: number): number {
    return this.memo.lookup(op, payload, source, from, arity, hashNode(op, payload, source, from, arity));
  }

  /** Records new node `id` as the term op(payload)(source children). */
  recordTerm(id: number, op: number, payload: number, source: Int32Array, from: number, arity: number): void {
    const t = this.terms.push(op, payload, source, from, arity);
    if (t !== id) throw new EGraphStateError(`explanation terms out of step (term ${t}, node ${id})`, { hint: 'turn explanations on before adding anything' });
    this.memo.insert(t, hashNode(op, payload, source, from, arity));
    this.parent = grown(this.parent, t + 1);
    this.rule = grown(this.rule, t + 1);
    this.forward = grown(this.forward, t + 1);
    this.matchedStart = grown(this.matchedStart, t + 1);
    this.matchedEnd = grown(this.matchedEnd, t + 1);
    this.parent[t] = t;
  }

  /**
   * Records that term `a` was made equal to term `b` by `ruleName` (a the left side) matching the
   * terms `matched`, or by congruence.
   */
  link(a: number, b: number, ruleName?: string, matched: readonly number[] = []): void {
    this.reroot(a);
    this.parent[a] = b;
    this.rule[a] = ruleName === undefined ? CONGRUENCE : this.ruleId(ruleName);
    this.forward[a] = 1;
    this.matchedTerms = grown(this.matchedTerms, this.matchedCount + matched.length);
    this.matchedStart[a] = this.matchedCount;
    for (const t of matched) this.matchedTerms[this.matchedCount++] = t;
    this.matchedEnd[a] = this.matchedCount;
  }

  /** The term a node id stands for. */
  term(id: number): Term {
    const { ops, payloads, childStart, children } = this.terms;
    const kids: Term[] = [];
    for (let i = childStart[id]!; i < childStart[id + 1]!; i++) kids.push(this.term(children[i]!));
    return { op: ops[id]!, payload: payloads[id]!, children: kids };
  }

  /** The rewrites that turn term `a` into term `b` (which must be in one e-class). */
  explain(a: number, b: number): Explanation {
    return { start: this.term(a), steps: this.between(a, b, 0) };
  }

  private between(a: number, b: number, depth: number): ExplanationStep[] {
    if (depth > MAX_DEPTH) throw new EGraphStateError('explanation too deep', { hint: 'the proof loops through cyclic terms; explain smaller terms' });
    if (a === b) return [];
    const steps: ExplanationStep[] = [];
    this.pathEdges(a, b, (from, to, rule, forward, owner) => steps.push(...this.edge(from, to, rule, forward, depth, owner)));
    return steps;
  }

  /**
   * The proof from term `a` to term `b` in brief, without building terms: per step its rule, its
   * direction and the op at the top of the term after it; at most `limit` steps. Proofs through
   * shared structure can be exponentially long when written out, so this stops where the caller
   * says, and `rulesBetween` answers which rules took part at any size.
   */
  briefSteps(a: number, b: number, limit: number): BriefStep[] {
    const out: BriefStep[] = [];
    this.briefBetween(a, b, -1, limit, out, 0);
    return out;
  }

  /** The rules on the proof path from `a` to `b`, each once; every pair of terms is visited once, so the cost is linear in the proof forest. */
  rulesBetween(a: number, b: number): string[] {
    const rules = new Set<number>();
    const seen = new Set<string>();
    const visit = (x: number, y: number) => {
      const key = `${x},${y}`;
      if (x === y || seen.has(key)) return;
      seen.add(key);
      this.pathEdges(x, y, (from, to, rule) => {
        if (rule !== CONGRUENCE) rules.add(rule);
        else this.forChildPairs(from, to, visit);
      });
    };
    visit(a, b);
    return [...rules].map((r) => this.ruleNames[r]!);
  }

  /** Calls `edge(from, to, rule, forward, owner)` for each proof-forest edge on the path from `a` to `b`, in order. */
  private pathEdges(a: number, b: number, edge: (from: number, to: number, rule: number, forward: boolean, owner: number) => void): void {
    const up = new Map<number, number>();
    for (let x = a, i = 0; ; x = this.parent[x]!, i++) {
      up.set(x, i);
      if (this.parent[x] === x) break;
    }
    const down: number[] = [];
    let meet = b;
    while (!up.has(meet)) {
      if (this.parent[meet] === meet) throw new EGraphStateError(`terms ${a} and ${b} are not equal`, { hint: 'explain only terms that the e-graph found equal' });
      down.push(meet);
      meet = this.parent[meet]!;
    }
    for (let x = a; x !== meet; x = this.parent[x]!) edge(x, this.parent[x]!, this.rule[x]!, this.forward[x] === 1, x);
    for (let i = down.length - 1; i >= 0; i--) edge(this.parent[down[i]!]!, down[i]!, this.rule[down[i]!]!, this.forward[down[i]!] !== 1, down[i]!);
  }

  /** Calls `pair(x, y)` for the children of congruent terms `from` and `to`, left to right. */
  private forChildPairs(from: number, to: number, pair: (x: number, y: number) => void): void {
    const { childStart, children } = this.terms;
    const arity = childStart[from + 1]! - childStart[from]!;
    for (let i = 0; i < arity; i++) pair(children[childStart[from]! + i]!, children[childStart[to]! + i]!);
  }

  /** briefSteps' walk: `top` is the outermost term a congruence step rewrites inside (-1 at the top), whose op every inner step reports. */
  private briefBetween(a: number, b: number, top: number, limit: number, out: BriefStep[], depth: number): void {
    if (depth > MAX_DEPTH) throw new EGraphStateError('explanation too deep', { hint: 'the proof loops through cyclic terms; explain smaller terms' });
    if (a === b || out.length >= limit) return;
    const { ops, payloads } = this.terms;
    this.pathEdges(a, b, (from, to, rule, forward) => {
      if (out.length >= limit) return;
      if (rule !== CONGRUENCE) {
        const shown = top >= 0 ? top : to;
        out.push({ rule: this.ruleNames[rule]!, direction: forward ? 'forward' : 'backward', op: ops[shown]!, payload: payloads[shown]! });
      } else this.forChildPairs(from, to, (x, y) => this.briefBetween(x, y, top >= 0 ? top : from, limit, out, depth + 1));
    });
  }

  /** The steps from term `from` to term `to` across one proof edge. */
  private edge(from: number, to: number, rule: number, forward: boolean, depth: number, owner: number): ExplanationStep[] {
    if (rule !== CONGRUENCE) {
      const matched: Term[] = [];
      for (let i = this.matchedStart[owner]!; i < this.matchedEnd[owner]!; i++) matched.push(this.term(this.matchedTerms[i]!));
      return [{ rule: this.ruleNames[rule]!, direction: forward ? 'forward' : 'backward', term: this.term(to), matched }];
    }
    // Same op, children pairwise equal: rewrite the children one at a time, left to right.
    const { childStart, children } = this.terms;
    const arity = childStart[from + 1]! - childStart[from]!;
    const current = this.term(from);
    const kids = [...current.children];
    const steps: ExplanationStep[] = [];
    for (let i = 0; i < arity; i++) {
      const inner = this.between(children[childStart[from]! + i]!, children[childStart[to]! + i]!, depth + 1);
      for (const step of inner) {
        kids[i] = step.term;
        steps.push({ ...step, term: { op: current.op, payload: current.payload, children: [...kids] } });
      }
      kids[i] = this.term(children[childStart[to]! + i]!);
    }
    return steps;
  }

  private ruleId(name: string): number {
    let id = this.ruleIds.get(name);
    if (id === undefined) {
      id = this.ruleNames.length;
      this.ruleNames.push(name);
      this.ruleIds.set(name, id);
    }
    return id;
  }

  /** Makes `x` the root of its proof tree, turning round the edges on the way (each keeps its rule and matched terms). */
  private reroot(x: number): void {
    const { parent, rule, forward, matchedStart, matchedEnd } = this;
    let child = x;
    let p = parent[x]!;
    let r = rule[x]!;
    let f = forward[x]!;
    let ms = matchedStart[x]!;
    let me = matchedEnd[x]!;
    parent[x] = x;
    while (p !== child) {
      const pp = parent[p]!;
      const pr = rule[p]!;
      const pf = forward[p]!;
      const pms = matchedStart[p]!;
      const pme = matchedEnd[p]!;
      parent[p] = child;
      rule[p] = r;
      forward[p] = f ^ 1;
      matchedStart[p] = ms;
      matchedEnd[p] = me;
      if (pp === p) break;
      child = p;
      p = pp;
      r = pr;
      f = pf;
      ms = pms;
      me = pme;
    }
  }
}
