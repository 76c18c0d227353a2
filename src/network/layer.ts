/**
 * A layer of a Network: one application of a registry op to input tensors, producing output
 * tensors. Layers are never deleted; a displaced layer is marked removed and stays in `allLayers`.
 */
import { NetworkError } from '../errors.js';
import type { Attrs, NDArray, OpDef } from '../ops/types.js';
import type { Network } from './network.js';
import type { Tensor } from './tensor.js';

export class Layer {
  /** Dense id within its network, in creation order. */
  readonly id: number;
  readonly network: Network;
  readonly name: string;
  /** The registry entry of its op: the kind-specific view of the layer. */
  readonly opDef: OpDef;
  /** Attributes with defaults filled in (frozen). */
  readonly attributes: Attrs;
  /** @internal input slots; undefined marks an absent optional input. Edit through setInput. */
  readonly inputSlots: (Tensor | undefined)[];
  readonly outputs: readonly Tensor[];
  /** Constant layers only: the data, when the network holds it (weights may be shape-only). */
  readonly constantData: NDArray | undefined;

  /** @internal layers are created by Network.addLayer and Network.addConstant. */
  constructor(network: Network, id: number, name: string, opDef: OpDef, attributes: Attrs, inputs: (Tensor | undefined)[], outputs: Tensor[], constantData: NDArray | undefined) {
    this.network = network;
    this.id = id;
    this.name = name;
    this.opDef = opDef;
    this.attributes = attributes;
    this.inputSlots = inputs;
    this.outputs = outputs;
    this.constantData = constantData;
  }

  /** The op name, e.g. `"MatMul"`. */
  get op(): string {
    return this.opDef.name;
  }

  /** Input tensors by position (undefined where an optional input is absent). */
  get inputs(): readonly (Tensor | undefined)[] {
    return this.inputSlots;
  }

  getInput(i: number): Tensor | undefined {
    return this.inputSlots[i];
  }

  getOutput(i = 0): Tensor {
    const t = this.outputs[i];
    if (!t) throw new NetworkError(`layer ${this.name} has ${this.outputs.length} outputs; there is no output ${i}`, { where: this.name });
    return t;
  }

  /** Sets input `i` to `tensor`; the layer's output types must stay what they are. */
  setInput(i: number, tensor: Tensor | undefined): void {
    this.network.setLayerInput(this, i, tensor);
  }

  isRemoved(): boolean {
    return this.network.isRemoved(this);
  }

  /** Marks this layer removed; its outputs must have no live users and not be network outputs. */
  markRemoved(): void {
    this.network.markRemoved(this);
  }

  toString(): string {
    const ins = this.inputSlots.map((t) => t?.name ?? '∅').join(', ');
    return `${this.name} = ${this.op}(${ins}) -> ${this.outputs.map((t) => t.name).join(', ')}`;
  }
}
