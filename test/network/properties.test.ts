/**
 * Properties of the network model under random edits (issue A, "Properties"): after any sequence of
 * replaceAllUsesWith, replaceSubgraph and markRemoved on a random network, the network validates,
 * JSON and clone round trips re-serialize identically, every failed edit leaves the JSON
 * byte-identical, and equivalence-preserving edits keep what the network computes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NetsatError, NetworkError, ShapeError } from '../../src/errors.js';
import { verifyEquivalent } from '../../src/interp/verify.js';
import * as F from '../../src/network/functional/primitives.js';
import type { Layer } from '../../src/network/layer.js';
import { Network } from '../../src/network/network.js';
import type { Tensor } from '../../src/network/tensor.js';
import { sameShape } from '../../src/ops/shape.js';
import { replaceSubgraph, subgraphBoundary } from '../../src/rewriting/replace-subgraph.js';
import { buildNetwork, networkRecipeArb } from '../support/random-network.js';

const SEED = 0x5eed;
const RUNS = 1000;

const EDIT_KINDS = ['rauw', 'rauwDup', 'rauwShape', 'subgraph', 'remove', 'removeAgain', 'useDead'] as const;
type EditKind = (typeof EDIT_KINDS)[number];
/** Edits that keep what the network computes (or fail and change nothing). */
const EQUIVALENT_KINDS: readonly EditKind[] = ['rauwDup', 'subgraph', 'remove', 'removeAgain', 'useDead'];

interface Edit {
  kind: EditKind;
  a: number;
  b: number;
  c: number;
  /** Variant: how the edit is made (e.g. a good rebuild or one that throws). */
  v: number;
}

const editArb = (kinds: readonly EditKind[]): fc.Arbitrary<Edit> => {
  const nat = fc.nat({ max: 1000 });
  return fc.record({ kind: fc.constantFrom(...kinds), a: nat, b: nat, c: nat, v: nat });
};

const smallNetworks = networkRecipeArb({ maxLayers: 12 });
const editsArb = (kinds: readonly EditKind[] = EDIT_KINDS) => fc.array(editArb(kinds), { minLength: 1, maxLength: 6 });

const json = (n: Network): string => JSON.stringify(n.toJSON());

function liveTensors(n: Network): Tensor[] {
  return [...n.inputs, ...n.layers.flatMap((l) => l.outputs)];
}

/** Layers `t` is computed from (its producer and everything upstream), by a walk independent of Network.dependsOn. */
function ancestors(t: Tensor): Set<Layer> {
  const seen = new Set<Layer>();
  const stack = t.producer ? [t.producer] : [];
  while (stack.length) {
    const l = stack.pop()!;
    if (seen.has(l)) continue;
    seen.add(l);
    for (const x of l.inputs) if (x?.producer) stack.push(x.producer);
  }
  return seen;
}

/** Runs `fn`, which must throw an error of class `cls`, and checks that the network did not change at all. */
function expectFailsCleanly(n: Network, fn: () => unknown, cls: new (...args: never[]) => Error = NetsatError): Error {
  const before = json(n);
  const layers = n.layers.map((l) => l.name).join();
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(error, 'the edit should have thrown').toBeInstanceOf(cls);
  expect(json(n)).toBe(before);
  expect(n.layers.map((l) => l.name).join()).toBe(layers);
  n.validate();
  return error as Error;
}

/** A copy of `layer` on `inputs` (a constant copies its data). */
function recreate(n: Network, layer: Layer, inputs: readonly (Tensor | undefined)[]): Layer {
  if (layer.op === 'Constant') {
    const out = layer.outputs[0]!;
    return n.addConstant({ dtype: out.dtype, shape: out.shape as number[], data: layer.constantData! }).producer!;
  }
  return n.addLayer(layer.op, inputs, layer.attributes);
}

