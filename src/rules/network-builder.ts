/**
 * Rules on a Network: a RuleBuilder that adds layers (handles are Tensors) and a RuleEnv that answers
 * from the tensors and attribute values bound to a rule's variables. check-rules builds both sides
 * of a rule with these; they are also the reference the e-graph versions must agree with.
 */
import { NetworkError } from '../errors.js';
import { getOp, resolveAttrs } from '../ops/registry.js';
import type { AttrValue, Attrs, NDArray, TensorType } from '../ops/types.js';
import type { Network } from '../network/network.js';
import type { Tensor } from '../network/tensor.js';
import type { RuleBuilder } from './builder.js';
import type { RuleEnv } from './env.js';

export class NetworkRuleBuilder implements RuleBuilder<Tensor> {
  /** One layer per (op, inputs, attributes), so every output of a multi-output layer comes from one layer. */
  private readonly layers = new Map<string, Tensor[]>();

  constructor(readonly network: Network) {}

  op(op: string, inputs: readonly (Tensor | undefined)[], attrs: Attrs, outputIndex = 0): Tensor {
    const resolved = resolveAttrs(getOp(op), attrs, op);
    const key = JSON.stringify([op, inputs.map((t) => t?.id ?? -1), resolved]);
    let outputs = this.layers.get(key);
    if (!outputs) {
      outputs = [...this.network.addLayer(op, inputs, resolved).outputs];
      this.layers.set(key, outputs);
    }
    const out = outputs[outputIndex];
    if (!out) throw new NetworkError(`${op} has ${outputs.length} outputs; there is no output ${outputIndex}`, { where: op });
    return out;
  }

  scalar(value: number, like: Tensor): Tensor {
    return this.network.addConstant({ dtype: like.dtype, shape: [], data: [value] });
  }

  type(handle: Tensor): TensorType {
    return handle.type;
  }
}

/** Constants with more elements than this are not shown to conditions as data. */
const SMALL_CONSTANT = 4096;

export class NetworkRuleEnv implements RuleEnv {
  constructor(
    private readonly tensors: ReadonlyMap<string, Tensor>,
    private readonly attrs: ReadonlyMap<string, AttrValue>,
  ) {}

  private data(variable: string): NDArray | undefined {
    const layer = this.tensors.get(variable)?.producer;
    return layer?.op === 'Constant' ? layer.constantData : undefined;
  }

  type(variable: string): TensorType | undefined {
    return this.tensors.get(variable)?.type;
  }

  isConstant(variable: string): boolean | undefined {
    const t = this.tensors.get(variable);
    return t ? t.producer?.op === 'Constant' : undefined;
  }

  constValue(variable: string): number | undefined {
    const d = this.data(variable);
    return d && d.data.length === 1 ? d.data[0] : undefined;
  }

  constArray(variable: string): NDArray | undefined {
    const d = this.data(variable);
    return d && d.data.length <= SMALL_CONSTANT ? d : undefined;
  }

  attr(variable: string): AttrValue | undefined {
    return this.attrs.get(variable);
  }
}
