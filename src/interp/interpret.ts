/**
 * The reference interpreter: runs a network's live layers in topological order with the
 * registry's kernels on typed arrays. Symbolic dims are bound from the inputs given. Intermediate
 * arrays are dropped after their last use, so peak memory follows the live set, not the network.
 */
import { InterpretError, NetsatError } from '../errors.js';
import { inferTypes } from '../ops/registry.js';
import { formatShape, isComputed, numel, sameShape } from '../ops/shape.js';
import type { NDArray, Shape, TensorType } from '../ops/types.js';
import type { Layer } from '../network/layer.js';
import type { Network } from '../network/network.js';
import type { Tensor } from '../network/tensor.js';
import type { RandomOptions } from './random.js';
import { randomArray, seedFor } from './random.js';

export interface InterpretOptions {
  /** Constants without data get seeded random data (the same for the same name and seed). */
  randomConstants?: boolean;
  seed?: number;
  random?: RandomOptions;
}

/** Binds the symbolic dims of a declared shape to an actual one; throws on a conflict. */
export function bindDims(declared: Shape, actual: readonly number[], bindings: Map<string, number>, where: string): void {
  if (declared.length !== actual.length) {
    throw new InterpretError(`input ${where} has rank ${actual.length} but the network declares ${formatShape(declared)}`, { where });
  }
  declared.forEach((d, i) => {
    const a = actual[i]!;
    if (typeof d === 'number') {
      if (d !== a) throw new InterpretError(`input ${where} has shape ${formatShape(actual)} but the network declares ${formatShape(declared)}`, { where });
    } else if (/^[A-Za-z_]\w*$/.test(d)) {
      const b = bindings.get(d);
      if (b !== undefined && b !== a) throw new InterpretError(`dimension "${d}" is ${b} in one input and ${a} in ${where}`, { where });
      bindings.set(d, a);
    }
  });
}

/** Strings are carried, not computed: their values are zeros (the elements live in NDArray.exact), so a kernel would compute nonsense. */
function refuseUncomputed(layer: Layer, types: readonly (TensorType | undefined)[]): void {
  const t = types.find((t) => t && !isComputed(t.dtype));
  if (!t) return;
  throw new InterpretError(`${layer.op} on ${t.dtype} tensors: the reference interpreter does not compute on ${t.dtype}`, {
    where: layer.name,
    hint: 'onnxruntime verifies such networks (optimize() chooses it by itself; verifyWithOrt for ONNX files)',
  });
}

/**
 * Runs `network` on `inputs` (by input name) and returns its outputs by name, in output order.
 * Missing inputs, shape mismatches and constants without data (unless `randomConstants`) are
 * InterpretErrors naming the tensor.
 */
export function interpret(network: Network, inputs: Readonly<Record<string, NDArray>>, options: InterpretOptions = {}): Record<string, NDArray> {
  const seed = options.seed ?? 0;
  const values = new Map<Tensor, NDArray>();
  const bindings = new Map<string, number>();
  for (const t of network.inputs) {
    const v = inputs[t.name];
    if (!v) throw new InterpretError(`no value given for network input ${t.name}`, { where: t.name, hint: `pass inputs.${t.name} as ${t.dtype}${formatShape(t.shape)}` });
    if (v.dtype !== t.dtype) throw new InterpretError(`input ${t.name} is ${v.dtype} but the network declares ${t.dtype}`, { where: t.name });
    bindDims(t.shape, v.shape, bindings, t.name);
    // Kernels trust data.length; a short array would read as NaN, a long one be silently cut.
    if (v.data.length !== numel(v.shape)) {
      throw new InterpretError(`input ${t.name} holds ${v.data.length} values but its shape ${formatShape(v.shape)} has ${numel(v.shape)} elements`, { where: t.name });
    }
    values.set(t, v);
  }
  const remaining = new Map<Tensor, number>();
  const layers = network.layers;
  for (const l of layers) for (const t of l.inputSlots) if (t) remaining.set(t, (remaining.get(t) ?? 0) + 1);
  const keep = new Set(network.outputs);
  for (const layer of layers) {
    if (layer.op === 'Constant') {
      const out = layer.outputs[0]!;
      if (layer.constantData) values.set(out, layer.constantData);
      else if (options.randomConstants) values.set(out, randomArray(out.dtype, out.shape as number[], seedFor(seed, out.name), options.random));
      else throw new InterpretError(`constant ${out.name} has no data`, { where: layer.name, hint: 'give it data, or interpret with {randomConstants: true}' });
      continue;
    }
    const args = layer.inputSlots.map((t) => (t ? values.get(t) : undefined));
    const types = args.map((a) => (a ? { dtype: a.dtype, shape: a.shape } : undefined));
    let results: NDArray[];
    try {
      const outputTypes = inferTypes(layer.opDef, types, layer.attributes, layer.name);
      if (!layer.opDef.kernel) throw new InterpretError(`op ${layer.op} has no reference kernel`, { where: layer.name });
      refuseUncomputed(layer, [...types, ...outputTypes]);
      results = layer.opDef.kernel(args, { attrs: layer.attributes, outputTypes });
      results.forEach((r, k) => {
        const ty = outputTypes[k]!;
        if (!sameShape(r.shape, ty.shape) || r.dtype !== ty.dtype) {
          throw new InterpretError(`kernel of ${layer.op} produced ${r.dtype}${formatShape(r.shape)} where ${ty.dtype}${formatShape(ty.shape)} was inferred`, {
            where: layer.name,
          });
        }
      });
    } catch (e) {
      if (e instanceof NetsatError) throw e;
      throw new InterpretError(`${layer.op} failed: ${e instanceof Error ? e.message : String(e)}`, { where: layer.name });
    }
    layer.outputs.forEach((t, k) => values.set(t, results[k]!));
    for (const t of layer.inputSlots) {
      if (!t) continue;
      const n = remaining.get(t)! - 1;
      remaining.set(t, n);
      if (n === 0 && !keep.has(t)) values.delete(t);
    }
  }
  const out: Record<string, NDArray> = {};
  for (const t of network.outputs) out[t.name] = values.get(t)!;
  return out;
}
