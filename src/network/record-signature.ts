/**
 * recordSignature: wraps a functional builder so every call records an FLayerInfo (its arguments
 * by name, defaults filled in, and what it returned) for the last layer the call created.
 */
import { NetworkError } from '../errors.js';
import { FLayerInfo, FLayerInfoMemo } from './flayer-info.js';
import type { Network } from './network.js';
import { Tensor } from './tensor.js';

let recording: string | undefined;

/** The network of the first tensor found among the arguments (nested arrays and objects included). */
function findNetwork(v: unknown): Network | undefined {
  if (v instanceof Tensor) return v.network;
  if (Array.isArray(v) || (v !== null && typeof v === 'object')) {
    for (const x of Object.values(v as object)) {
      const n = findNetwork(x);
      if (n) return n;
    }
  }
  return undefined;
}

/**
 * Wraps `fn` (a builder taking one object of named arguments) so each call records an FLayerInfo
 * with kind `kind`. `defaults` fill absent arguments in the record. Recorded calls do not nest.
 */
export function recordSignature<A extends object, R>(kind: string, fn: (args: A) => R, defaults: Partial<A> = {}): (args: A) => R {
  const recorded = (args: A): R => {
    if (recording !== undefined) {
      throw new NetworkError(`recorded functional ${kind} was called inside recorded functional ${recording}`, {
        hint: 'recorded calls do not nest: record the outer call only, or call the inner builder unrecorded',
      });
    }
    const network = findNetwork(args);
    if (!network) throw new NetworkError(`${kind} was called without any tensor argument`, { hint: 'pass the input tensors by name' });
    const rawInputs: Record<string, unknown> = { ...defaults, ...args };
    for (const [k, v] of Object.entries(args)) if (v === undefined && k in defaults) rawInputs[k] = (defaults as Record<string, unknown>)[k];
    return network.transaction(() => {
      const before = network.allLayers.length;
      recording = kind;
      let result: R;
      try {
        result = fn(args);
      } finally {
        recording = undefined;
      }
      const created = network.allLayers.length - before;
      if (created === 0) throw new NetworkError(`recorded functional ${kind} created no layer`, { where: kind });
      FLayerInfoMemo.instance().add(new FLayerInfo(kind, rawInputs, result, network.allLayers[network.allLayers.length - 1]!));
      return result;
    });
  };
  Object.defineProperty(recorded, 'name', { value: kind });
  return recorded;
}
