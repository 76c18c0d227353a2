import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EGraph } from '../../src/egraph/egraph.js';
import { SymbolLanguage } from '../../src/egraph/language.js';

/** Naive congruence closure over term ids: union-find plus repeated full passes until nothing merges. */
function oracle(terms: { op: string; kids: number[] }[], unions: [number, number][]): (a: number, b: number) => boolean {
  const parent = terms.map((_, i) => i);
  const find = (x: number): number => (parent[x] === x ? x : (parent[x] = find(parent[x]!)));
  for (const [a, b] of unions) parent[find(a)] = find(b);
  for (let changed = true; changed; ) {
    changed = false;
    for (let i = 0; i < terms.length; i++) {
      for (let j = i + 1; j < terms.length; j++) {
        const s = terms[i]!;
        const t = terms[j]!;
        if (find(i) === find(j) || s.op !== t.op || s.kids.length !== t.kids.length) continue;
        if (s.kids.every((k, n) => find(k) === find(t.kids[n]!))) {
          parent[find(i)] = find(j);
          changed = true;
        }
      }
    }
  }
  return (a, b) => find(a) === find(b);
}

const ARITY: Record<string, number> = { a: 0, b: 0, c: 0, f: 1, g: 2 };

const script = fc.array(
  fc.oneof(
    fc.record({ kind: fc.constant('add' as const), op: fc.constantFrom(...Object.keys(ARITY)), kids: fc.array(fc.nat(), { minLength: 2, maxLength: 2 }) }),
    fc.record({ kind: fc.constant('union' as const), a: fc.nat(), b: fc.nat() }),
    fc.record({ kind: fc.constant('rebuild' as const) }),
    fc.record({ kind: fc.constant('compact' as const) }),
  ),
  { minLength: 1, maxLength: 40 },
);

describe('rebuild', () => {
  it('restores the invariants and agrees with a naive congruence closure, with compactions anywhere', () => {
    fc.assert(
      fc.property(script, (steps) => {
        const language = new SymbolLanguage(ARITY);
        const egraph = new EGraph(language);
        const terms: { op: string; kids: number[] }[] = [];
        const ids: number[] = [];
        const unions: [number, number][] = [];
        const addTerm = (op: string, kids: number[]) => {
          ids.push(
            egraph.add(
              language.resolve(op, kids.length).op,
              0,
              kids.map((k) => ids[k]!),
            ),
          );
          terms.push({ op, kids });
        };
        addTerm('a', []);
        for (const step of steps) {
          if (step.kind === 'add')
            addTerm(
              step.op,
              step.kids.slice(0, ARITY[step.op]!).map((k) => k % terms.length),
            );
          else if (step.kind === 'union') {
            const pair: [number, number] = [step.a % terms.length, step.b % terms.length];
            unions.push(pair);
            egraph.union(ids[pair[0]]!, ids[pair[1]]!);
          } else if (step.kind === 'rebuild') egraph.rebuild();
          else {
            // Compaction drops dead nodes' storage mid-run; later adds and unions must not notice.
            egraph.compact();
            egraph.checkInvariants();
          }
        }
        egraph.rebuild();
        egraph.checkInvariants();
        const same = oracle(terms, unions);
        for (let i = 0; i < terms.length; i++) {
          for (let j = 0; j < terms.length; j++) expect(egraph.find(ids[i]!) === egraph.find(ids[j]!)).toBe(same(i, j));
        }
        // Distinct canonical nodes: one per distinct (op, child classes).
        const distinct = new Set(terms.map((t, i) => `${t.op}(${t.kids.map((k) => egraph.find(ids[k]!)).join(',')})#${egraph.find(ids[i]!)}`));
        expect(egraph.nodeCount).toBe(distinct.size);
      }),
      { seed: 42, numRuns: 1500 },
    );
  });
});
