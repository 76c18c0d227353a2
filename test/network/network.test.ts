/**
 * Unit tests of the network API (Tensor, Layer, Network, FLayerInfo, interpret, verifyEquivalent)
 * and of issue A's "Bad input": typed errors naming the op, layer, tensor and dims, and nothing
 * half-applied.
 */
import { describe, expect, it } from 'vitest';
import { AttributeError, FormatError, InterpretError, NetsatError, NetworkError, ShapeError } from '../../src/errors.js';
import { interpret } from '../../src/interp/interpret.js';
import { verifyEquivalent } from '../../src/interp/verify.js';
import { FLayerInfoMemo } from '../../src/network/flayer-info.js';
import { fusedLinear } from '../../src/network/functional/fused.js';
import * as F from '../../src/network/functional/primitives.js';
import { Network } from '../../src/network/network.js';
import type { NetworkJSON } from '../../src/network/serialize.js';
import type { Tensor } from '../../src/network/tensor.js';
import { ndarray } from '../../src/ops/ndarray.js';
import type { NDArray } from '../../src/ops/types.js';

const json = (n: Network): string => JSON.stringify(n.toJSON());

/** Runs `fn`, expecting an error of class `cls`; checks the network is byte-identical afterwards. */
function expectUnchanged<E extends Error>(n: Network, fn: () => unknown, cls: new (...args: never[]) => E): E {
  const before = json(n);
  const count = n.allLayers.length;
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(cls);
  expect(json(n)).toBe(before);
  expect(n.allLayers.length).toBe(count);
  n.validate();
  return error as E;
}

function values(shape: number[], offset = 0): NDArray {
  const n = shape.reduce((a, b) => a * b, 1);
  return ndarray(
    'float32',
    shape,
    Array.from({ length: n }, (_, i) => Math.sin(i + offset)),
  );
}

/** x [2, 4] -> relu -> matmul(w [4, 3]) -> out. */
function small(name = 'small') {
  const n = new Network(name);
  const x = n.addInput('x', 'float32', [2, 4]);
  const w = n.addConstant({ dtype: 'float32', shape: [4, 3], data: values([4, 3]).data, name: 'w' });
  const r = F.relu(x);
  const y = F.matmul(r, w);
  n.markOutput(y, 'out');
  return { n, x, w, r, y };
}

