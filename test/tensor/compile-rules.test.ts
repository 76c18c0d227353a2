import { describe, expect, it } from 'vitest';
import { Runner } from '../../src/egraph/runner.js';
import { networkToEGraph } from '../../src/lower/to-egraph.js';
import { Network } from '../../src/network/network.js';
import type { Tensor } from '../../src/network/tensor.js';
import * as F from '../../src/network/functional/primitives.js';
import { loadRuleFile, loadRuleText } from '../../src/rules/load.js';
import { compileRules } from '../../src/tensor/compile-rules.js';
import { saturateEGraph } from '../../src/tensor/saturate.js';

function saturate(network: Network, rules: string) {
  const ng = networkToEGraph(network);
  const rewrites = compileRules([loadRuleText(rules, 'test.rules')], ng);
  const report = new Runner(ng.egraph, rewrites, { limits: { iterations: 10 } }).run();
  const same = (a: Tensor, b: Tensor) => ng.egraph.find(ng.classOf.get(a)!) === ng.egraph.find(ng.classOf.get(b)!);
  return { ng, report, same };
}

describe('rules compiled onto the tensor e-graph', () => {
  it('an attribute variable bound twice matches only where both sites hold one value', () => {
    const net = new Network();
    const x = net.addInput('x', 'float32', [2, 3, 4]);
    const same = F.transpose(F.transpose(x, [1, 0, 2]), [1, 0, 2]);
    const different = F.transpose(F.transpose(x, [1, 0, 2]), [0, 2, 1]);
    net.markOutput(same, 'a');
    net.markOutput(different, 'b');
    const { same: joined } = saturate(net, 'rule twice: (Transpose (Transpose ?x :perm ?p) :perm ?p) => ?x if ?p == [1 0 2]');
    expect(joined(same, x)).toBe(true);
    expect(joined(different, x)).toBe(false);
  });

  it('matches attribute literals exactly, defaults included', () => {
    const net = new Network();
    const x = net.addInput('x', 'float32', [2, 3, 4]);
    const a = F.transpose(F.transpose(x, [1, 0, 2]), [1, 0, 2]);
    const b = F.transpose(F.transpose(x, [2, 1, 0]), [2, 1, 0]);
    net.markOutput(a, 'a');
    net.markOutput(b, 'b');
    const { same } = saturate(net, 'rule swap01-twice: (Transpose (Transpose ?x :perm [1 0 2]) :perm [1 0 2]) => ?x');
    expect(same(a, x)).toBe(true);
    expect(same(b, x)).toBe(false); // other perms do not match the literal
  });

  it('binds attribute variables and evaluates conditions on them', () => {
    const net = new Network();
    const x = net.addInput('x', 'float32', [2, 3]);
    const y = F.transpose(F.transpose(x, [1, 0]), [1, 0]);
    net.markOutput(y, 'y');
    const { same } = saturate(net, 'rule transpose-inverse: (Transpose (Transpose ?x :perm ?p) :perm ?q) => ?x if ?p == [1, 0] and ?q == [1, 0]');
    expect(same(y, x)).toBe(true);
  });

  it('number operands match constants of that value only', () => {
    const net = new Network();
    const x = net.addInput('x', 'float32', [4]);
    const one = F.mul(x, 1);
    const two = F.mul(x, 2);
    net.markOutput(one, 'one');
    net.markOutput(two, 'two');
    const { same } = saturate(net, 'rule mul-one: (Mul ?x 1) => ?x');
    expect(same(one, x)).toBe(true);
    expect(same(two, x)).toBe(false);
  });

  it('a multi-pattern unions each right side with its own left side', () => {
    const net = new Network();
    const x = net.addInput('x', 'float32', [2, 4]);
    const w1 = net.addConstant({ name: 'w1', dtype: 'float32', shape: [4, 3] });
    const w2 = net.addConstant({ name: 'w2', dtype: 'float32', shape: [4, 5] });
    const p = F.matmul(x, w1);
    const q = F.matmul(x, w2);
    net.markOutput(p, 'p');
    net.markOutput(q, 'q');
    const { ng, same } = saturate(
      net,
      `rule merge: (MatMul ?x ?a), (MatMul ?x ?b) => (Split.0 (MatMul ?x (Concat ?a ?b :axis 1)) :axis 1 :split [{dim(?a, 1)} {dim(?b, 1)}]), (Split.1 (MatMul ?x (Concat ?a ?b :axis 1)) :axis 1 :split [{dim(?a, 1)} {dim(?b, 1)}]) if is_const(?a) and is_const(?b)`,
    );
    expect(same(p, q)).toBe(false);
    const splitOp = ng.language.opId('Split')!;
    const payloads = (t: Tensor) => {
      const cls = ng.egraph.find(ng.classOf.get(t)!);
      return Array.from(ng.egraph.classNodes(cls))
        .filter((n) => ng.egraph.nodeOp(n) === splitOp)
        .map((n) => ng.egraph.nodePayload(n));
    };
    expect(payloads(p)).toContain(0);
    expect(payloads(q)).toContain(1);
  });

  it('a right side that does not type-check for a match is skipped, not an error', () => {
    const net = new Network();
    const x = net.addInput('x', 'float32', [2, 3]);
    const y = F.relu(x);
    net.markOutput(y, 'y');
    // MatMul of [2,3] with itself does not fit: the rule must not fire and must not throw.
    const { same } = saturate(net, 'rule nonsense: (Relu ?x) => (MatMul ?x ?x)');
    expect(same(y, x)).toBe(false);
  });
});

