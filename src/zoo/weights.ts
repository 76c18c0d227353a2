/**
 * Named parameters for the zoo networks: seeded data for small networks (so they verify), or
 * shape-only constants for 7B-sized ones (so building them costs no weight memory).
 */
import { randomArray, seedFor } from '../interp/random.js';
import type { Network } from '../network/network.js';
import type { Tensor } from '../network/tensor.js';
import type { DType } from '../ops/types.js';

export interface WeightOptions {
  withData?: boolean | undefined;
  seed?: number | undefined;
  dtype?: DType | undefined;
}

/** A function adding the parameter `name` of `shape`, drawn from ±`scale` when it has data. */
export type WeightFactory = (name: string, shape: number[], scale: number) => Tensor;

export function weightFactory(network: Network, options: WeightOptions): WeightFactory {
  const dtype = options.dtype ?? 'float32';
  return (name, shape, scale) =>
    network.addConstant({
      name,
      dtype,
      shape,
      ...(options.withData ? { data: randomArray(dtype, shape, seedFor(options.seed ?? 0, name), { floatScale: scale }) } : {}),
    });
}
