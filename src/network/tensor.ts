/**
 * A tensor of a Network: its name, type, producer and consumers. Use lists are kept up to date by
 * every edit, so `getParent` and `getUsers` are O(1) lookups, not scans of the network.
 */
import type { DType, Shape, TensorType } from '../ops/types.js';
import type { Layer } from './layer.js';
import type { Network } from './network.js';
import type { ReplaceOptions } from './replace-uses.js';

export class Tensor implements TensorType {
  /** Dense id within its network, stable for the tensor's life. */
  readonly id: number;
  readonly network: Network;
  /** @internal the layer that produces it; undefined for network inputs. */
  producer: Layer | undefined;
  /** @internal consumers, each with the number of its input slots that read this tensor. */
  readonly uses = new Map<Layer, number>();
  #name: string;
  #type: TensorType;

  /** @internal tensors are created by Network.addInput, addConstant and layers. */
  constructor(network: Network, id: number, name: string, type: TensorType, producer: Layer | undefined) {
    this.network = network;
    this.id = id;
    this.#name = name;
    this.#type = type;
    this.producer = producer;
  }

  get name(): string {
    return this.#name;
  }

  /** Renames the tensor; the name must be unique in its network. */
  set name(name: string) {
    this.network.renameTensor(this, name);
  }

  get dtype(): DType {
    return this.#type.dtype;
  }

  get shape(): Shape {
    return this.#type.shape;
  }

  get type(): TensorType {
    return this.#type;
  }

  /** @internal used by Network for renames and re-inference, which journal the old value. */
  setNameUnchecked(name: string): void {
    this.#name = name;
  }

  /** @internal */
  setTypeUnchecked(type: TensorType): void {
    this.#type = type;
  }

  /** The layer producing this tensor, or undefined for a network input. */
  getParent(): Layer | undefined {
    return this.producer;
  }

  /** The live layers that read this tensor, each once, in the order they started using it. */
  getUsers(): Layer[] {
    const out: Layer[] = [];
    for (const layer of this.uses.keys()) if (!layer.isRemoved()) out.push(layer);
    return out;
  }

  /** True when a removed layer produced it: such a tensor may not be used again. */
  isDead(): boolean {
    return this.producer?.isRemoved() === true;
  }

  isNetworkInput(): boolean {
    return this.network.isInput(this);
  }

  isNetworkOutput(): boolean {
    return this.network.isOutput(this);
  }

  /**
   * Makes every live consumer of this tensor read `replacement` instead, in every slot, and keeps
   * their FLayerInfo in step. If this tensor is a network output, `replacement` takes its slot and
   * its name (this one becomes `<name>_deprecated`), so the network's interface is unchanged.
   * Throws, changing nothing, when the dtype differs, the shape differs (unless
   * `allowShapeChange`, which re-infers the consumers' types and fails on one that no longer type
   * checks), the tensor belongs to another network, or the edge would create a cycle.
   */
  replaceAllUsesWith(replacement: Tensor, options: ReplaceOptions = {}): void {
    this.network.replaceAllUses(this, replacement, options);
  }

  toString(): string {
    return `${this.#name}: ${this.dtype}[${this.shape.join(', ')}]`;
  }
}