/** A connected set of live layers: a random start grown through producers and users. */
function connectedSet(n: Network, e: Edit): Layer[] {
  const live = n.layers;
  const set = [live[e.a % live.length]!];
  const size = 1 + (e.c % 4);
  let pick = e.b;
  while (set.length < size) {
    const inside = new Set(set);
    const around = new Set<Layer>();
    for (const l of set) {
      for (const t of l.inputs) if (t?.producer && !inside.has(t.producer)) around.add(t.producer);
      for (const t of l.outputs) for (const u of t.getUsers()) if (!inside.has(u)) around.add(u);
    }
    if (around.size === 0) break;
    const next = [...around];
    set.push(next[pick % next.length]!);
    pick = Math.floor(pick / 3) + 7;
  }
  return set;
}

/** Applies one edit, checking its specific outcome; returns whether it changed the network. */
function applyEdit(n: Network, e: Edit): boolean {
  const live = n.layers;
  const tensors = liveTensors(n);
  switch (e.kind) {
    case 'rauw': {
      // Replace a tensor's uses with another of the same type, often one computed from it (a cycle).
      const old = tensors[e.a % tensors.length]!;
      const same = tensors.filter((t) => t !== old && t.dtype === old.dtype && sameShape(t.shape, old.shape));
      const downstream = same.filter((t) => old.getUsers().some((u) => ancestors(t).has(u)));
      const pool = e.v % 2 === 0 && downstream.length ? downstream : same;
      if (pool.length === 0) return false;
      const rep = pool[e.b % pool.length]!;
      const users = old.getUsers();
      const cycle = users.some((u) => ancestors(rep).has(u));
      if (cycle) {
        expectFailsCleanly(n, () => old.replaceAllUsesWith(rep), NetworkError);
        return false;
      }
      const outputSlot = n.outputs.indexOf(old);
      const name = old.name;
      const repName = rep.name;
      const keepsOwnName = rep.isNetworkInput() || rep.isNetworkOutput();
      old.replaceAllUsesWith(rep);
      expect(old.getUsers()).toEqual([]);
      for (const u of users) expect(rep.getUsers()).toContain(u);
      if (outputSlot >= 0) {
        const slot = n.outputs[outputSlot]!;
        expect(slot.name).toBe(name);
        expect(n.isOutput(old)).toBe(false);
        if (keepsOwnName) {
          // An input or another output keeps its name; the slot reads it through an Identity.
          expect(rep.name).toBe(repName);
          expect(slot.getParent()?.op).toBe('Identity');
          expect(slot.getParent()?.inputs[0]).toBe(rep);
        } else expect(slot).toBe(rep);
      }
      return true;
    }
    case 'rauwShape': {
      // A replacement of another shape: refused without allowShapeChange; with it, either the
      // users re-infer or the edit fails naming the user, and nothing changes.
      const old = tensors[e.a % tensors.length]!;
      const other = tensors.filter((t) => t.dtype === old.dtype && !sameShape(t.shape, old.shape));
      if (other.length === 0) return false;
      const rep = other[e.b % other.length]!;
      expectFailsCleanly(n, () => old.replaceAllUsesWith(rep), ShapeError);
      const before = json(n);
      try {
        old.replaceAllUsesWith(rep, { allowShapeChange: true });
      } catch (err) {
        expect(err).toBeInstanceOf(NetsatError);
        expect(json(n)).toBe(before);
        return false;
      }
      expect(old.getUsers()).toEqual([]);
      return true;
    }
    case 'rauwDup': {
      // Duplicate a layer on the same inputs and move one output's uses to the copy: same values.
      const layer = live[e.a % live.length]!;
      const copy = recreate(n, layer, layer.inputs);
      const k = e.b % layer.outputs.length;
      const old = layer.outputs[k]!;
      const users = old.getUsers();
      old.replaceAllUsesWith(copy.outputs[k]!);
      expect(old.getUsers()).toEqual([]);
      for (const u of users) expect(copy.outputs[k]!.getUsers()).toContain(u);
      if (e.v % 2 === 0 && layer.outputs.every((t) => t.getUsers().length === 0 && !t.isNetworkOutput())) {
        layer.markRemoved();
        expect(n.layers).not.toContain(layer);
      }
      return true;
    }
    case 'subgraph': {
      const layers = connectedSet(n, e);
      const inside = new Set(layers);
      const order = n.layers.filter((l) => inside.has(l));
      const boundary = subgraphBoundary(layers);
      const rebuild = (stopAfter = Infinity): Map<Tensor, Tensor> => {
        const map = new Map<Tensor, Tensor>();
        order.slice(0, stopAfter).forEach((l) => {
          const copy = recreate(
            n,
            l,
            l.inputs.map((t) => (t && map.get(t)) ?? t),
          );
          l.outputs.forEach((t, i) => map.set(t, copy.outputs[i]!));
        });
        return map;
      };
      const variant = e.v % 5;
      if (variant <= 1) {
        // An equivalent rebuild: the same ops re-created on the boundary inputs.
        const result = replaceSubgraph(n, {
          layers,
          build: (inputs) => {
            expect(inputs).toEqual(boundary.inputs);
            const map = rebuild();
            return boundary.outputs.map((t) => map.get(t)!);
          },
        });
        for (const l of layers) expect(l.isRemoved()).toBe(true);
        expect(result.newOutputs).toHaveLength(boundary.outputs.length);
        for (const t of boundary.outputs) expect(t.getUsers()).toEqual([]);
        return true;
      }
      if (variant === 2) {
        // The build throws midway, after creating some layers: the same error, nothing changed.
        const boom = new Error('build failed on purpose');
        let thrown: unknown;
        const before = json(n);
        try {
          replaceSubgraph(n, {
            layers,
            build: () => {
              rebuild(Math.max(1, order.length >> 1));
              throw boom;
            },
          });
        } catch (err) {
          thrown = err;
        }
        expect(thrown).toBe(boom);
        expect(json(n)).toBe(before);
        n.validate();
        return false;
      }
      if (variant === 3) {
        // One output of the wrong shape (a scalar), or a wrong number of outputs.
        expectFailsCleanly(n, () =>
          replaceSubgraph(n, {
            layers,
            build: () => {
              const map = rebuild();
              const outs = boundary.outputs.map((t) => map.get(t)!);
              if (outs.length === 0) return [map.values().next().value!];
              const k = e.b % outs.length;
              outs[k] = F.reduceMean(outs[k]!, undefined, { keepDims: false });
              return outs;
            },
          }),
        );
        return false;
      }
      // The build reads a tensor of the subgraph being replaced.
      const insideOutput = order[0]!.outputs[0]!;
      if (!boundary.outputs.length) return false;
      expectFailsCleanly(n, () =>
        replaceSubgraph(n, {
          layers,
          build: () => {
            const map = rebuild();
            const outs = boundary.outputs.map((t) => map.get(t)!);
            outs[0] = n.addLayer('Identity', [insideOutput]).outputs[0]!;
            return outs;
          },
        }),
      );
      return false;
    }
    case 'remove': {
      const layer = live[e.a % live.length]!;
      const used = layer.outputs.some((t) => t.isNetworkOutput() || t.getUsers().length > 0);
      if (used) {
        expectFailsCleanly(n, () => layer.markRemoved(), NetworkError);
        return false;
      }
      layer.markRemoved();
      expect(layer.isRemoved()).toBe(true);
      expect(n.layers).not.toContain(layer);
      expect(n.allLayers).toContain(layer);
      return true;
    }
    case 'removeAgain': {
      // Marking a removed layer again is a no-op.
      const removed = n.removedLayers;
      if (removed.length === 0) return false;
      const before = json(n);
      removed[e.a % removed.length]!.markRemoved();
      expect(json(n)).toBe(before);
      return false;
    }
    case 'useDead': {
      // A removed layer's outputs can never be used again.
      const removed = n.removedLayers;
      if (removed.length === 0) return false;
      const dead = removed[e.a % removed.length]!.outputs[0]!;
      expect(dead.isDead()).toBe(true);
      expectFailsCleanly(n, () => F.relu(dead), NetworkError);
      expectFailsCleanly(n, () => n.markOutput(dead), NetworkError);
      const users = live.filter((l) => l.inputs.some((t) => t && t.dtype === dead.dtype && sameShape(t.shape, dead.shape)));
      if (users.length) {
        const user = users[e.b % users.length]!;
        const slot = user.inputs.findIndex((t) => t && sameShape(t.shape, dead.shape));
        expectFailsCleanly(n, () => user.setInput(slot, dead), NetworkError);
      }
      const live2 = tensors.filter((t) => t.dtype === dead.dtype && sameShape(t.shape, dead.shape));
      if (live2.length) expectFailsCleanly(n, () => live2[e.b % live2.length]!.replaceAllUsesWith(dead), NetworkError);
      return false;
    }
  }
}