describe('Network API', () => {
  it('tracks inputs, layers, parents, users and outputs', () => {
    const { n, x, w, r, y } = small();
    expect(n.inputs).toEqual([x]);
    expect(n.outputs).toEqual([y]);
    expect(y.name).toBe('out');
    expect(x.getParent()).toBeUndefined();
    expect(x.isNetworkInput()).toBe(true);
    expect(r.getParent()!.op).toBe('Relu');
    expect(y.getParent()!.inputs).toEqual([r, w]);
    expect(x.getUsers()).toEqual([r.getParent()]);
    expect(n.layers.map((l) => l.op)).toEqual(['Constant', 'Relu', 'MatMul']);
    expect(n.getTensor('out')).toBe(y);
    expect(n.getLayer(y.getParent()!.name)).toBe(y.getParent());
    expect(n.getLayer('nope')).toBeUndefined();
    expect(y.shape).toEqual([2, 3]);
    expect(y.dtype).toBe('float32');
    n.validate();
  });

  it('generates names as TensorRT does: <snake_op>_<index>, outputs <layer>_output_<i>', () => {
    const n = new Network();
    const x = n.addInput('x', 'float32', [2, 4, 8]);
    const w = n.addConstant({ dtype: 'float32', shape: [8, 8] });
    const m = F.matmul(x, w);
    const norm = F.rmsNorm(m, n.addConstant({ dtype: 'float32', shape: [8] }));
    const red = F.reduceMean(norm, [1]);
    const names = [w, m, norm, red].map((t) => t.getParent()!.name);
    expect(names[0]).toMatch(/^constant_\d+$/);
    expect(names[1]).toMatch(/^matmul_\d+$/);
    expect(names[2]).toMatch(/^rms_norm_\d+$/);
    expect(names[3]).toMatch(/^reduce_mean_\d+$/);
    for (const t of [w, m, norm, red]) expect(t.name).toBe(`${t.getParent()!.name}_output_0`);
    // The number is the layer's index in the network, so names are unique and stable.
    expect(names[1]).toBe(`matmul_${m.getParent()!.id}`);
    expect(new Set(n.allLayers.map((l) => l.name)).size).toBe(n.allLayers.length);
    const g = F.gelu(x, { name: 'my_gelu' });
    expect(g.getParent()!.name).toBe('my_gelu');
    expect(g.name).toBe('my_gelu_output_0');
  });

  it('getUsers lists a layer reading a tensor twice once, and never a removed layer', () => {
    const n = new Network();
    const x = n.addInput('x', 'float32', [3]);
    const sq = F.mul(x, x);
    const mul = sq.getParent()!;
    expect(mul.inputs).toEqual([x, x]);
    expect(x.getUsers()).toEqual([mul]);
    const r = F.relu(x);
    expect(x.getUsers()).toEqual([mul, r.getParent()]);
    n.markOutput(sq);
    r.getParent()!.markRemoved();
    expect(x.getUsers()).toEqual([mul]);
    // Replacing one slot of x*x keeps x a user once, until both slots move.
    const y = n.addInput('y', 'float32', [3]);
    mul.setInput(0, y);
    expect(x.getUsers()).toEqual([mul]);
    expect(y.getUsers()).toEqual([mul]);
    mul.setInput(1, y);
    expect(x.getUsers()).toEqual([]);
    expect(y.getUsers()).toEqual([mul]);
  });

  it('keeps layers topological after rewiring a layer to a tensor created later', () => {
    const n = new Network();
    const x = n.addInput('x', 'float32', [4]);
    const a = F.relu(x);
    const b = F.neg(a);
    n.markOutput(b);
    const c = F.tanh(x); // created after a and b
    a.getParent()!.setInput(0, c);
    const order = n.layers.map((l) => l.op);
    expect(order).toEqual(['Tanh', 'Relu', 'Neg']);
    expect(n.allLayers.map((l) => l.op)).toEqual(['Relu', 'Neg', 'Tanh']);
    n.validate();
    const r = interpret(n, { x: values([4]) });
    expect(Array.from(r[b.name]!.data)).toEqual(Array.from(values([4]).data).map((v) => Math.fround(-Math.max(0, Math.tanh(v)))));
  });

  it('propagates symbolic dims through builders', () => {
    const n = new Network();
    const x = n.addInput('x', 'float32', ['batch', 16]);
    const w = n.addConstant({ dtype: 'float32', shape: [16, 8] });
    expect(F.matmul(x, w).shape).toEqual(['batch', 8]);
    const h = n.addInput('h', 'float32', ['batch', 'seq', 64]);
    expect(F.reshape(h, [0, 0, 4, 16]).shape).toEqual(['batch', 'seq', 4, 16]);
    expect(F.softmax(F.add(h, h)).shape).toEqual(['batch', 'seq', 64]);
    expect(F.transpose(h, [1, 0, 2]).shape).toEqual(['seq', 'batch', 64]);
    const z = n.addInput('z', 'float32', ['seq', 16]);
    const e = expectUnchanged(n, () => F.add(x, z), ShapeError);
    expect(e.message).toContain('batch');
    expect(e.message).toContain('seq');
  });

  it('markRemoved keeps the layer in allLayers, refuses layers still used or marked output', () => {
    const { n, r, y } = small();
    const relu = r.getParent()!;
    const e1 = expectUnchanged(n, () => relu.markRemoved(), NetworkError);
    expect(e1.message).toContain(relu.name);
    expect(e1.message).toContain(y.getParent()!.name);
    const e2 = expectUnchanged(n, () => y.getParent()!.markRemoved(), NetworkError);
    expect(e2.message).toContain('out');
    expect(e2.message).toContain('network output');
    const extra = F.sigmoid(r);
    extra.getParent()!.markRemoved();
    expect(n.isRemoved(extra.getParent()!)).toBe(true);
    expect(n.layers).not.toContain(extra.getParent());
    expect(n.allLayers).toContain(extra.getParent());
    expect(n.removedLayers).toEqual([extra.getParent()]);
    // Twice is a no-op.
    const before = json(n);
    extra.getParent()!.markRemoved();
    expect(json(n)).toBe(before);
  });

  it('replaceAllUsesWith moves every use, the output slot and its name', () => {
    const { n, r, y } = small();
    const alt = F.tanh(r);
    const user = F.exp(y);
    const neu = F.matmul(alt, n.getTensor('w')!);
    y.replaceAllUsesWith(neu);
    expect(n.outputs).toEqual([neu]);
    expect(neu.name).toBe('out');
    expect(y.name).toBe('out_deprecated');
    expect(user.getParent()!.inputs).toEqual([neu]);
    expect(y.getUsers()).toEqual([]);
    y.getParent()!.markRemoved();
    n.validate();
  });

  it('clone and JSON round trips rebuild the same network, FLayerInfo included', () => {
    const n = new Network('rt');
    const x = n.addInput('x', 'float32', ['batch', 4]);
    const w = n.addConstant({ dtype: 'float32', shape: [4, 2], data: values([4, 2]).data });
    const b = n.addConstant({ dtype: 'float32', shape: [2] });
    const y = fusedLinear({ input: x, weight: w, bias: b, activation: 'relu' });
    const z = F.add(y, 1);
    n.markOutput(z);
    const text = json(n);
    const back = Network.fromJSON(JSON.parse(text) as NetworkJSON);
    expect(json(back)).toBe(text);
    const copy = n.clone();
    expect(json(copy)).toBe(text);
    for (const m of [back, copy]) {
      const info = FLayerInfoMemo.instance().get(m.getLayer(y.getParent()!.name)!)!;
      expect(info.layerKind).toBe('fusedLinear');
      expect(info.getInput('input')).toBe(m.getTensor('x'));
      expect(info.getInput('activation')).toBe('relu');
      expect(info.getInput('transB')).toBe(false);
    }
    // FLayerInfo follows replaceAllUsesWith.
    const x2 = n.addInput('x2', 'float32', ['batch', 4]);
    x.replaceAllUsesWith(x2);
    expect(FLayerInfoMemo.instance().get(y.getParent()!)!.getInput('input')).toBe(x2);
    expect(json(Network.fromJSON(JSON.parse(json(n)) as NetworkJSON))).toBe(json(n));
    expect(n.toDot()).toContain(y.getParent()!.name);
  });
});

