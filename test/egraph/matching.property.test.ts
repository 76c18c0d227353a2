import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EGraph } from '../../src/egraph/egraph.js';
import { SymbolLanguage } from '../../src/egraph/language.js';
import { Matcher, Program } from '../../src/egraph/machine.js';
import { MatchList } from '../../src/egraph/match-list.js';
import { MultiPattern } from '../../src/egraph/multipattern.js';
import { Pattern } from '../../src/egraph/pattern.js';

const ARITY: Record<string, number> = { a: 0, b: 0, f: 1, g: 2 };
const OPS = Object.keys(ARITY);

/** A random small e-graph: adds over a, b, f, g, then unions, then rebuild. */
const egraphScript = fc.record({
  adds: fc.array(fc.record({ op: fc.constantFrom(...OPS), kids: fc.array(fc.nat(), { minLength: 2, maxLength: 2 }) }), { minLength: 1, maxLength: 25 }),
  unions: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 8 }),
});

/** A random pattern text over the same ops with variables ?x ?y ?z. */
const patternText: fc.Arbitrary<string> = fc.letrec<{ term: string }>((tie) => ({
  term: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('?x', '?y', '?z', 'a', 'b'),
    tie('term').map((t) => `(f ${t})`),
    fc.tuple(tie('term'), tie('term')).map(([l, r]) => `(g ${l} ${r})`),
  ),
})).term;

function buildEGraph(script: { adds: { op: string; kids: number[] }[]; unions: [number, number][] }) {
  const language = new SymbolLanguage(ARITY);
  const egraph = new EGraph(language);
  const ids: number[] = [egraph.addExpr('a'), egraph.addExpr('b')];
  for (const { op, kids } of script.adds) {
    const arity = ARITY[op]!;
    ids.push(
      egraph.add(
        language.resolve(op, arity).op,
        0,
        kids.slice(0, arity).map((k) => ids[k % ids.length]!),
      ),
    );
  }
  for (const [i, j] of script.unions) egraph.union(ids[i % ids.length]!, ids[j % ids.length]!);
  egraph.rebuild();
  return { language, egraph };
}

type Subst = Map<string, number>;

/** Brute force: every substitution under which pattern node `i` matches class `c`. */
function naiveMatches(egraph: EGraph, pattern: Pattern, i: number, c: number, subst: Subst): Subst[] {
  const v = pattern.varOf[i]!;
  if (v >= 0) {
    const name = pattern.vars[v]!;
    const bound = subst.get(name);
    if (bound === undefined) return [new Map(subst).set(name, c)];
    return bound === c ? [subst] : [];
  }
  const out: Subst[] = [];
  for (const node of egraph.classNodes(c)) {
    if (egraph.nodeOp(node) !== pattern.ops[i] || egraph.nodeArity(node) !== pattern.childStart[i + 1]! - pattern.childStart[i]!) continue;
    let partial = [subst];
    for (let k = 0; k < egraph.nodeArity(node); k++) {
      const child = pattern.children[pattern.childStart[i]! + k]!;
      partial = partial.flatMap((s) => naiveMatches(egraph, pattern, child, egraph.nodeChild(node, k), s));
    }
    out.push(...partial);
  }
  return out;
}

function key(root: number, vars: readonly string[], get: (v: string) => number): string {
  return `${root}|${vars.map((v) => `${v}=${get(v)}`).join(',')}`;
}

function compiled(egraph: EGraph, program: Program): string[] {
  const out = new MatchList(program.width);
  new Matcher(egraph).search(program, out);
  const keys: string[] = [];
  for (let k = 0; k < out.count; k++) {
    const at = k * out.width;
    keys.push(key(out.data[at]!, [...program.vars].sort(), (v) => out.data[at + 1 + program.vars.indexOf(v)]!));
  }
  return keys.sort();
}

describe('compiled e-matching', () => {
  it('finds exactly the substitutions a brute-force matcher finds', () => {
    fc.assert(
      fc.property(egraphScript, patternText, (script, text) => {
        const { language, egraph } = buildEGraph(script);
        const pattern = Pattern.parse(language, text);
        const expected: string[] = [];
        for (const c of egraph.classIds()) {
          for (const s of naiveMatches(egraph, pattern, pattern.root, c, new Map())) expected.push(key(c, [...pattern.vars].sort(), (v) => s.get(v)!));
        }
        const found = compiled(egraph, new Program([{ rootVar: null, pattern }]));
        expect(found).toEqual(expected.sort());
        expect(new Set(found).size).toBe(found.length);
      }),
      { seed: 20240611, numRuns: 1200 },
    );
  });

  it('a guard on a variable keeps exactly the matches whose class meets it, in every part it binds', () => {
    fc.assert(
      fc.property(egraphScript, patternText, patternText, fc.nat(3), (script, first, second, modulus) => {
        const { language, egraph } = buildEGraph(script);
        const multi = MultiPattern.parse(language, `?r = ${first}, ?s = ${second}`);
        const keep = (_: never, id: number) => id % (modulus + 2) !== 0;
        const all = new Program(multi.parts);
        const at = all.vars.indexOf('?x');
        const expected = compiled(egraph, all).filter((k) => at < 0 || keep(undefined as never, Number(/\?x=(\d+)/.exec(k)![1])));
        expect(compiled(egraph, new Program(multi.parts, new Map([['?x', keep]])))).toEqual(expected);
      }),
      { seed: 11, numRuns: 300 },
    );
  });

  it('joins multi-patterns on shared variables like a brute-force join', () => {
    fc.assert(
      fc.property(egraphScript, patternText, patternText, (script, first, second) => {
        const { language, egraph } = buildEGraph(script);
        const multi = MultiPattern.parse(language, `?r = ${first}, ?s = ${second}`);
        const [p, q] = multi.parts.map((part) => part.pattern);
        const expected: string[] = [];
        const vars = [...multi.vars].sort();
        for (const c of egraph.classIds()) {
          for (const s1 of naiveMatches(egraph, p!, p!.root, c, new Map([['?r', c]]))) {
            for (const d of egraph.classIds()) {
              const bound = s1.get('?s');
              if (bound !== undefined && bound !== d) continue;
              for (const s2 of naiveMatches(egraph, q!, q!.root, d, new Map(s1).set('?s', d))) expected.push(key(c, vars, (v) => s2.get(v)!));
            }
          }
        }
        expect(compiled(egraph, new Program(multi.parts))).toEqual(expected.sort());
      }),
      { seed: 7, numRuns: 300 },
    );
  });
});
