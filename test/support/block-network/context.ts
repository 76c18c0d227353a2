/**
 * What the blocks of one random network share: the network, its batch and sequence dims, seeded
 * constants, and the pools of tensors later blocks read (sequences [B, S, X] and images
 * [B, C, H, W]). Network inputs are made on first need.
 */
import { randomArray, seedFor } from '../../../src/interp/random.js';
import { Network } from '../../../src/network/network.js';
import type { Tensor } from '../../../src/network/tensor.js';
import type { Dim } from '../../../src/ops/types.js';
import type { Picks } from './picks.js';

/** The symbols of the two dims that vary at run time, as a verifier binds them. */
export const BATCH = 'batch';
export const SEQ = 'seq';

export class BlockContext {
  readonly network = new Network('random-blocks');
  /** Sequence tensors [B, S, X] with a static X. */
  readonly sequences: Tensor[] = [];
  /** Image tensors [B, C, H, W] with static C, H, W. */
  readonly images: Tensor[] = [];
  /** Every block's results: the candidates for the network's outputs. */
  readonly results: Tensor[] = [];
  readonly #shared = new Map<string, unknown>();
  #constants = 0;

  constructor(
    readonly batch: Dim,
    readonly seq: Dim,
    private readonly seed: number,
  ) {}

  /** The static batch or sequence length, if it is one. */
  get staticBatch(): number | undefined {
    return typeof this.batch === 'number' ? this.batch : undefined;
  }

  get staticSeq(): number | undefined {
    return typeof this.seq === 'number' ? this.seq : undefined;
  }

  /** A seeded constant, uniform in [offset - scale, offset + scale). */
  random(shape: readonly number[], scale = 1, offset = 0): Tensor {
    const { data } = randomArray('float32', shape, seedFor(this.seed, `c${this.#constants++}`), { floatScale: scale });
    return this.network.addConstant({ dtype: 'float32', shape, data: data.map((v) => v + offset) });
  }

  /** A weight [K, ...] scaled by 1/√K, so products stay near unit size. */
  weight(shape: readonly number[]): Tensor {
    return this.random(shape, 1 / Math.sqrt(shape[0]!));
  }

  /** A constant of `shape` whose elements are all `value`. */
  filled(shape: readonly number[], value: number): Tensor {
    const n = shape.reduce((a, b) => a * b, 1);
    return this.network.addConstant({ dtype: 'float32', shape, data: new Array<number>(n).fill(value) });
  }

  /** A one-element constant of rank 0..4 (`ones[1, 1, 1]` for rank 3): what a literal may or may not match. */
  oneElement(value: number, rank: number): Tensor {
    return this.filled(new Array<number>(rank).fill(1), value);
  }

  /**
   * A literal of a decomposed op as an exporter may write it: mostly a rank-0 constant, sometimes a
   * one-element constant of rank 1..4 (which broadcasts the result up to its rank), and now and then
   * a near miss of the value a rule looks for.
   */
  literal(p: Picks, value: number): Tensor {
    const rank = p.of([0, 0, 0, 0, 1, 2, 3, 4]);
    return this.oneElement(p.oneIn(8) ? value * 1.5 + 0.25 : value, rank);
  }

  /** Something made once per network under `key` (a mask or the rotary tables every block reuses). */
  shared<T>(key: string, make: () => T): T {
    if (!this.#shared.has(key)) this.#shared.set(key, make());
    return this.#shared.get(key) as T;
  }

  /** A sequence from the pool, or a new input [B, S, width] when the pick asks for one or the pool is empty. */
  sequence(p: Picks): Tensor {
    const old = fromPool(this.sequences, p.raw());
    if (old) return old;
    const x = this.network.addInput(`tokens_${this.network.inputs.length}`, 'float32', [this.batch, this.seq, p.of([8, 4, 6, 12])]);
    this.sequences.push(x);
    return x;
  }

  /** An image from the pool, or a new input [B, C, H, W]. */
  image(p: Picks): Tensor {
    const old = fromPool(this.images, p.raw());
    if (old) return old;
    const size = p.of([4, 5, 3, 1]);
    const x = this.network.addInput(`image_${this.network.inputs.length}`, 'float32', [this.batch, p.of([4, 2, 3, 6]), size, p.of([size, 4, 2])]);
    this.images.push(x);
    return x;
  }

  /** A network input made once under `name`. */
  input(name: string, shape: readonly Dim[]): Tensor {
    return this.shared(`input:${name}`, () => this.network.addInput(name, 'float32', shape));
  }
}

/** Mostly the latest of `pool` (blocks chain, as a model's layers do), else any of it; undefined asks for a new input. */
function fromPool(pool: readonly Tensor[], pick: number): Tensor | undefined {
  if (pool.length === 0 || pick % 4 === 3) return undefined;
  return pick % 4 === 2 ? pool[(pick >> 2) % pool.length] : pool[pool.length - 1];
}

/** The static last dim of a tensor the pools hold. */
export function lastDim(t: Tensor): number {
  return t.shape[t.shape.length - 1] as number;
}