describe('Bad input: typed errors naming op, layer, tensor and dims; nothing half-applied', () => {
  it('mismatched shapes in a builder: F.matmul of [2, 3] and [4, 5]', () => {
    const n = new Network();
    const a = n.addInput('a', 'float32', [2, 3]);
    const b = n.addInput('b', 'float32', [4, 5]);
    const e = expectUnchanged(n, () => F.matmul(a, b), ShapeError);
    expect(e.message).toContain('MatMul');
    expect(e.message).toMatch(/matmul_\d+/); // the layer
    expect(e.message).toContain('[2, 3]');
    expect(e.message).toContain('[4, 5]');
    expect(e.message).toContain('hint');
    const e2 = expectUnchanged(n, () => F.matmul(a, b, { name: 'proj' }), ShapeError);
    expect(e2.message).toContain('proj');
    expect(e2.where).toContain('proj');
  });

  it('bad attributes are AttributeErrors naming the op and the value', () => {
    const n = new Network();
    const x = n.addInput('x', 'float32', [2, 4]);
    const e = expectUnchanged(n, () => F.gelu(x, { approximate: 'bogus' as 'tanh' }), AttributeError);
    expect(e.message).toContain('Gelu');
    expect(e.message).toContain('bogus');
    const e2 = expectUnchanged(n, () => n.addLayer('Softmax', [x], { axs: 1 }), AttributeError);
    expect(e2.message).toContain('axs');
    expect(e2.message).toContain('axis');
  });

  it('replaceAllUsesWith a tensor of another dtype', () => {
    const { n, r } = small();
    const i = n.addInput('ints', 'int32', [2, 4]);
    const e = expectUnchanged(n, () => r.replaceAllUsesWith(i), ShapeError);
    expect(e.message).toContain(r.name);
    expect(e.message).toContain('ints');
    expect(e.message).toContain('float32');
    expect(e.message).toContain('int32');
    expect(e.hint).toContain('Cast');
  });

  it('a tensor of another network, in a builder and in replaceAllUsesWith', () => {
    const one = small('one');
    const two = small('two');
    const e = expectUnchanged(one.n, () => F.add(one.r, two.r), NetworkError);
    expect(e.message).toContain('"one"');
    expect(e.message).toContain('"two"');
    expect(e.message).toContain('Add');
    expect(json(two.n)).toBe(json(small('two').n));
    const e2 = expectUnchanged(one.n, () => one.r.replaceAllUsesWith(two.r), NetworkError);
    expect(e2.message).toContain('two');
    expect(e2.message).toContain(one.r.name);
    expectUnchanged(one.n, () => one.n.markOutput(two.r), NetworkError);
    expectUnchanged(one.n, () => one.y.getParent()!.setInput(0, two.r), NetworkError);
  });

  it('another shape without allowShapeChange', () => {
    const { n, r } = small();
    const other = n.addInput('wide', 'float32', [3, 4]);
    const e = expectUnchanged(n, () => r.replaceAllUsesWith(other), ShapeError);
    expect(e.message).toContain('[2, 4]');
    expect(e.message).toContain('[3, 4]');
    expect(e.message).toContain('wide');
    expect(e.hint).toContain('allowShapeChange');
  });

  it('allowShapeChange re-infers users, and fails naming a user that no longer type-checks', () => {
    const { n, r, y } = small();
    const other = n.addInput('wide', 'float32', [5, 4]);
    r.replaceAllUsesWith(other, { allowShapeChange: true });
    expect(y.shape).toEqual([5, 3]);
    n.validate();

    const m = new Network();
    const x = m.addInput('x', 'float32', [2, 4]);
    const a = F.relu(x);
    const fixed = F.reshape(a, [2, 2, 2], { name: 'fixed_reshape' });
    m.markOutput(fixed);
    const bigger = m.addInput('bigger', 'float32', [3, 4]);
    const e = expectUnchanged(m, () => a.replaceAllUsesWith(bigger, { allowShapeChange: true }), ShapeError);
    expect(e.message).toContain('fixed_reshape');
    expect(e.message).toContain('Reshape');
    expect(e.message).toContain('[3, 4]');
    expect(fixed.shape).toEqual([2, 2, 2]);
    expect(x.getUsers()).toEqual([a.getParent()]);
    expect(a.getUsers()).toEqual([fixed.getParent()]);
  });

  it('an edge that would create a cycle: setInput and replaceAllUsesWith', () => {
    const n = new Network();
    const x = n.addInput('x', 'float32', [4]);
    const a = F.relu(x, { name: 'first' });
    const b = F.neg(a, { name: 'second' });
    n.markOutput(b);
    const e = expectUnchanged(n, () => a.getParent()!.setInput(0, b), NetworkError);
    expect(e.message).toContain('cycle');
    expect(e.message).toContain('first');
    expect(e.message).toContain(b.name);
    const e2 = expectUnchanged(n, () => x.replaceAllUsesWith(b), NetworkError);
    expect(e2.message).toContain('cycle');
    expect(e2.message).toContain('x');
    expect(e2.message).toContain(b.name);
    // A layer may not read its own output.
    expectUnchanged(n, () => b.getParent()!.setInput(0, b), NetworkError);
  });

  it('duplicate layer and tensor names', () => {
    const n = new Network();
    const x = n.addInput('x', 'float32', [4]);
    F.relu(x, { name: 'act' });
    const e = expectUnchanged(n, () => F.relu(x, { name: 'act' }), NetworkError);
    expect(e.message).toContain('"act"');
    expectUnchanged(n, () => n.addInput('x', 'float32', [4]), NetworkError);
    const t = F.neg(x);
    expectUnchanged(n, () => (t.name = 'x'), NetworkError);
    expectUnchanged(n, () => n.markOutput(t, 'act_output_0'), NetworkError);
    expectUnchanged(n, () => n.addConstant({ dtype: 'float32', shape: [1], name: 'x' }), NetworkError);
    expectUnchanged(n, () => n.addLayer('Relu', [x], {}, { outputNames: ['x'] }), NetworkError);
  });

  it('JSON of a wrong version, an unknown op, or another format', () => {
    const { n } = small();
    const good = n.toJSON();
    const wrongVersion = { ...good, version: 99 };
    expect(() => Network.fromJSON(wrongVersion as NetworkJSON)).toThrow(FormatError);
    expect(() => Network.fromJSON(wrongVersion as NetworkJSON)).toThrow(/version 99/);
    const unknown = JSON.parse(JSON.stringify(good)) as NetworkJSON;
    const entry = unknown.entries.find((e) => 'op' in e && e.op === 'Relu') as { op: string; layer: string };
    entry.op = 'Frobnicate';
    let err: unknown;
    try {
      Network.fromJSON(unknown);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FormatError);
    expect((err as Error).message).toContain('Frobnicate');
    expect((err as Error).message).toContain(entry.layer);
    expect(() => Network.fromJSON({ ...good, format: 'onnx' } as unknown as NetworkJSON)).toThrow(FormatError);
    expect(() => Network.fromJSON(null as unknown as NetworkJSON)).toThrow(FormatError);
    // An inconsistent layer (an input that does not type-check) is a FormatError too.
    const bad = JSON.parse(JSON.stringify(good)) as NetworkJSON;
    const mm = bad.entries.find((e) => 'op' in e && e.op === 'MatMul') as { inputs: (string | null)[] };
    mm.inputs = ['x', 'x'];
    expect(() => Network.fromJSON(bad)).toThrow(FormatError);
  });

  it('removed layers never come back', () => {
    const n = new Network();
    const x = n.addInput('x', 'float32', [4]);
    const a = F.relu(x);
    const b = F.neg(x);
    n.markOutput(b);
    const relu = a.getParent()!;
    relu.markRemoved();
    expect(a.isDead()).toBe(true);
    expect(expectUnchanged(n, () => F.tanh(a), NetworkError).message).toContain(relu.name);
    expectUnchanged(n, () => F.add(x, a), NetworkError);
    expectUnchanged(n, () => b.getParent()!.setInput(0, a), NetworkError);
    expectUnchanged(n, () => n.markOutput(a), NetworkError);
    expectUnchanged(n, () => b.replaceAllUsesWith(a), NetworkError);
    expectUnchanged(n, () => relu.setInput(0, b), NetworkError);
    expect(relu.isRemoved()).toBe(true);
    // Round trips keep it removed.
    expect(
      Network.fromJSON(JSON.parse(json(n)) as NetworkJSON)
        .getLayer(relu.name)!
        .isRemoved(),
    ).toBe(true);
    expect(n.clone().getLayer(relu.name)!.isRemoved()).toBe(true);
  });

  it("constant data whose length is not the shape's element count", () => {
    const n = new Network();
    const short = { dtype: 'float32' as const, shape: [2, 2], data: new Float32Array(3) };
    const e = expectUnchanged(n, () => n.addConstant({ name: 'w', dtype: 'float32', shape: [2, 2], data: short }), ShapeError);
    expect(e.message).toContain('3');
    expect(e.message).toContain('[2, 2]');
    expect(e.where).toBe('w');
    expect(() => ndarray('float32', [2], [1, 2, 3])).toThrow(ShapeError);
  });

  it("an output index past the layer's outputs", () => {
    const n = new Network();
    const relu = F.relu(n.addInput('x', 'float32', [4])).getParent()!;
    expect(() => relu.getOutput(1)).toThrow(NetworkError);
    expect(() => relu.getOutput(1)).toThrow(/1 outputs; there is no output 1/);
  });

  it('a failed recorded builder leaves no layer and no FLayerInfo behind', () => {
    const n = new Network();
    const x = n.addInput('x', 'float32', [2, 4]);
    const w = n.addConstant({ dtype: 'float32', shape: [5, 3] });
    expectUnchanged(n, () => fusedLinear({ input: x, weight: w }), ShapeError);
  });
});

