/**
 * The Network: inputs, layers, tensors and outputs, in the shape of TensorRT's INetworkDefinition
 * as TensorRT-LLM's Graph Rewriting module sees it. Layers are only added, never deleted: a
 * displaced layer is marked removed, stays in `allLayers`, and is skipped by every other query.
 *
 * Every edit goes through a few primitives here that keep use lists current and, inside
 * `transaction`, journal an undo step, so a failed rewrite leaves the network exactly as it was.
 */
import { NetworkError, ShapeError } from '../errors.js';
import { ndarray as ndarrayFrom } from '../ops/ndarray.js';
import { getOp, inferTypes, resolveAttrs } from '../ops/registry.js';
import { formatShape, numel, sameShape } from '../ops/shape.js';
import type { Attrs, DType, NDArray, Shape, TensorType } from '../ops/types.js';
import { DTYPES } from '../ops/types.js';
import { FLayerInfoMemo } from './flayer-info.js';
import { Layer } from './layer.js';
import type { ReplaceOptions } from './replace-uses.js';
import { replaceAllUses } from './replace-uses.js';
import { Tensor } from './tensor.js';
import { networkToDot } from './dot.js';
import type { DotOptions } from './dot.js';
import { cloneNetwork, networkFromJSON, networkToJSON } from './serialize.js';
import type { NetworkJSON } from './serialize.js';

/** Options of `Network.addLayer`. */
export interface AddLayerOptions {
  /** The layer's name; generated from the op (`matmul_3`) when absent. */
  name?: string;
  /** Names of the output tensors; `<layer>_output_<i>` when absent. */
  outputNames?: readonly (string | undefined)[];
}

/** Description of a constant: data is optional so that huge weights may be described by shape alone. */
export interface ConstantSpec {
  dtype: DType;
  shape: readonly number[];
  data?: NDArray | ArrayLike<number>;
  /** Name of the constant's tensor (and of its layer). */
  name?: string;
}

/** One entry of the creation log: a network input or a layer, in the order they were made. */
export type CreationEvent = { kind: 'input'; tensor: Tensor } | { kind: 'layer'; layer: Layer };

/** Ops whose TensorRT layer names are not their snake_case (`MatMul` is `matmul_3`, not `mat_mul_3`). */
const LAYER_NAME_BASE: Readonly<Record<string, string>> = { MatMul: 'matmul' };

/** `MatMul` → `matmul`, `RMSNorm` → `rms_norm`, `GptAttention` → `gpt_attention`. */
function snakeCase(op: string): string {
  const known = LAYER_NAME_BASE[op];
  if (known !== undefined) return known;
  return op
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}

class CycleFound extends Error {
  constructor(readonly layers: Layer[]) {
    super('cycle');
  }
}

export class Network {
  name: string;
  readonly #layers: Layer[] = [];
  readonly #tensors: Tensor[] = [];
  readonly #log: CreationEvent[] = [];
  readonly #inputs: Tensor[] = [];
  readonly #inputSet = new Set<Tensor>();
  #outputs: Tensor[] = [];
  readonly #removed = new Set<Layer>();
  readonly #layerByName = new Map<string, Layer>();
  readonly #tensorByName = new Map<string, Tensor>();
  #journal: (() => void)[] | undefined;
  #version = 0;
  #topoVersion = -1;
  #topo: Layer[] = [];

  constructor(name = 'network') {
    this.name = name;
  }

  // ---- queries -------------------------------------------------------------------------------

  /** Live layers in topological order (producers before consumers). */
  get layers(): readonly Layer[] {
    if (this.#topoVersion !== this.#version) {
      // Edits refuse cycles, so only a hand-made JSON can hold one; validate() reports it.
      this.#topo = this.#topologicalOrder();
      this.#topoVersion = this.#version;
    }
    return this.#topo;
  }

  /** Every layer ever added, removed ones included, in creation order. */
  get allLayers(): readonly Layer[] {
    return this.#layers;
  }

