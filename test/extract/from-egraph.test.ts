import { describe, expect, it } from 'vitest';
import { EGraph } from '../../src/egraph/egraph.js';
import { SymbolLanguage } from '../../src/egraph/language.js';
import { extract } from '../../src/extract/extract.js';
import { problemFromEGraph } from '../../src/extract/from-egraph.js';

describe('problemFromEGraph', () => {
  it('extracts from a cyclic e-graph built by the engine', async () => {
    const eg = new EGraph(new SymbolLanguage());
    const x = eg.addExpr('x');
    const rr = eg.addExpr('(reshape (reshape x))');
    eg.union(x, rr);
    eg.rebuild();
    const { problem, nodeIdOf } = problemFromEGraph(eg, [rr], () => 1);
    for (const extractor of ['tree', 'dag', 'ilp'] as const) {
      const s = await extract(problem, { extractor });
      expect(s.cost).toBe(1);
      const root = problem.roots[0]!;
      expect(eg.nodeArity(nodeIdOf[s.choice[root]!]!)).toBe(0);
    }
  });
});