describe('interpret and verifyEquivalent', () => {
  it('constants without data run only with randomConstants', () => {
    const n = new Network();
    const x = n.addInput('x', 'float32', [2, 4]);
    const w = n.addConstant({ dtype: 'float32', shape: [4, 3], name: 'weights' });
    n.markOutput(F.matmul(x, w));
    const inputs = { x: values([2, 4]) };
    let err: unknown;
    try {
      interpret(n, inputs);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InterpretError);
    expect((err as Error).message).toContain('weights');
    expect((err as InterpretError).hint).toContain('randomConstants');
    const r1 = interpret(n, inputs, { randomConstants: true, seed: 7 });
    const r2 = interpret(n, inputs, { randomConstants: true, seed: 7 });
    const r3 = interpret(n, inputs, { randomConstants: true, seed: 8 });
    const out = n.outputs[0]!.name;
    expect(r1[out]!.shape).toEqual([2, 3]);
    expect(Array.from(r1[out]!.data)).toEqual(Array.from(r2[out]!.data));
    expect(Array.from(r1[out]!.data)).not.toEqual(Array.from(r3[out]!.data));
  });

  it('binds symbolic dims from input shapes and rejects conflicting ones', () => {
    const n = new Network();
    const a = n.addInput('a', 'float32', ['batch', 4]);
    const b = n.addInput('b', 'float32', ['batch', 4]);
    const s = F.add(a, b);
    n.markOutput(s);
    const r = interpret(n, { a: values([3, 4]), b: values([3, 4], 1) });
    expect(r[s.name]!.shape).toEqual([3, 4]);
    expect(r[s.name]!.data[5]).toBeCloseTo(Math.sin(5) + Math.sin(6), 6);
    let err: unknown;
    try {
      interpret(n, { a: values([3, 4]), b: values([2, 4]) });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InterpretError);
    expect((err as Error).message).toContain('"batch"');
    expect((err as Error).message).toContain('3');
    expect((err as Error).message).toContain('2');
    expect(() => interpret(n, { a: values([3, 5]), b: values([3, 5]) })).toThrow(InterpretError);
    expect(() => interpret(n, { a: values([3, 4]) })).toThrow(/b/);
  });

  it("rejects an input whose data length is not its shape's element count", () => {
    const n = new Network();
    const x = n.addInput('x', 'float32', [2, 2]);
    n.markOutput(F.relu(x));
    const e = (() => {
      try {
        interpret(n, { x: { dtype: 'float32', shape: [2, 2], data: new Float32Array(1) } });
      } catch (err) {
        return err;
      }
    })();
    expect(e).toBeInstanceOf(InterpretError);
    expect((e as InterpretError).where).toBe('x');
    expect((e as Error).message).toContain('1 values');
  });

  it('verifyEquivalent reports per-output errors and fails on a changed constant', () => {
    const build = (wdata: number[]): Network => {
      const n = new Network();
      const x = n.addInput('x', 'float32', ['batch', 3]);
      const w = n.addConstant({ dtype: 'float32', shape: [3, 2], data: wdata, name: 'w' });
      n.markOutput(F.matmul(x, w), 'proj');
      n.markOutput(F.relu(x), 'act');
      return n;
    };
    const data = [0.5, -1, 2, 0.25, -0.75, 1.5];
    const a = build(data);
    const same = verifyEquivalent(a, build(data), { seed: 3 });
    expect(same.pass).toBe(true);
    expect(same.outputs.map((o) => [o.name, o.maxAbsError, o.maxRelError, o.pass])).toEqual([
      ['proj', 0, 0, true],
      ['act', 0, 0, true],
    ]);
    const changed = data.slice();
    changed[2] += 0.5;
    const diff = verifyEquivalent(a, build(changed), { seed: 3, symbolValues: { batch: 4 } });
    expect(diff.pass).toBe(false);
    const [proj, act] = diff.outputs;
    expect(proj!.name).toBe('proj');
    expect(proj!.shape).toEqual([4, 2]);
    expect(proj!.pass).toBe(false);
    expect(proj!.mismatches).toBeGreaterThan(0);
    expect(proj!.maxAbsError).toBeGreaterThan(0);
    expect(proj!.maxAbsError).toBeLessThanOrEqual(0.5); // |x| < 1 times the 0.5 change
    expect(proj!.maxRelError).toBeGreaterThan(0);
    expect(act!.pass).toBe(true);
    expect(act!.maxAbsError).toBe(0);
    // The error is exactly |x[:, 1]| * 0.5 at column 0 of proj.
    const x = diff.inputs['x']!;
    let expected = 0;
    for (let i = 0; i < 4; i++) expected = Math.max(expected, Math.abs(x.data[i * 3 + 1]!) * 0.5);
    expect(proj!.maxAbsError).toBeCloseTo(expected, 5);
  });

  it('verifyEquivalent refuses networks with different inputs or output counts', () => {
    const a = small('a').n;
    const b = small('b').n;
    b.markOutput(b.getTensor('x')!.getUsers()[0]!.outputs[0]!);
    expect(() => verifyEquivalent(a, b)).toThrow(InterpretError);
    const c = new Network();
    c.markOutput(F.relu(c.addInput('other', 'float32', [2, 4])));
    expect(() => verifyEquivalent(a, c)).toThrow(/inputs/);
  });

  it('every error netsat throws on bad input is a NetsatError with a location', () => {
    const n = new Network();
    const a = n.addInput('a', 'float32', [2, 3]);
    for (const fn of [() => F.matmul(a, a), () => F.concat([a], 5), () => n.addLayer('Nope', [a]), () => F.relu(undefined as unknown as Tensor)]) {
      let err: unknown;
      try {
        fn();
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(NetsatError);
    }
  });
});
