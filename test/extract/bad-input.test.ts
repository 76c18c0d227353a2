import { describe, expect, it } from 'vitest';
import { extractDag } from '../../src/extract/dag-greedy.js';
import { ExtractionProblemError, SelectionError, UnextractableError } from '../../src/extract/errors.js';
import { extract } from '../../src/extract/extract.js';
import { extractIlp } from '../../src/extract/ilp.js';
import { ProblemBuilder } from '../../src/extract/problem-builder.js';
import { createProblem } from '../../src/extract/problem.js';
import { checkSelection, dagCost } from '../../src/extract/selection.js';
import { extractTree } from '../../src/extract/tree-greedy.js';
import { ExtractionGymFormatError, parseExtractionGym } from '../../src/io/extraction-gym.js';

const node = (eclass: string, children: string[] = [], cost?: number) => ({ op: 'f', eclass, children, ...(cost === undefined ? {} : { cost }) });
const gym = (nodes: Record<string, unknown>, roots: unknown = ['a']) => JSON.stringify({ nodes, root_eclasses: roots });

describe('extraction-gym import', () => {
  it('reads nodes, children as classes, default cost 1, and roots', () => {
    const { problem, nodeOps } = parseExtractionGym(gym({ x: node('a', ['y', 'y']), y: node('b', [], 0), z: node('b', ['x'], 2) }));
    expect(problem.nodeCount).toBe(3);
    expect(problem.classCount).toBe(2);
    expect(Array.from(problem.nodeCost)).toEqual([1, 0, 2]);
    expect(Array.from(problem.childClass)).toEqual([1, 1, 0]);
    expect(problem.classNames).toEqual(['a', 'b']);
    expect(nodeOps).toEqual(['f', 'f', 'f']);
  });

  const cases: [string, string, RegExp][] = [
    ['invalid JSON', '{"nodes": ', /not valid JSON/],
    ['no nodes', JSON.stringify({ root_eclasses: ['a'] }), /"nodes" is missing/],
    ['node without eclass', gym({ x: { op: 'f', children: [] } }), /"eclass" is missing.*node "x"/s],
    ['node without op', gym({ x: { eclass: 'a' } }), /"op" is missing.*node "x"/s],
    ['negative cost', gym({ x: node('a', [], -1) }), /"cost" must be a finite non-negative number.*node "x"/s],
    ['string cost', gym({ x: { op: 'f', eclass: 'a', cost: '1' } }), /"cost".*node "x"/s],
    ['unknown child', gym({ x: node('a', ['nope']) }), /child "nope" is not a node.*node "x"/s],
    ['children not an array', gym({ x: { op: 'f', eclass: 'a', children: 'y' } }), /"children" must be an array.*node "x"/s],
    ['unknown root', gym({ x: node('a') }, ['zz']), /root "zz" is not the eclass/],
    ['empty roots', gym({ x: node('a') }, []), /empty/],
  ];
  for (const [name, text, message] of cases) {
    it(`rejects ${name} with a typed error`, () => {
      expect(() => parseExtractionGym(text, 'bad.json')).toThrow(ExtractionGymFormatError);
      expect(() => parseExtractionGym(text, 'bad.json')).toThrow(message);
    });
  }
});

describe('bad extraction problems', () => {
  it('rejects a class without nodes, a bad cost and out-of-range ids', () => {
    const base = { classCount: 1, nodeClass: [0], nodeCost: [1], childStart: [0, 0], childClass: [], roots: [0] };
    expect(() => createProblem({ ...base, classCount: 2 })).toThrow(/class 1 has no node/);
    expect(() => createProblem({ ...base, nodeCost: [-2] })).toThrow(ExtractionProblemError);
    expect(() => createProblem({ ...base, nodeCost: [NaN] })).toThrow(/finite non-negative/);
    expect(() => createProblem({ ...base, roots: [3] })).toThrow(/root class id 3/);
    expect(() => createProblem({ ...base, childStart: [0, 1], childClass: [5] })).toThrow(/child class id 5/);
  });

  it('reports a root with no acyclic term instead of looping, in every extractor', async () => {
    const b = new ProblemBuilder();
    const a = b.addClass('a');
    const c = b.addClass('c');
    b.addNode(a, 1, [c], 'f');
    b.addNode(c, 1, [a], 'g');
    b.addNode(c, 1, [c], 'h');
    b.addRoot(a);
    const p = b.build();
    expect(() => extractTree(p)).toThrow(UnextractableError);
    expect(() => extractDag(p)).toThrow(/root class "a" has no acyclic term/);
    await expect(extractIlp(p)).rejects.toBeInstanceOf(UnextractableError);
  });

  it('checkSelection rejects incomplete, cyclic and misplaced choices', () => {
    const b = new ProblemBuilder();
    const a = b.addClass('a');
    const c = b.addClass('c');
    const f = b.addNode(a, 1, [c]);
    const g = b.addNode(c, 1, [a]);
    const leaf = b.addNode(c, 1);
    b.addRoot(a);
    const p = b.build();
    expect(() => checkSelection(p, Int32Array.from([f, -1]))).toThrow(/class "c" is needed but has no chosen node/);
    expect(() => checkSelection(p, Int32Array.from([f, g]))).toThrow(SelectionError);
    expect(() => checkSelection(p, Int32Array.from([f, g]))).toThrow(/cyclic/);
    expect(() => checkSelection(p, Int32Array.from([leaf, leaf]))).toThrow(/not one of its nodes/);
    checkSelection(p, Int32Array.from([f, leaf]));
    expect(dagCost(p, Int32Array.from([f, leaf]))).toBe(2);
  });

  it('an ILP out of time returns the best known (greedy) selection with the reason', async () => {
    const b = new ProblemBuilder();
    const r = b.addClass();
    const x = b.addClass();
    b.addNode(x, 3);
    b.addNode(r, 1, [x, x]);
    b.addRoot(r);
    const s = await extract(b.build(), { extractor: 'ilp', timeLimitMs: 0 });
    expect(s.status).toBe('time-limit');
    expect(s.reason).toMatch(/time limit/);
    expect(s.cost).toBe(4);
    expect(s.gap).not.toBeNull();
  });
});
