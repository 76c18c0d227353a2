/**
 * Keeps expanding rules local. A rule whose right side is no smaller than its left (commutativity,
 * associativity, distributivity) rearranges rather than fuses. Looking through a tensor the network
 * uses in several places (a transformer's residual stream, which every block reads and adds to), its
 * rearrangements cannot replace that tensor, only add beside it, and they chain from block to block:
 * a network of 64 blocks would be explored far more per block than a network of one. So a match of
 * such a rule is admitted only when none of the inner nodes it looks into (below its root) is a
 * tensor with more than one user in the network the run started from. Rearrangements inside a
 * block stay, each block is explored alike at any depth of network, and fusing rules, which shrink
 * the network, look anywhere.
 */
import type { EGraph } from './egraph.js';

export class Locality {
  /** 1 for the class ids that had several parent nodes when the run started. */
  private readonly shared: Uint8Array;

  constructor(private readonly egraph: EGraph<unknown>) {
    const count = egraph.store.count;
    this.shared = new Uint8Array(count);
    const parents = egraph.parents.count;
    for (let id = 0; id < count; id++) if (parents[id]! > 1 && egraph.find(id) === id) this.shared[id] = 1;
  }

  /** Whether the match's inner classes `data[offset + from .. offset + to)` are all unshared. */
  admits(data: Int32Array, offset: number, from: number, to: number): boolean {
    const egraph = this.egraph;
    for (let k = offset + from; k < offset + to; k++) if (this.shared[egraph.find(data[k]!)] === 1) return false;
    return true;
  }
}
