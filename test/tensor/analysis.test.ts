import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { networkToEGraph } from '../../src/lower/to-egraph.js';
import { Network } from '../../src/network/network.js';
import * as F from '../../src/network/functional/primitives.js';
import { sameShape } from '../../src/ops/shape.js';
import { arbNetwork } from '../support/random-network.js';

describe('tensor analysis', () => {
  it('agrees with the network shape inference on every tensor of random networks', () => {
    fc.assert(
      fc.property(arbNetwork(), (network) => {
        const ng = networkToEGraph(network);
        ng.egraph.checkInvariants();
        for (const [tensor, cls] of ng.classOf) {
          const d = ng.egraph.data(cls);
          expect(d.kind).toBe('tensor');
          if (d.kind !== 'tensor') return;
          expect(d.invalid).toBe(false);
          expect(d.type!.dtype).toBe(tensor.dtype);
          expect(sameShape(d.type!.shape, tensor.shape)).toBe(true);
        }
      }),
      { seed: 7, numRuns: 1000 },
    );
  });

  it('keeps symbolic dims and small constant values, and folds small constant arithmetic', () => {
    const net = new Network();
    const x = net.addInput('x', 'float32', ['batch', 4]);
    const two = net.addConstant({ name: 'two', dtype: 'float32', shape: [], data: [2] });
    const three = net.addConstant({ name: 'three', dtype: 'float32', shape: [], data: [3] });
    const six = F.mul(two, three);
    net.markOutput(F.mul(x, six), 'y');
    const ng = networkToEGraph(net);
    const d = ng.egraph.data(ng.classOf.get(six)!);
    expect(d.kind === 'tensor' && Array.from(d.value!.data)).toEqual([6]);
    expect(d.kind === 'tensor' && d.foldable).toBe(true);
    expect(d.kind === 'tensor' && d.constant).toBe(false); // computed, not a constant leaf
    const y = ng.egraph.data(ng.roots[0]!);
    expect(y.kind === 'tensor' && y.type!.shape).toEqual(['batch', 4]);
  });

  it('interns equal small constants by value, so they share one class', () => {
    const net = new Network();
    const x = net.addInput('x', 'float32', [3]);
    const a = F.add(x, 1);
    const b = F.add(x, 1);
    net.markOutput(a, 'a');
    net.markOutput(b, 'b');
    const ng = networkToEGraph(net);
    // Same op, same inputs, same constant: one e-class for both adds.
    expect(ng.egraph.find(ng.classOf.get(a)!)).toBe(ng.egraph.find(ng.classOf.get(b)!));
  });
});

describe('tensor language: constants', () => {
  it('keeps 0 and -0 apart (x / 0 and x / -0 are infinities of opposite sign)', () => {
    const net = new Network();
    const x = net.addInput('x', 'float32', [1]);
    const zero = net.addConstant({ name: 'zero', dtype: 'float32', shape: [1], data: [0] });
    const negZero = net.addConstant({ name: 'neg_zero', dtype: 'float32', shape: [1], data: [-0] });
    net.markOutput(F.div(x, zero), 'pos');
    net.markOutput(F.div(x, negZero), 'neg');
    const ng = networkToEGraph(net);
    expect(ng.egraph.find(ng.classOf.get(zero)!)).not.toBe(ng.egraph.find(ng.classOf.get(negZero)!));
    expect(ng.roots[0]).not.toBe(ng.roots[1]);
  });
});
