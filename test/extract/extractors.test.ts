import { describe, expect, it } from 'vitest';
import { extract } from '../../src/extract/extract.js';
import { ProblemBuilder } from '../../src/extract/problem-builder.js';

/** s = g(a, b) with a = h(x), b = k(x) sharing an expensive x, or s = a leaf of cost 5. */
function sharing() {
  const b = new ProblemBuilder();
  const [s, a, c, x] = [b.addClass('s'), b.addClass('a'), b.addClass('b'), b.addClass('x')];
  b.addNode(x, 3, [], 'x');
  b.addNode(a, 0, [x], 'h');
  b.addNode(c, 0, [x], 'k');
  b.addNode(s, 1, [a, c], 'g');
  b.addNode(s, 5, [], 'leaf');
  b.addRoot(s);
  return b.build();
}

describe('extract()', () => {
  it('tree greedy pays shared nodes per use; DAG greedy and ILP pay them once', async () => {
    const p = sharing();
    expect((await extract(p, { extractor: 'tree' })).cost).toBe(5);
    expect((await extract(p, { extractor: 'dag' })).cost).toBe(4);
    const ilp = await extract(p, { extractor: 'ilp' });
    expect(ilp.cost).toBe(4);
    expect(ilp.status).toBe('optimal');
    expect(ilp.lowerBound).toBeCloseTo(4, 9);
  });

  it('defaults to DAG greedy and leaves unneeded classes unchosen', async () => {
    const b = new ProblemBuilder();
    const r = b.addClass();
    const unused = b.addClass();
    b.addNode(r, 1);
    b.addNode(unused, 1);
    b.addRoot(r);
    const s = await extract(b.build());
    expect(s.extractor).toBe('dag');
    expect(Array.from(s.choice)).toEqual([0, -1]);
  });

  it('breaks e-graph cycles: x = reshape(reshape(x)) extracts x itself', async () => {
    const b = new ProblemBuilder();
    const x = b.addClass('x');
    const y = b.addClass('y');
    b.addNode(x, 0, [y], 'reshape-back');
    b.addNode(x, 5, [], 'input');
    b.addNode(y, 1, [x], 'reshape');
    b.addRoot(x);
    const p = b.build();
    for (const extractor of ['tree', 'dag', 'ilp'] as const) {
      const s = await extract(p, { extractor });
      expect(s.cost).toBe(5);
    }
  });
});