/** The invariants every network keeps, checked independently of validate(). */
function checkInvariants(n: Network): void {
  n.validate();
  const position = new Map(n.layers.map((l, i) => [l, i]));
  for (const [i, l] of n.layers.entries()) {
    expect(l.isRemoved()).toBe(false);
    for (const t of l.inputs) {
      if (!t) continue;
      expect(t.network).toBe(n);
      if (t.producer) {
        expect(position.get(t.producer), `${l.name} reads ${t.name} from a layer that is not live and earlier`).toBeLessThan(i);
      } else expect(n.isInput(t)).toBe(true);
      const users = t.getUsers();
      expect(new Set(users).size).toBe(users.length);
      expect(users).toContain(l);
    }
  }
  for (const t of n.allTensors) for (const u of t.getUsers()) expect(u.isRemoved()).toBe(false);
  for (const o of n.outputs) expect(o.isDead()).toBe(false);
}

function runEdits(n: Network, edits: readonly Edit[]): void {
  for (const e of edits) {
    applyEdit(n, e);
    checkInvariants(n);
  }
}

const params = { seed: SEED, numRuns: RUNS };

describe('network properties under random edits', () => {
  it('generated networks validate and hold the requested shape of things', () => {
    fc.assert(
      fc.property(networkRecipeArb(), (recipe) => {
        const n = buildNetwork(recipe);
        checkInvariants(n);
        expect(n.inputs.length).toBe(recipe.inputs.length);
        expect(n.outputs.length).toBeGreaterThanOrEqual(1);
        expect(n.outputs.length).toBeLessThanOrEqual(3);
        const opLayers = n.layers.filter((l) => l.op !== 'Constant').length;
        expect(opLayers).toBe(recipe.steps.length);
      }),
      params,
    );
  });

  it('after any sequence of edits the network validates', () => {
    fc.assert(
      fc.property(smallNetworks, editsArb(), (recipe, edits) => {
        runEdits(buildNetwork(recipe), edits);
      }),
      params,
    );
  });

  it('after any sequence of edits fromJSON(toJSON(n)) re-serializes identically', () => {
    fc.assert(
      fc.property(smallNetworks, editsArb(), (recipe, edits) => {
        const n = buildNetwork(recipe);
        runEdits(n, edits);
        const text = json(n);
        const back = Network.fromJSON(JSON.parse(text));
        expect(json(back)).toBe(text);
        expect(back.layers.map((l) => l.name)).toEqual(n.layers.map((l) => l.name));
        expect(back.removedLayers.map((l) => l.name)).toEqual(n.removedLayers.map((l) => l.name));
      }),
      params,
    );
  });

  it('after any sequence of edits clone() re-serializes identically and is independent', () => {
    fc.assert(
      fc.property(smallNetworks, editsArb(), (recipe, edits) => {
        const n = buildNetwork(recipe);
        runEdits(n, edits);
        const text = json(n);
        const copy = n.clone();
        expect(json(copy)).toBe(text);
        // Editing the copy leaves the original alone.
        const l = copy.layers.find((x) => x.outputs.every((t) => !t.isNetworkOutput() && t.getUsers().length === 0));
        if (l) l.markRemoved();
        F.relu(copy.outputs[0]!);
        expect(json(n)).toBe(text);
      }),
      params,
    );
  });

  it('failed replaceSubgraph, replaceAllUsesWith and markRemoved leave the JSON byte-identical', () => {
    // Only failing edits, so every run exercises the rollback paths.
    const failing = fc.record({
      kind: fc.constantFrom('subgraphThrows', 'subgraphWrongShape', 'rauwCycle', 'rauwDtype', 'removeUsed'),
      a: fc.nat({ max: 1000 }),
      b: fc.nat({ max: 1000 }),
      c: fc.nat({ max: 1000 }),
    });
    fc.assert(
      fc.property(smallNetworks, editsArb(), fc.array(failing, { minLength: 1, maxLength: 4 }), (recipe, edits, fails) => {
        const n = buildNetwork(recipe);
        runEdits(n, edits);
        for (const f of fails) {
          const e: Edit = { kind: 'subgraph', a: f.a, b: f.b, c: f.c, v: 0 };
          switch (f.kind) {
            case 'subgraphThrows':
              applyEdit(n, { ...e, v: 2 });
              break;
            case 'subgraphWrongShape':
              applyEdit(n, { ...e, v: 3 });
              break;
            case 'rauwCycle': {
              // Any tensor computed from a user of `old` closes a cycle.
              const tensors = liveTensors(n);
              const old = tensors[f.a % tensors.length]!;
              const users = old.getUsers();
              if (!users.length) break;
              const user = users[f.b % users.length]!;
              const rep = user.outputs[0]!;
              const r = rep.dtype === old.dtype && sameShape(rep.shape, old.shape) ? rep : F.reshape(rep, [-1]);
              // The Reshape (if needed) is a change of its own: compare against the JSON after it.
              const base = json(n);
              let err: unknown;
              try {
                old.replaceAllUsesWith(r, { allowShapeChange: true });
              } catch (x) {
                err = x;
              }
              expect(err).toBeInstanceOf(NetworkError);
              expect((err as Error).message).toContain('cycle');
              expect(json(n)).toBe(base);
              break;
            }
            case 'rauwDtype': {
              const tensors = liveTensors(n).filter((t) => t.dtype === 'float32');
              const old = tensors[f.a % tensors.length]!;
              const other = n.addInput(`other_${n.inputs.length}_${f.b}`, 'int32', old.shape);
              const err = expectFailsCleanly(n, () => old.replaceAllUsesWith(other), ShapeError);
              expect(err.message).toContain('float32');
              expect(err.message).toContain('int32');
              break;
            }
            case 'removeUsed': {
              const used = n.layers.filter((l) => l.outputs.some((t) => t.isNetworkOutput() || t.getUsers().length));
              expectFailsCleanly(n, () => used[f.a % used.length]!.markRemoved(), NetworkError);
              break;
            }
          }
          checkInvariants(n);
        }
      }),
      params,
    );
  });

  it('equivalence-preserving edits keep what the network computes (interpreted)', () => {
    fc.assert(
      fc.property(smallNetworks, editsArb(EQUIVALENT_KINDS), (recipe, edits) => {
        const n = buildNetwork(recipe);
        const before = n.clone();
        runEdits(n, edits);
        const result = verifyEquivalent(before, n, { seed: recipe.seed, rtol: 0, atol: 0, symbolValues: { batch: 3 } });
        expect(result.outputs).toHaveLength(before.outputs.length);
        for (const o of result.outputs) {
          expect(o.maxAbsError, o.name).toBe(0);
          expect(o.pass).toBe(true);
        }
        expect(result.pass).toBe(true);
      }),
      { seed: SEED, numRuns: 100 },
    );
  });
});
