import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { verifyEquivalent } from '../../src/interp/verify.js';
import { lowerSelection } from '../../src/lower/from-selection.js';
import { networkToEGraph } from '../../src/lower/to-egraph.js';
import { Network } from '../../src/network/network.js';
import * as F from '../../src/network/functional/primitives.js';
import { arbNetwork } from '../support/random-network.js';

describe('lowering a selection onto the network', () => {
  it('choosing every original node keeps every layer but dead ones and duplicates (identity lowering)', () => {
    fc.assert(
      fc.property(arbNetwork(), (network) => {
        const before = network.clone();
        const ng = networkToEGraph(network);
        // An identical layer hash-conses onto an earlier one's node: per class, the first layer
        // that computes it is kept (CSE), if the class is needed by an output at all.
        const classOf = (l: (typeof network.layers)[number]) => ng.egraph.find(ng.classOf.get(l.outputs[0]!)!);
        const firstOfClass = new Map<number, string>();
        for (const l of network.layers) if (!firstOfClass.has(classOf(l))) firstOfClass.set(classOf(l), l.name);
        const needed = new Set<number>();
        const stack = [...network.outputs];
        while (stack.length) {
          const p = stack.pop()!.producer;
          if (!p || needed.has(classOf(p))) continue;
          needed.add(classOf(p));
          const first = network.getLayer(firstOfClass.get(classOf(p))!)!;
          for (const t of first.inputs) if (t) stack.push(t);
        }
        const gone = network.layers.filter((l) => !needed.has(classOf(l)) || firstOfClass.get(classOf(l)) !== l.name).map((l) => l.name);
        const kept = network.layers.filter((l) => !gone.includes(l.name));
        const original = new Map<number, number>();
        for (const [node] of ng.layerOfNode) if (!original.has(ng.egraph.find(node))) original.set(ng.egraph.find(node), node);
        // Leaves (Absent) have no layer: a class id is also the id of the node that made it.
        const result = lowerSelection(network, ng, (c) => original.get(ng.egraph.find(c)) ?? ng.egraph.find(c));
        expect(result.newLayers).toEqual([]);
        expect([...result.removed].sort()).toEqual([...gone].sort());
        for (const l of kept) expect(l.isRemoved()).toBe(false); // the same Layer objects survive
        network.validate();
        expect(network.outputs.map((t) => t.name)).toEqual(before.outputs.map((t) => t.name));
        expect(verifyEquivalent(before, network).pass).toBe(true);
      }),
      { seed: 11, numRuns: 300 },
    );
  });

  it('builds a new node as a layer named for what it displaces, reuses the rest, removes the displaced', () => {
    const net = new Network();
    const x = net.addInput('x', 'float32', [2, 4]);
    const w = net.addConstant({ name: 'w', dtype: 'float32', shape: [4, 3], data: Array.from({ length: 12 }, (_, i) => i / 10) });
    const b = net.addConstant({ name: 'b', dtype: 'float32', shape: [3], data: [1, 2, 3] });
    const y = F.relu(F.add(F.matmul(x, w), b));
    net.markOutput(y, 'y');
    const before = net.clone();
    const ng = networkToEGraph(net);
    const L = ng.language;
    const { egraph } = ng;
    const addLayer = net.layers.find((l) => l.op === 'Add')!;
    // A FusedLinear node in the add's class: (FusedLinear attrs x w b).
    const attrs = egraph.add(L.attrsOp, L.internAttrs({ activation: 'none', transB: false }));
    const fused = egraph.add(L.opId('FusedLinear')!, 0, [attrs, ng.classOf.get(x)!, ng.classOf.get(w)!, ng.classOf.get(b)!]);
    egraph.union(fused, ng.classOf.get(addLayer.outputs[0]!)!);
    egraph.rebuild();
    const choose = (c: number) => {
      const cls = egraph.find(c);
      if (cls === egraph.find(fused)) return fused;
      for (const [node] of ng.layerOfNode) if (egraph.find(node) === cls) return node;
      for (const t of net.inputs) if (egraph.find(ng.classOf.get(t)!) === cls) return ng.classOf.get(t)!;
      return undefined;
    };
    const relu = net.layers.find((l) => l.op === 'Relu')!;
    const result = lowerSelection(net, ng, choose);
    expect(result.newLayers.map((p) => [p.layer, p.op])).toEqual([['FusedLinear_1', 'FusedLinear']]);
    expect(result.removed).toEqual(['matmul_2', 'add_3']);
    expect(net.getLayer('matmul_2')!.isRemoved()).toBe(true);
    expect(relu.isRemoved()).toBe(false); // kept with its identity
    expect(relu.inputs[0]!.getParent()!.op).toBe('FusedLinear');
    expect(net.outputs[0]!.name).toBe('y');
    net.validate();
    expect(verifyEquivalent(before, net).pass).toBe(true);
  });
});

describe('opaque layers in the e-graph', () => {
  const opaque = (net: Network, x: ReturnType<Network['addInput']>, opType: string) =>
    net.addLayer('Opaque', [x], { opType, outputTypes: JSON.stringify([{ dtype: 'float32', shape: [2, 3] }]) }).outputs[0]!;

  it('merges two identical deterministic ops but never two random ones', () => {
    const net = new Network();
    const x = net.addInput('x', 'float32', [2, 3]);
    const [h1, h2] = [opaque(net, x, 'HardSwish'), opaque(net, x, 'HardSwish')];
    const [r1, r2] = [opaque(net, x, 'RandomNormalLike'), opaque(net, x, 'RandomNormalLike')];
    for (const [i, t] of [h1, h2, r1, r2].entries()) net.markOutput(t, `y${i}`);
    const ng = networkToEGraph(net);
    const cls = (t: typeof x) => ng.egraph.find(ng.classOf.get(t)!);
    expect(cls(h1)).toBe(cls(h2));
    expect(cls(r1)).not.toBe(cls(r2));
    // Lowering the original selection keeps both random layers.
    const original = new Map<number, number>();
    for (const [node] of ng.layerOfNode) if (!original.has(ng.egraph.find(node))) original.set(ng.egraph.find(node), node);
    const result = lowerSelection(net, ng, (c) => original.get(ng.egraph.find(c)) ?? ng.egraph.find(c));
    expect(result.removed).toEqual([h2.producer!.name]);
    expect(r1.producer!.isRemoved() || r2.producer!.isRemoved()).toBe(false);
  });
});