describe('matching cannot change a type', () => {
  /** x[4] · c for a one-element constant c of `shape`, and whether the product joined x's class. */
  function mulByOne(shape: number[], rules: string) {
    const net = new Network();
    const x = net.addInput('x', 'float32', [4]);
    const one = net.addConstant({ name: 'one', dtype: 'float32', shape, data: [1] });
    const y = F.mul(x, one);
    net.markOutput(y, 'y');
    const ng = networkToEGraph(net);
    const result = saturateEGraph(ng, [loadRuleText(rules, 'test.rules')]);
    return { merged: ng.egraph.find(ng.classOf.get(y)!) === ng.egraph.find(ng.classOf.get(x)!), skipped: result.skipped };
  }

  it('a number literal matches a rank-0 constant only, not a one-element constant that broadcasts', () => {
    const rule = 'rule mul-one: (Mul ?x 1) => ?x';
    expect(mulByOne([], rule).merged).toBe(true);
    for (const shape of [[1], [1, 1], [1, 1, 1]]) expect(mulByOne(shape, rule).merged).toBe(false);
  });

  it('a right side of another shape is not unioned, and is counted per rule as mistyped', () => {
    // The condition holds for ones[1, 1, 1], but x · ones[1, 1, 1] is [1, 1, 4], not x's [4].
    const { merged, skipped } = mulByOne([1, 1, 1], 'rule mul-by-one: (Mul ?x ?c) => ?x if numel(?c) == 1 and value(?c) == 1');
    expect(merged).toBe(false);
    expect(skipped.mistyped.get('mul-by-one')).toBe(1);
    expect(mulByOne([], 'rule mul-by-one: (Mul ?x ?c) => ?x if numel(?c) == 1 and value(?c) == 1').merged).toBe(true);
  });

  it('a right side of another dtype is not unioned', () => {
    const net = new Network();
    const x = net.addInput('x', 'float32', [2, 3]);
    const y = F.relu(x);
    net.markOutput(y, 'y');
    const { ng } = saturate(net, 'rule to-bool: (Relu ?x) => (IsNaN ?x)');
    const isNaNOp = ng.language.opId('IsNaN')!;
    expect(Array.from(ng.egraph.classNodes(ng.egraph.find(ng.classOf.get(y)!))).some((n) => ng.egraph.nodeOp(n) === isNaNOp)).toBe(false);
  });
});

describe('TypeScript appliers', () => {
  it('read a variable their left side lacks as undefined (fold-conv-batchnorm-nobias)', () => {
    const net = new Network();
    const c = (name: string, shape: number[], v = 1) => net.addConstant({ name, dtype: 'float32', shape, data: new Array(shape.reduce((a, b) => a * b, 1)).fill(v) });
    const x = net.addInput('x', 'float32', ['n', 2, 5, 5]);
    const y = F.batchNorm(F.conv(x, c('w', [3, 2, 3, 3])), c('scale', [3]), c('shift', [3]), c('mean', [3], 0), c('var', [3]));
    net.markOutput(y, 'y');
    const ng = networkToEGraph(net);
    const { report } = saturateEGraph(ng, [loadRuleFile('rules/fusion-cnn.rules')]);
    expect(report.iterations.some((it) => (it.applied['fold-conv-batchnorm-nobias'] ?? 0) > 0)).toBe(true);
  });
});

describe('matches whose condition cannot be decided', () => {
  it('are skipped, not errors, and counted per rule', () => {
    const rules = [loadRuleText('rule relu-twice: (Relu (Relu ?x)) => (Relu ?x) if dim(?x, 0) > 1', 'test.rules')];
    for (const [shape, undecided, merged] of [
      [['batch', 4], 1, false],
      [[3, 4], 0, true],
    ] as const) {
      const net = new Network();
      const x = net.addInput('x', 'float32', shape);
      const once = F.relu(x);
      const twice = F.relu(once);
      net.markOutput(twice, 'y');
      const ng = networkToEGraph(net);
      const result = saturateEGraph(ng, rules);
      expect(result.skipped.undecided.get('relu-twice') ?? 0).toBe(undecided);
      expect(ng.egraph.find(ng.classOf.get(twice)!) === ng.egraph.find(ng.classOf.get(once)!)).toBe(merged);
    }
  });
});
