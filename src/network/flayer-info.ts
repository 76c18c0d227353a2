/**
 * FLayerInfo: what a recorded functional call was given and returned, kept beside the layer it
 * built, so a pass can rebuild a plugin-style layer with one argument changed. Unlike
 * TensorRT-LLM's, it stays in step with the network: rewiring a consumer updates its raw inputs in
 * place, and removing the layer drops its entry.
 */
import { NetworkError } from '../errors.js';
import type { Layer } from './layer.js';
import type { ReplaceOptions } from './replace-uses.js';
import { Tensor } from './tensor.js';

/** Stands in for every tensor in a signature: the call's structure without its tensors. */
export const TENSOR_PLACEHOLDER = 'Tensor';

/** A call's structure: its kind and arguments, tensors replaced by TENSOR_PLACEHOLDER. */
export type Signature = readonly [kind: string, args: Readonly<Record<string, unknown>>];

function abstractTensors(v: unknown): unknown {
  if (v instanceof Tensor) return TENSOR_PLACEHOLDER;
  if (Array.isArray(v)) return v.map(abstractTensors);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, abstractTensors(x)]));
  return v;
}

/** Replaces `src` by `dst` everywhere inside `v` (arrays and plain objects), in place; counts hits. */
function replaceDeep(container: Record<string, unknown> | unknown[], src: Tensor, dst: Tensor, undo: (() => void)[]): number {
  let hits = 0;
  for (const key of Object.keys(container)) {
    const obj = container as Record<string, unknown>;
    const v = obj[key];
    if (v === src) {
      obj[key] = dst;
      undo.push(() => (obj[key] = src));
      hits++;
    } else if (v !== null && typeof v === 'object' && !(v instanceof Tensor)) {
      hits += replaceDeep(v as Record<string, unknown>, src, dst, undo);
    }
  }
  return hits;
}

/** Walks old and new outputs together, calling `visit` on each pair of tensors. */
function zipOutputs(old: unknown, neu: unknown, visit: (a: Tensor, b: Tensor) => void, path: string): void {
  if (old instanceof Tensor) {
    if (!(neu instanceof Tensor)) throw new NetworkError(`output ${path} was a tensor but its replacement is not`, { where: path });
    visit(old, neu);
  } else if (Array.isArray(old)) {
    if (!Array.isArray(neu) || neu.length !== old.length) {
      throw new NetworkError(`output ${path} has ${old.length} entries but its replacement has ${Array.isArray(neu) ? neu.length : 'none'}`, { where: path });
    }
    old.forEach((o, i) => zipOutputs(o, neu[i], visit, `${path}[${i}]`));
  } else if (old !== null && typeof old === 'object') {
    if (neu === null || typeof neu !== 'object') throw new NetworkError(`output ${path} is an object but its replacement is not`, { where: path });
    for (const [k, o] of Object.entries(old)) zipOutputs(o, (neu as Record<string, unknown>)[k], visit, `${path}.${k}`);
  }
}

export class FLayerInfo {
  /** The functional's name, e.g. `"gptAttention"`. */
  readonly layerKind: string;
  /** Every argument of the call by name, defaults filled in. Kept in step with the network. */
  readonly rawInputs: Record<string, unknown>;
  /** What the call returned. */
  rawOutputs: unknown;
  /** The layer this describes: the last one the call created. */
  readonly layer: Layer;

  constructor(layerKind: string, rawInputs: Record<string, unknown>, rawOutputs: unknown, layer: Layer) {
    this.layerKind = layerKind;
    this.rawInputs = rawInputs;
    this.rawOutputs = rawOutputs;
    this.layer = layer;
  }

  get layerName(): string {
    return this.layer.name;
  }

  /** The call's structure: kind and arguments, every tensor replaced by a placeholder. */
  get signature(): Signature {
    return [this.layerKind, abstractTensors(this.rawInputs) as Record<string, unknown>];
  }

  /** The raw input called `name`; throws when the call had no such parameter. */
  getInput(name: string): unknown {
    if (!(name in this.rawInputs)) {
      throw new NetworkError(`${this.layerKind} has no input "${name}"`, { where: this.layerName, hint: `its inputs are: ${Object.keys(this.rawInputs).join(', ')}` });
    }
    return this.rawInputs[name];
  }

  /** A shallow copy of the raw inputs: edit one argument and call the functional again. */
  cloneInputs(): Record<string, unknown> {
    return { ...this.rawInputs };
  }

  /** Replaces every occurrence of `src` in the raw inputs by `dst`, in place. Returns the count. */
  replaceInputWith(src: Tensor, dst: Tensor): number {
    const undo: (() => void)[] = [];
    const hits = replaceDeep(this.rawInputs, src, dst, undo);
    this.layer.network.recordUndo(() => undo.reverse().forEach((u) => u()));
    return hits;
  }

  /**
   * Redirects every user of this call's outputs to `newOutputs` (same structure), as TensorRT-LLM's
   * `replace_outputs_uses_with`: each new tensor takes its old tensor's name (the old one becomes
   * `<name>_deprecated`) and its slot among the network outputs. All or nothing.
   *
   * `options` is passed to every `replaceAllUsesWith`: `{allowShapeChange: true}` lets a new output
   * have another shape (the remove-padding rewrite turns context [B, S, D] into [1, T, D]); the
   * consumers are then re-inferred, and one that no longer type-checks is an error, changing nothing.
   */
  replaceOutputUsesWith(newOutputs: unknown, options: ReplaceOptions = {}): void {
    const network = this.layer.network;
    network.transaction(() => {
      zipOutputs(
        this.rawOutputs,
        newOutputs,
        (old, neu) => {
          const name = old.name;
          old.replaceAllUsesWith(neu, options);
          // A network output's name already moved with its slot in replaceAllUsesWith; moving it again
          // would rename `neu` to `<name>_deprecated`.
          if (neu.name !== name) network.takeOverName(old, neu);
        },
        this.layerKind,
      );
    });
  }

  toString(): string {
    return `FLayerInfo(${JSON.stringify(this.signature)})`;
  }
}

/**
 * The FLayerInfo of every recorded layer, keyed by layer identity: many networks coexist, and an
 * entry goes away with its layer (a WeakMap), so nothing leaks.
 */
export class FLayerInfoMemo {
  static #instance = new FLayerInfoMemo();
  readonly #data = new WeakMap<Layer, FLayerInfo>();

  /** The process-wide memo. It holds no network alive. */
  static instance(): FLayerInfoMemo {
    return FLayerInfoMemo.#instance;
  }

  get(layer: Layer): FLayerInfo | undefined {
    return this.#data.get(layer);
  }

  has(layer: Layer): boolean {
    return this.#data.has(layer);
  }

  /** Records `info` for its layer; a layer has at most one. Journaled in the layer's network. */
  add(info: FLayerInfo): void {
    const layer = info.layer;
    if (this.#data.has(layer)) throw new NetworkError(`layer ${layer.name} already has an FLayerInfo`, { where: layer.name });
    this.#data.set(layer, info);
    layer.network.recordUndo(() => this.#data.delete(layer));
  }

  /** Drops the entry of `layer`, if any. Journaled. */
  remove(layer: Layer): void {
    const info = this.#data.get(layer);
    if (!info) return;
    this.#data.delete(layer);
    layer.network.recordUndo(() => this.#data.set(layer, info));
  }
}
