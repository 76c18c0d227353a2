/**
 * Extracted selection → network, by the four-stage rewrite. (1) The classes the outputs need and
 * the node chosen for each are collected. (2) Every chosen node that is an original layer's node
 * reuses that layer as it is (only an input whose class now has another tensor is rewired); every
 * other node becomes a new layer on the chosen tensors, named by its op and a counter
 * (`SkipRMSNorm_3`), with the original layers it displaces recorded in its provenance, or, when all
 * its inputs are constants with data, a folded constant. (3) Network outputs move to the new tensors,
 * keeping their names and order. (4) Original layers no longer needed are marked removed.
 * All of it runs in one transaction: a failure leaves the network exactly as it was.
 */
import type { EGraph } from '../egraph/egraph.js';
import { NetsatError } from '../errors.js';
import { FLayerInfo, FLayerInfoMemo } from '../network/flayer-info.js';
import type { Layer } from '../network/layer.js';
import type { Network } from '../network/network.js';
import type { Tensor } from '../network/tensor.js';
import type { TensorData } from '../tensor/analysis.js';
import { dataIsExact } from '../ops/ndarray.js';
import { inferTypes, outputCount } from '../ops/registry.js';
import type { Attrs, NDArray, OpDef } from '../ops/types.js';
import type { NetworkEGraph } from './to-egraph.js';

/**
 * Names for new layers: the op and a counter per op (`FusedLinear_1`, `FusedLinear_2`), skipping
 * names the network already has. Short and stable to read; the layers a new one replaced are in
 * its provenance, not in its name (which once joined them all, up to hundreds of characters).
 */
class LayerNames {
  readonly #next = new Map<string, number>();
  constructor(private readonly network: Network) {}

  /** A fresh name for a layer of `op` with `outputs` outputs (their tensors are named after it). */
  next(op: string, outputs: number): string {
    const taken = (name: string) => this.network.getLayer(name) || Array.from({ length: outputs }, (_, i) => this.network.getTensor(`${name}_output_${i}`)).some(Boolean);
    let k = this.#next.get(op) ?? 1;
    while (taken(`${op}_${k}`)) k++;
    this.#next.set(op, k + 1);
    return `${op}_${k}`;
  }
}

/** Lowering failed: the selection does not fit the network it came from. */
export class LoweringError extends NetsatError {}

/** Why a new layer exists: the original layers it displaced (and, when known, the rules). */
export interface Provenance {
  readonly layer: string;
  readonly op: string;
  readonly replaced: readonly string[];
  readonly rules: readonly string[];
}

export interface LoweringResult {
  readonly newLayers: readonly Provenance[];
  readonly removed: readonly string[];
  readonly reused: number;
}

/** The class → chosen node function the lowering reads (canonical class ids of the e-graph). */
export type ChosenNode = (classId: number) => number | undefined;

/** A node's identity up to congruence: op, payload and canonical children. */
function nodeKey(egraph: EGraph<TensorData>, node: number): string {
  const kids = Array.from(egraph.nodeChildren(node), (c) => egraph.find(c));
  return `${egraph.nodeOp(node)}:${egraph.nodePayload(node)}:${kids.join(',')}`;
}

/**
 * A new node whose inputs are all constants with data is computed now, with the op's reference
 * kernel (folded conv weights, concatenated projections), as a runtime's constant folding would
 * do; its value becomes a constant layer only if a layer that runs reads it. Shape-only weights
 * cannot be folded and stay layers.
 */
function foldValue(def: OpDef, inputs: readonly (NDArray | null | undefined)[], attrs: Attrs, output: number): NDArray | undefined {
  if (!def.kernel || def.fused || inputs.some((v) => v === null) || inputs.every((v) => v === undefined)) return undefined;
  const values = inputs as readonly (NDArray | undefined)[];
  // A value whose data are not its bytes (a string, a uint64 above 2^53) is carried, never computed.
  if (!values.every((v) => !v || dataIsExact(v))) return undefined;
  const outputTypes = inferTypes(
    def,
    values.map((v) => (v ? { dtype: v.dtype, shape: v.shape } : undefined)),
    attrs,
  );
  return def.kernel(values, { attrs, outputTypes })[output];
}

export interface LowerOptions {
  /** Rules that produced a class, for provenance (from explanations); by class id. */
  rulesFor?: (classId: number) => readonly string[];
  /** Tensors that must survive as they are: their producers are kept, whatever the selection says. */
  keep?: readonly Tensor[];
}

