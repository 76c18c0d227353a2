import type { EGraph } from './egraph.js';
import { grown } from './growable.js';
import { hashNode } from './hashcons.js';

/**
 * The matches (root and variable classes) of one rule already applied in earlier iterations.
 * Re-applying such a match after its classes were canonicalised builds nothing new (its right side
 * is already in its root's class), so the runner skips it. Tuples live flat in one Int32Array with
 * an open-addressing index; `canonicalize` re-keys them after unions merged classes.
 */
export class AppliedSet {
  private entries = new Int32Array(64);
  private count = 0;
  private slots = new Int32Array(64).fill(-1);

  constructor(private readonly width: number) {}

  /** Records the match at `data[offset .. offset + width)`; false when it was already there. */
  addIfNew(data: Int32Array, offset: number): boolean {
    const w = this.width;
    const hash = hashNode(0, 0, data, offset, w);
    const mask = this.slots.length - 1;
    const entries = this.entries;
    let i = hash & mask;
    for (let e = this.slots[i]!; e !== -1; i = (i + 1) & mask, e = this.slots[i]!) {
      let same = true;
      for (let k = 0; k < w; k++) {
        if (entries[e * w + k] !== data[offset + k]) {
          same = false;
          break;
        }
      }
      if (same) return false;
    }
    const at = this.count++;
    if (this.count * w > this.entries.length) this.entries = grown(this.entries, this.count * w);
    this.entries.set(data.subarray(offset, offset + w), at * w);
    this.slots[i] = at;
    if (this.count * 2 > this.slots.length) this.reindex(this.slots.length * 2);
    return true;
  }

  /** Rewrites every tuple to canonical class ids and drops the tuples that became equal. */
  canonicalize<D>(egraph: EGraph<D>): void {
    const w = this.width;
    const total = this.count * w;
    const entries = this.entries;
    for (let i = 0; i < total; i++) entries[i] = egraph.find(entries[i]!);
    const old = entries.slice(0, total);
    this.count = 0;
    this.slots.fill(-1);
    for (let offset = 0; offset < total; offset += w) this.addIfNew(old, offset);
  }

  private reindex(capacity: number): void {
    const w = this.width;
    this.slots = new Int32Array(capacity).fill(-1);
    const mask = capacity - 1;
    for (let e = 0; e < this.count; e++) {
      let i = hashNode(0, 0, this.entries, e * w, w) & mask;
      while (this.slots[i] !== -1) i = (i + 1) & mask;
      this.slots[i] = e;
    }
  }
}
