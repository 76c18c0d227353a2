import { describe, expect, it } from 'vitest';
import { roofline } from '../../src/cost/roofline.js';
import { EGraph } from '../../src/egraph/egraph.js';
import { SymbolLanguage } from '../../src/egraph/language.js';
import { extract } from '../../src/extract/extract.js';
import { ExtractionProblemError } from '../../src/extract/errors.js';
import { networkToEGraph } from '../../src/lower/to-egraph.js';
import { Network } from '../../src/network/network.js';
import * as F from '../../src/network/functional/primitives.js';

describe('extract(egraph, {roots, costModel | nodeCost, extractor})', () => {
  it('extracts from a generic e-graph with a node cost function, for every extractor', async () => {
    const lang = new SymbolLanguage();
    const g = new EGraph(lang);
    const big = g.addExpr('(* x (+ 1 1))');
    const small = g.addExpr('(<< x 1)');
    g.union(big, small);
    g.rebuild();
    const cost = (op: number) => (lang.format(op) === '*' ? 10 : 1);
    for (const extractor of ['tree', 'dag', 'ilp'] as const) {
      const sel = await extract(g, { roots: [big], nodeCost: cost, extractor });
      expect(lang.format(g.nodeOp(sel.chosen.get(g.find(big))!))).toBe('<<');
      expect(sel.cost).toBe(3); // <<, x, 1
    }
  });

  it('prices a tensor e-graph with a cost model', async () => {
    const net = new Network();
    const x = net.addInput('x', 'float32', [64, 64]);
    net.markOutput(F.relu(x), 'y');
    const ng = networkToEGraph(net);
    const sel = await extract(ng.egraph, { roots: ng.roots, costModel: roofline('h100-sxm') });
    expect(sel.cost).toBeGreaterThan(0);
    expect(sel.chosen.get(ng.egraph.find(ng.roots[0]!))).toBeDefined();
  });

  it('refuses a tensor cost model on another language, and a call without any cost', async () => {
    const g = new EGraph(new SymbolLanguage());
    const r = g.addExpr('(f x)');
    g.rebuild();
    await expect(extract(g, { roots: [r], costModel: roofline('h100-sxm') })).rejects.toThrow(ExtractionProblemError);
    await expect(extract(g, { roots: [r] })).rejects.toThrow(/costModel or a nodeCost/);
  });
});