export function lowerSelection(network: Network, ng: NetworkEGraph, chosen: ChosenNode, options: LowerOptions = {}): LoweringResult {
  const { egraph, language: L } = ng;
  const find = (c: number) => egraph.find(c);
  const forced = new Map<number, number>();
  for (const t of options.keep ?? []) {
    const cls = ng.classOf.get(t);
    const node = t.producer ? ng.nodeOf.get(t.producer)?.[t.producer.outputs.indexOf(t)] : undefined;
    if (cls !== undefined && node !== undefined) forced.set(find(cls), node);
  }
  const pick = (cls: number): number => {
    const node = forced.get(cls) ?? chosen(cls);
    if (node === undefined) throw new LoweringError(`the selection has no node for e-class ${cls}`, { hint: 'extract with the network outputs as roots' });
    return node;
  };
  const tensorChildren = (node: number): number[] => {
    const def = L.opDef(egraph.nodeOp(node));
    const kids = Array.from(egraph.nodeChildren(node), find);
    return def && L.hasAttrsChild(def) ? kids.slice(1) : kids;
  };

  // (1) Needed classes in post-order (children first), iteratively.
  const order: number[] = [];
  const state = new Map<number, 1 | 2>();
  for (const root of [...ng.roots, ...forced.keys()]) {
    const stack: [number, number][] = [[find(root), 0]];
    if (state.has(stack[0]![0])) continue;
    state.set(stack[0]![0], 1);
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      const kids = tensorChildren(pick(top[0]));
      if (top[1] < kids.length) {
        const c = kids[top[1]++]!;
        const s = state.get(c);
        if (s === 1) throw new LoweringError(`the selection is cyclic at e-class ${c}`, { hint: 'use an extractor that returns acyclic selections' });
        if (s === undefined) {
          state.set(c, 1);
          stack.push([c, 0]);
        }
      } else {
        state.set(top[0], 2);
        order.push(top[0]);
        stack.pop();
      }
    }
  }

  // (2a) Which original layers are reused: their node (up to congruence) is chosen somewhere.
  const originalByKey = new Map<string, { layer: Layer; output: number }>();
  // Congruent duplicates (two identical layers) share a class; the first one created is kept.
  for (const [node, origin] of ng.layerOfNode) {
    const key = nodeKey(egraph, node);
    if (!originalByKey.has(key)) originalByKey.set(key, origin);
  }
  const reusedLayers = new Set<Layer>();
  for (const cls of order) {
    const origin = originalByKey.get(nodeKey(egraph, pick(cls)));
    if (origin) reusedLayers.add(origin.layer);
  }
  const originalProducer = new Map<number, Layer>();
  for (const [t, cls] of ng.classOf) if (t.producer && !originalProducer.has(find(cls))) originalProducer.set(find(cls), t.producer);

  const needed = new Set(order);
  /**
   * Original layers displaced by a new node of class `cls` with children `inputs`. The walk stops at
   * the node's inputs and at every other class the selection computes: those tensors are another
   * layer's outputs, so the layers above them are not this node's doing.
   */
  const displacedBy = (cls: number, inputs: number[]): Layer[] => {
    const stop = new Set(inputs);
    const out = new Set<Layer>();
    const visit = (c: number) => {
      const p = originalProducer.get(c);
      if (!p || reusedLayers.has(p) || out.has(p) || p.op === 'Constant') return;
      out.add(p);
      for (const t of p.inputSlots) {
        const above = t && find(ng.classOf.get(t)!);
        if (above !== undefined && !stop.has(above) && !needed.has(above)) visit(above);
      }
    };
    visit(cls);
    return [...out].sort((a, b) => a.id - b.id);
  };

  const originals = [...network.layers];
  return network.transaction(() => {
    const newLayerByKey = new Map<string, Layer>();
    const used = new Set<Layer>(reusedLayers);
    const provenance: Provenance[] = [];
    const names = new LayerNames(network);
    const memo = FLayerInfoMemo.instance();
    const tensorOf = new Map<number, Tensor | undefined>();
    /** Folded values not yet made into constant layers. */
    const folded = new Map<number, NDArray>();
    const tensorFor = (cls: number): Tensor | undefined => {
      const value = folded.get(cls);
      if (value && !tensorOf.has(cls)) {
        const t = network.addConstant({ dtype: value.dtype, shape: value.shape, data: value });
        used.add(t.producer!);
        tensorOf.set(cls, t);
      }
      return tensorOf.get(cls);
    };
    /** The data of a class: folded, or an existing constant's; null when it has none. */
    const valueFor = (cls: number): NDArray | null | undefined => {
      if (folded.has(cls)) return folded.get(cls);
      if (!tensorOf.has(cls)) return null;
      const t = tensorOf.get(cls);
      return t === undefined ? undefined : t.producer?.op === 'Constant' ? (t.producer.constantData ?? null) : null;
    };

    // (2b) Materialize each needed class, children first.
    for (const cls of order) {
      const node = pick(cls);
      const op = egraph.nodeOp(node);
      const payload = egraph.nodePayload(node);
      if (op === L.absentOp) {
        tensorOf.set(cls, undefined);
        continue;
      }
      if (op === L.inputOp) {
        tensorOf.set(cls, network.getTensor(L.inputs[payload]!.name));
        continue;
      }
      if (op === L.constOp) {
        const c = L.constants[payload]!;
        const existing = c.source ? network.getTensor(c.source) : undefined;
        if (existing && !existing.isDead()) {
          if (existing.producer) used.add(existing.producer);
          tensorOf.set(cls, existing);
        } else {
          if (!c.value) throw new LoweringError(`constant #${payload} has neither a source tensor nor data`, { where: c.source });
          folded.set(cls, c.value);
        }
        continue;
      }
      if (op === L.opaqueOp) {
        const o = L.opaque[payload]!;
        const layer = network.getLayer(o.layer)!;
        used.add(layer);
        tensorOf.set(cls, layer.outputs[o.output]);
        continue;
      }
      const def = L.opDef(op)!;
      const kidClasses = tensorChildren(node);
      const attrsChild = L.hasAttrsChild(def) ? egraph.data(find(egraph.nodeChild(node, 0))) : undefined;
      const attrs = attrsChild?.kind === 'attrs' ? attrsChild.attrs : {};
      const origin = originalByKey.get(nodeKey(egraph, node));
      if (!origin) {
        const value = foldValue(def, kidClasses.map(valueFor), attrs, payload);
        if (value) {
          folded.set(cls, value);
          continue;
        }
      }
      const inputs = kidClasses.map(tensorFor);
      if (origin) {
        inputs.forEach((t, i) => {
          if (origin.layer.inputSlots[i] !== t) origin.layer.setInput(i, t);
        });
        tensorOf.set(cls, origin.layer.outputs[origin.output]);
        continue;
      }
      const key = `${op}:${L.hasAttrsChild(def) ? find(egraph.nodeChild(node, 0)) : ''}:${inputs.map((t) => t?.id ?? -1).join(',')}`;
      let layer = newLayerByKey.get(key);
      if (!layer) {
        // A multi-output op displaces what each of its needed outputs replaced (a SkipRMSNorm: the
        // residual add and the decomposed norm).
        const children = egraph.nodeChildren(node);
        const siblings = Array.from({ length: outputCount(def, attrs) }, (_, k) => egraph.lookup(op, k, children)).filter((c) => c >= 0 && needed.has(c));
        const replaced = [...new Set([cls, ...siblings].flatMap((c) => displacedBy(c, kidClasses)))].sort((a, b) => a.id - b.id);
        layer = network.addLayer(def.name, inputs, attrs, { name: names.next(def.name, outputCount(def, attrs)) });
        if (def.fused) {
          const raw: Record<string, unknown> = { ...attrs };
          def.inputs.forEach((spec, i) => (raw[spec.name] = inputs[i]));
          memo.add(new FLayerInfo(def.name, raw, [...layer.outputs], layer));
        }
        newLayerByKey.set(key, layer);
        used.add(layer);
        provenance.push({ layer: layer.name, op: def.name, replaced: replaced.map((l) => l.name), rules: options.rulesFor?.(cls) ?? [] });
      }
      tensorOf.set(cls, layer.outputs[payload]);
    }

    // (3) Network outputs move to their classes' tensors, keeping names and order.
    const outputs = [...network.outputs];
    outputs.forEach((old, i) => {
      const t = tensorFor(find(ng.roots[i]!));
      if (!t) throw new LoweringError(`no tensor for network output ${old.name}`, { where: old.name });
      if (t !== old) old.replaceAllUsesWith(t);
    });

    // (4) Every original layer not used is displaced (layers made here, such as an Identity that
    // lets two outputs share a tensor, stay).
    const removed: string[] = [];
    for (const layer of [...originals].reverse()) {
      if (used.has(layer)) continue;
      layer.markRemoved();
      removed.push(layer.name);
    }
    return { newLayers: provenance, removed: removed.reverse(), reused: reusedLayers.size };
  });
}
