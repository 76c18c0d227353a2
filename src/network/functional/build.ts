/**
 * What every functional builder does: find the network of its tensor inputs (tensors of two
 * networks are an error), turn plain numbers into scalar constants of the tensors' dtype, and add
 * one layer.
 */
import { NetworkError } from '../../errors.js';
import type { Attrs, DType } from '../../ops/types.js';
import type { Layer } from '../layer.js';
import type { Network } from '../network.js';
import type { Tensor } from '../tensor.js';

/** A tensor, or a number that becomes a scalar constant of the other operands' dtype. */
export type Operand = Tensor | number;

/** Options every builder accepts. */
export interface NameOption {
  /** The layer's name; generated (`matmul_3`) when absent. */
  name?: string;
}

function networkOf(op: string, inputs: readonly (Operand | undefined)[]): Network {
  let network: Network | undefined;
  for (const t of inputs) {
    if (t === undefined || typeof t === 'number') continue;
    if (network && t.network !== network) {
      throw new NetworkError(`${op}: inputs come from two networks ("${network.name}" and "${t.network.name}")`, {
        where: `${op} input ${t.name}`,
        hint: 'all inputs of a layer must belong to the same network',
      });
    }
    network ??= t.network;
  }
  if (!network) throw new NetworkError(`${op} needs at least one tensor input`, { hint: 'numbers alone do not say which network to build in' });
  return network;
}

/** The dtype numbers take: the first non-bool tensor operand's (Where's bool condition says nothing about X and Y). */
function scalarDtype(inputs: readonly (Operand | undefined)[]): DType {
  let first: DType | undefined;
  for (const t of inputs) {
    if (t === undefined || typeof t === 'number') continue;
    if (t.dtype !== 'bool') return t.dtype;
    first ??= t.dtype;
  }
  return first ?? 'float32';
}

/** Adds one `op` layer on `inputs` (numbers become scalar constants) and returns it. */
export function buildLayer(op: string, inputs: readonly (Operand | undefined)[], attrs: Attrs = {}, options: NameOption = {}): Layer {
  const network = networkOf(op, inputs);
  const dtype = scalarDtype(inputs);
  return network.transaction(() => {
    const tensors = inputs.map((x) => (typeof x === 'number' ? network.addConstant({ dtype, shape: [], data: [x] }) : x));
    return network.addLayer(op, tensors, attrs, options.name === undefined ? {} : { name: options.name });
  });
}

/** Adds one single-output `op` layer and returns its output. */
export function build(op: string, inputs: readonly (Operand | undefined)[], attrs: Attrs = {}, options: NameOption = {}): Tensor {
  return buildLayer(op, inputs, attrs, options).outputs[0]!;
}

/** Drops `name` (and undefined values) from an options object, leaving the attributes. */
export function attrsOf(options: object): Attrs {
  const out: Record<string, Attrs[string]> = {};
  for (const [k, v] of Object.entries(options)) if (k !== 'name' && v !== undefined) out[k] = v as Attrs[string];
  return out;
}