  /** Every tensor ever created, in creation order (including outputs of removed layers). */
  get allTensors(): readonly Tensor[] {
    return this.#tensors;
  }

  get inputs(): readonly Tensor[] {
    return this.#inputs;
  }

  get outputs(): readonly Tensor[] {
    return this.#outputs;
  }

  /** @internal network inputs and layers in creation order, for serialization and cloning. */
  get creationLog(): readonly CreationEvent[] {
    return this.#log;
  }

  /** Increases on every structural edit; cheap change detection for caches. */
  get version(): number {
    return this.#version;
  }

  isInput(t: Tensor): boolean {
    return this.#inputSet.has(t);
  }

  isOutput(t: Tensor): boolean {
    return this.#outputs.includes(t);
  }

  isRemoved(layer: Layer): boolean {
    return this.#removed.has(layer);
  }

  /** Removed layers, in creation order. */
  get removedLayers(): Layer[] {
    return this.#layers.filter((l) => this.#removed.has(l));
  }

  getLayer(name: string): Layer | undefined {
    return this.#layerByName.get(name);
  }

  getTensor(name: string): Tensor | undefined {
    return this.#tensorByName.get(name);
  }

  // ---- building ------------------------------------------------------------------------------

  /** Adds a network input. */
  addInput(name: string, dtype: DType, shape: Shape): Tensor {
    this.#checkNewTensorName(name);
    this.#checkType({ dtype, shape }, `input ${name}`);
    const t = new Tensor(this, this.#tensors.length, name, { dtype, shape: Object.freeze([...shape]) }, undefined);
    this.#registerTensor(t);
    this.#inputs.push(t);
    this.#inputSet.add(t);
    this.#log.push({ kind: 'input', tensor: t });
    this.#touch();
    this.#record(() => {
      this.#log.pop();
      this.#inputSet.delete(t);
      this.#inputs.pop();
      this.#unregisterTensor(t);
    });
    return t;
  }

  /** Adds a Constant layer and returns its tensor. Data are optional (shape-only weights). */
  addConstant(spec: ConstantSpec): Tensor {
    const { dtype, shape } = spec;
    let data: NDArray | undefined;
    if (spec.data !== undefined) {
      const given = spec.data;
      const where = spec.name ?? 'addConstant';
      const isArray = 'data' in given && 'shape' in given;
      if (isArray && (!sameShape(given.shape, shape) || given.dtype !== dtype)) {
        throw new ShapeError(`constant data is ${given.dtype}${formatShape(given.shape)} but the constant is declared ${dtype}${formatShape(shape)}`, {
          where,
          hint: 'pass data of the declared dtype and shape',
        });
      }
      // An NDArray's own shape does not vouch for its data: kernels would read past the end.
      const values: ArrayLike<number> = isArray ? given.data : given;
      const n = numel(shape);
      if (values.length !== n) throw new ShapeError(`constant of shape ${formatShape(shape)} needs ${n} values, got ${values.length}`, { where });
      data = isArray ? given : ndarrayFrom(dtype, shape, values);
    }
    const layer = this.#createLayer('Constant', [], { dtype, shape: [...shape] }, { name: spec.name, outputNames: [spec.name] }, data);
    return layer.outputs[0]!;
  }

  /**
   * Adds a layer applying `op` to `inputs` (undefined for an absent optional input). Output types
   * are inferred; a mismatch is a ShapeError naming the layer. Returns the layer.
   */
  addLayer(op: string, inputs: readonly (Tensor | undefined)[], attrs: Attrs = {}, options: AddLayerOptions = {}): Layer {
    if (op === 'Constant') {
      throw new NetworkError('Constant layers are added with addConstant', { hint: 'call network.addConstant({dtype, shape, data})' });
    }
    return this.#createLayer(op, inputs, attrs, options, undefined);
  }

  /** Marks `t` as a network output, optionally renaming it. Outputs keep the order of marking. */
  markOutput(t: Tensor, name?: string): void {
    this.#checkOwn(t, 'markOutput');
    if (t.isDead()) throw new NetworkError(`tensor ${t.name} is produced by a removed layer`, { where: t.name, hint: 'mark the tensor that replaced it' });
    if (this.isOutput(t)) throw new NetworkError(`tensor ${t.name} is already a network output`, { where: t.name });
    if (name !== undefined && name !== t.name) this.renameTensor(t, name);
    this.setOutputs([...this.#outputs, t]);
  }

  /** Removes `t` from the network outputs. */
  unmarkOutput(t: Tensor): void {
    if (!this.isOutput(t)) throw new NetworkError(`tensor ${t.name} is not a network output`, { where: t.name });
    this.setOutputs(this.#outputs.filter((o) => o !== t));
  }

  // ---- edit primitives (journaled) -----------------------------------------------------------

  /** @internal replaces the output list (order matters). */
  setOutputs(outputs: Tensor[]): void {
    const old = this.#outputs;
    this.#outputs = outputs;
    this.#touch();
    this.#record(() => {
      this.#outputs = old;
    });
  }

  /** Renames a tensor; names are unique within a network. */
  renameTensor(t: Tensor, name: string): void {
    this.#checkOwn(t, 'rename');
    if (t.name === name) return;
    this.#checkNewTensorName(name);
    const old = t.name;
    this.#tensorByName.delete(old);
    t.setNameUnchecked(name);
    this.#tensorByName.set(name, t);
    this.#record(() => {
      this.#tensorByName.delete(name);
      t.setNameUnchecked(old);
      this.#tensorByName.set(old, t);
    });
  }

  /** `t`'s name moves to `neu`; `t` becomes `<name>_deprecated` (numbered if that is taken). */
  takeOverName(t: Tensor, neu: Tensor): void {
    if (neu.name === t.name) return;
    const name = t.name;
    let parked = `${name}_deprecated`;
    for (let k = 2; this.#tensorByName.has(parked); k++) parked = `${name}_deprecated_${k}`;
    this.renameTensor(t, parked);
    this.renameTensor(neu, name);
  }

  /** See Tensor.replaceAllUsesWith. */
  replaceAllUses(old: Tensor, replacement: Tensor, options: ReplaceOptions = {}): void {
    this.#checkOwn(old, 'replaceAllUsesWith');
    replaceAllUses(old, replacement, options);
  }

  /** @internal sets a tensor's type (shape re-inference after an allowed shape change). */
  retypeTensor(t: Tensor, type: TensorType): void {
    const old = t.type;
    t.setTypeUnchecked(type);
    this.#record(() => t.setTypeUnchecked(old));
  }

  /**
   * @internal points slot `i` of `layer` at `tensor` without type checks (callers check), keeping
   * use lists current. Cycle and liveness checks are done here.
   */
  rewireInput(layer: Layer, i: number, tensor: Tensor | undefined): void {
    const old = layer.inputSlots[i];
    if (old === tensor) return;
    if (tensor) {
      this.#checkUsable(tensor, layer.name);
      if (this.dependsOn(tensor, layer)) {
        throw new NetworkError(`connecting ${tensor.name} to ${layer.name} would create a cycle: ${tensor.name} is computed from ${layer.name}`, {
          where: layer.name,
          hint: 'a layer cannot consume a tensor that depends on its own outputs',
        });
      }
    }
    this.#setSlot(layer, i, tensor);
    this.#record(() => this.#setSlot(layer, i, old));
  }

  /** Sets input `i` of `layer`; its output types must not change. */
  setLayerInput(layer: Layer, i: number, tensor: Tensor | undefined): void {
    this.#checkLive(layer);
    if (i < 0 || i >= layer.inputSlots.length) {
      throw new NetworkError(`layer ${layer.name} has ${layer.inputSlots.length} input slots; there is no slot ${i}`, { where: layer.name });
    }
    if (tensor) this.#checkOwn(tensor, layer.name);
    const types = layer.inputSlots.map((t, k) => (k === i ? tensor?.type : t?.type));
    const inferred = inferTypes(layer.opDef, types, layer.attributes, layer.name);
    inferred.forEach((type, k) => {
      const out = layer.outputs[k]!;
      if (type.dtype !== out.dtype || !sameShape(type.shape, out.shape)) {
        throw new ShapeError(
          `setting input ${i} of ${layer.name} to ${tensor?.name ?? 'nothing'} changes output ${out.name} from ${out.dtype}${formatShape(out.shape)} to ${type.dtype}${formatShape(type.shape)}`,
          { where: layer.name, hint: 'use a tensor of the same type, or build a new layer and replaceAllUsesWith' },
        );
      }
    });
    this.rewireInput(layer, i, tensor);
  }

  /**
   * Marks `layer` removed. Its outputs must have no live users and must not be network outputs,
   * so that removal never leaves a live layer reading a dead tensor. Marking twice is a no-op.
   */
  markRemoved(layer: Layer): void {
    if (layer.network !== this) throw new NetworkError(`layer ${layer.name} belongs to another network`, { where: layer.name });
    if (this.#removed.has(layer)) return;
    for (const out of layer.outputs) {
      if (this.isOutput(out)) {
        throw new NetworkError(`cannot remove ${layer.name}: its output ${out.name} is a network output`, {
          where: layer.name,
          hint: `redirect it first with ${out.name}.replaceAllUsesWith(newTensor)`,
        });
      }
      const users = out.getUsers();
      if (users.length) {
        throw new NetworkError(`cannot remove ${layer.name}: its output ${out.name} is still read by ${users.map((u) => u.name).join(', ')}`, {
          where: layer.name,
          hint: `redirect the users first with ${out.name}.replaceAllUsesWith(newTensor)`,
        });
      }
    }
    this.#removed.add(layer);
    FLayerInfoMemo.instance().remove(layer);
    this.#touch();
    this.#record(() => {
      this.#removed.delete(layer);
      this.#touch();
    });
  }

  /**
   * Runs `fn` as one transaction: if it throws, every edit it made (layers, tensors, names, marks,
   * rewiring, FLayerInfo) is undone and the error is re-thrown. Transactions nest into the outer one.
   */
  transaction<T>(fn: () => T): T {
    if (this.#journal) return fn();
    const journal = this.#begin();
    try {
      const result = fn();
      this.#journal = undefined;
      return result;
    } catch (e) {
      this.#rollBack(journal);
      throw e;
    }
  }

  /**
   * `transaction` for work that awaits (optimize verifying with onnxruntime): if the promise
   * rejects, every edit made on this network since the call is undone, including edits made by
   * other code while `fn` was waiting.
   */
  async transactionAsync<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#journal) return fn();
    const journal = this.#begin();
    try {
      const result = await fn();
      this.#journal = undefined;
      return result;
    } catch (e) {
      this.#rollBack(journal);
      throw e;
    }
  }

  #begin(): (() => void)[] {
    const journal: (() => void)[] = [];
    this.#journal = journal;
    return journal;
  }

  #rollBack(journal: readonly (() => void)[]): void {
    this.#journal = undefined;
    for (let k = journal.length - 1; k >= 0; k--) journal[k]!();
    this.#touch();
  }

  /** @internal records an undo step for an edit made outside this class (FLayerInfo). */
  recordUndo(undo: () => void): void {
    this.#record(undo);
  }

  /** True when `tensor` is computed (transitively) from an output of `layer`. */
  dependsOn(tensor: Tensor, layer: Layer): boolean {
    const seen = new Set<Layer>();
    const stack: Layer[] = tensor.producer ? [tensor.producer] : [];
    while (stack.length) {
      const l = stack.pop()!;
      if (l === layer) return true;
      if (seen.has(l)) continue;
      seen.add(l);
      for (const t of l.inputSlots) if (t?.producer) stack.push(t.producer);
    }
    return false;
  }

  // ---- copies and views -----------------------------------------------------------------------

  /** A deep copy: same names, order, removed marks, outputs and FLayerInfo; constant data shared. */
  clone(name = this.name): Network {
    return cloneNetwork(this, new Network(name));
  }

  /** The network as JSON (format "netsat-network", versioned); constant data as base64. */
  toJSON(): NetworkJSON {
    return networkToJSON(this);
  }

  /** Rebuilds a network from `toJSON()` output; a wrong version or unknown op is a FormatError. */
  static fromJSON(json: NetworkJSON): Network {
    return networkFromJSON(json, new Network(typeof json?.name === 'string' ? json.name : 'network'));
  }

  /** DOT text (Graphviz) of the live network, or of every layer with `includeRemoved`. */
  toDot(options: DotOptions = {}): string {
    return networkToDot(this, options);
  }

  // ---- restoring (serialization and cloning) -------------------------------------------------

  /**
   * @internal creates a layer with known output types and no inputs yet; `restoreSlot` fills them
   * once every tensor exists (a rewired layer may read a tensor created after it).
   */
  restoreLayer(op: string, attrs: Attrs, name: string, outputs: readonly { name: string; type: TensorType }[], data: NDArray | undefined, inputCount: number): Layer {
    const opDef = getOp(op);
    if (this.#layerByName.has(name)) throw new NetworkError(`a layer named "${name}" already exists`, { where: name });
    outputs.forEach((o) => {
      this.#checkNewTensorName(o.name);
      this.#checkType(o.type, o.name);
    });
    const slots = new Array<Tensor | undefined>(inputCount).fill(undefined);
    const tensors: Tensor[] = [];
    const layer = new Layer(this, this.#layers.length, name, opDef, resolveAttrs(opDef, attrs, name), slots, tensors, data);
    outputs.forEach((o, i) => tensors.push(new Tensor(this, this.#tensors.length + i, o.name, o.type, layer)));
    this.#layers.push(layer);
    this.#layerByName.set(name, layer);
    for (const t of tensors) this.#registerTensor(t);
    this.#log.push({ kind: 'layer', layer });
    this.#touch();
    return layer;
  }

  /** @internal fills an input slot while restoring; `validate()` checks the result afterwards. */
  restoreSlot(layer: Layer, i: number, tensor: Tensor | undefined): void {
    if (tensor) this.#checkOwn(tensor, layer.name);
    this.#setSlot(layer, i, tensor);
  }

  /** @internal marks a layer removed while restoring (no user checks: validate() follows). */
  restoreRemoved(layer: Layer): void {
    this.#removed.add(layer);
    this.#touch();
  }

  /**
   * Checks every invariant and throws one NetworkError listing the problems: each live layer's
   * inputs are present, come from live layers or network inputs, and give the stored output types;
   * the live graph has no cycle; every output is a live tensor.
   */
  validate(): void {
    const problems: string[] = [];
    for (const layer of this.#layers) {
      if (this.#removed.has(layer)) continue;
      layer.inputSlots.forEach((t, i) => {
        if (t && t.network !== this) problems.push(`${layer.name} input ${i} (${t.name}) belongs to another network`);
        else if (t?.isDead()) problems.push(`${layer.name} input ${i} reads ${t.name}, produced by removed layer ${t.producer!.name}`);
      });
      try {
        const types = inferTypes(
          layer.opDef,
          layer.inputSlots.map((t) => t?.type),
          layer.attributes,
          layer.name,
        );
        if (types.length !== layer.outputs.length) problems.push(`${layer.name} has ${layer.outputs.length} outputs but its op gives ${types.length}`);
        types.forEach((ty, k) => {
          const out = layer.outputs[k];
          if (out && (ty.dtype !== out.dtype || !sameShape(ty.shape, out.shape))) {
            problems.push(`${layer.name} output ${out.name} is stored as ${out.dtype}${formatShape(out.shape)} but its inputs give ${ty.dtype}${formatShape(ty.shape)}`);
          }
        });
      } catch (e) {
        problems.push(e instanceof Error ? e.message.split('\n')[0]! : String(e));
      }
    }
    const cycle = this.#findCycle();
    if (cycle) problems.push(`cycle through ${cycle.map((l) => l.name).join(' -> ')}`);
    for (const out of this.#outputs) {
      if (out.isDead()) problems.push(`network output ${out.name} is produced by removed layer ${out.producer!.name}`);
    }
    if (problems.length) {
      const shown = problems
        .slice(0, 10)
        .map((p) => `  - ${p}`)
        .join('\n');
      const more = problems.length > 10 ? `\n  ... and ${problems.length - 10} more` : '';
      throw new NetworkError(`network "${this.name}" is invalid (${problems.length} problem${problems.length > 1 ? 's' : ''}):\n${shown}${more}`);
    }
  }

  // ---- internals -----------------------------------------------------------------------------

  #createLayer(op: string, inputs: readonly (Tensor | undefined)[], attrs: Attrs, options: AddLayerOptions, data: NDArray | undefined): Layer {
    const opDef = getOp(op);
    const name = options.name ?? this.#generateLayerName(op);
    if (this.#layerByName.has(name)) {
      throw new NetworkError(`a layer named "${name}" already exists`, { where: name, hint: 'layer names are unique; pick another or omit it to have one generated' });
    }
    for (const t of inputs) if (t) this.#checkUsable(t, name);
    const resolved = resolveAttrs(opDef, attrs, name);
    const types = inferTypes(
      opDef,
      inputs.map((t) => t?.type),
      resolved,
      name,
    );
    const outNames = types.map((_, i) => options.outputNames?.[i] ?? `${name}_output_${i}`);
    outNames.forEach((n) => this.#checkNewTensorName(n));
    if (new Set(outNames).size !== outNames.length) throw new NetworkError(`layer ${name} has duplicate output names`, { where: name });
    const outputs: Tensor[] = [];
    const slots = new Array<Tensor | undefined>(inputs.length).fill(undefined);
    const layer = new Layer(this, this.#layers.length, name, opDef, resolved, slots, outputs, data);
    types.forEach((type, i) => outputs.push(new Tensor(this, this.#tensors.length + i, outNames[i]!, type, layer)));
    this.#layers.push(layer);
    this.#layerByName.set(name, layer);
    for (const t of outputs) this.#registerTensor(t);
    inputs.forEach((t, i) => this.#setSlot(layer, i, t));
    this.#log.push({ kind: 'layer', layer });
    this.#touch();
    this.#record(() => {
      for (let i = layer.inputSlots.length - 1; i >= 0; i--) this.#setSlot(layer, i, undefined);
      this.#log.pop();
      for (let k = outputs.length - 1; k >= 0; k--) this.#unregisterTensor(outputs[k]!);
      this.#layerByName.delete(name);
      this.#layers.pop();
    });
    return layer;
  }

  /** Points a slot at a tensor and keeps both tensors' use counts right (no journal). */
  #setSlot(layer: Layer, i: number, tensor: Tensor | undefined): void {
    const old = layer.inputSlots[i];
    if (old) {
      const n = old.uses.get(layer)! - 1;
      if (n === 0) old.uses.delete(layer);
      else old.uses.set(layer, n);
    }
    layer.inputSlots[i] = tensor;
    if (tensor) tensor.uses.set(layer, (tensor.uses.get(layer) ?? 0) + 1);
    this.#touch();
  }

  #generateLayerName(op: string): string {
    const base = snakeCase(op);
    let n = this.#layers.length;
    while (this.#layerByName.has(`${base}_${n}`)) n++;
    return `${base}_${n}`;
  }

  #registerTensor(t: Tensor): void {
    this.#tensors.push(t);
    this.#tensorByName.set(t.name, t);
  }

  #unregisterTensor(t: Tensor): void {
    this.#tensors.pop();
    this.#tensorByName.delete(t.name);
  }

  #checkNewTensorName(name: string): void {
    if (typeof name !== 'string' || name.length === 0) throw new NetworkError('tensor names must be non-empty strings');
    if (this.#tensorByName.has(name)) {
      throw new NetworkError(`a tensor named "${name}" already exists`, { where: name, hint: 'tensor names are unique; pick another' });
    }
  }

  #checkType(type: TensorType, where: string): void {
    if (!DTYPES.includes(type.dtype)) {
      throw new ShapeError(`unknown dtype "${type.dtype}"`, { where, hint: `use one of ${DTYPES.join(', ')}` });
    }
    for (const d of type.shape) {
      const ok = typeof d === 'number' ? Number.isInteger(d) && d >= 0 : typeof d === 'string' && /^[A-Za-z_0-9*]+$/.test(d);
      if (!ok) throw new ShapeError(`bad dimension ${JSON.stringify(d)} in ${formatShape(type.shape)}`, { where, hint: 'dims are non-negative integers or symbol names' });
    }
  }

  #checkOwn(t: Tensor, where: string): void {
    if (t.network !== this) {
      throw new NetworkError(`tensor ${t.name} belongs to network "${t.network.name}", not "${this.name}"`, {
        where,
        hint: 'tensors cannot cross networks; clone the network or rebuild the tensor in this one',
      });
    }
  }

  #checkUsable(t: Tensor, where: string): void {
    this.#checkOwn(t, where);
    if (t.isDead()) {
      throw new NetworkError(`tensor ${t.name} is produced by removed layer ${t.producer!.name}`, {
        where,
        hint: 'removed layers never come back; use the tensor that replaced it',
      });
    }
  }

  #checkLive(layer: Layer): void {
    if (layer.network !== this) throw new NetworkError(`layer ${layer.name} belongs to another network`, { where: layer.name });
    if (this.isRemoved(layer)) throw new NetworkError(`layer ${layer.name} is removed and cannot be edited`, { where: layer.name });
  }

  #touch(): void {
    this.#version++;
  }

  #record(undo: () => void): void {
    this.#journal?.push(undo);
  }

  /** A cycle among live layers, as the layers on it, or undefined. */
  #findCycle(): Layer[] | undefined {
    try {
      this.#topologicalOrder();
      return undefined;
    } catch (e) {
      if (e instanceof CycleFound) return e.layers;
      throw e;
    }
  }

  /** Live layers, producers first; ties keep creation order. Iterative, so deep chains are fine. */
  #topologicalOrder(): Layer[] {
    const order: Layer[] = [];
    const state = new Uint8Array(this.#layers.length); // 0 new, 1 on stack, 2 done
    for (const root of this.#layers) {
      if (state[root.id] || this.#removed.has(root)) continue;
      const stack: [Layer, number][] = [[root, 0]];
      state[root.id] = 1;
      while (stack.length) {
        const top = stack[stack.length - 1]!;
        const [layer, k] = top;
        if (k < layer.inputSlots.length) {
          top[1]++;
          const p = layer.inputSlots[k]?.producer;
          if (p && state[p.id] === 1) throw new CycleFound([...stack.map(([l]) => l).slice(stack.findIndex(([l]) => l === p)), p]);
          if (p && !state[p.id]) {
            state[p.id] = 1;
            stack.push([p, 0]);
          }
        } else {
          stack.pop();
          state[layer.id] = 2;
          if (!this.#removed.has(layer)) order.push(layer);
        }
      }
    }
    return order;
  }
}
