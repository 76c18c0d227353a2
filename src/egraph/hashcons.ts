import type { NodeStore } from './node-store.js';

const EMPTY = -1;

/** Hash of an e-node's integer tuple (op, payload, children): multiply-rotate per word, then a final mix. */
export function hashNode(op: number, payload: number, source: Int32Array, from: number, arity: number): number {
  let h = Math.imul(op ^ 0x5bd1e995, 0x9e3779b1) ^ Math.imul(payload, 0x85ebca6b);
  for (let i = from, end = from + arity; i < end; i++) {
    h = Math.imul(h ^ source[i]!, 0x01000193);
    h = (h << 13) | (h >>> 19);
  }
  h ^= arity;
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  return h;
}

/**
 * The hash-cons: from an e-node's value to the one live node id holding that value. Open addressing
 * with linear probing over two Int32Arrays (node id, cached hash); keys are compared by reading the
 * node store, so no key objects and no strings. Removal shifts the probe run back, leaving no
 * tombstones. A node must be removed before its children are rewritten and re-inserted after.
 */
export class Hashcons {
  private slots = new Int32Array(2048).fill(EMPTY);
  private hashes = new Int32Array(2048);
  private mask = 2047;
  /** Number of nodes held. */
  size = 0;

  constructor(private readonly store: NodeStore) {}

  /** The live node equal to (op, payload, source[from .. from+arity)), or -1. */
  lookup(op: number, payload: number, source: Int32Array, from: number, arity: number, hash: number): number {
    const { slots, hashes, mask } = this;
    const { ops, payloads, childStart, children } = this.store;
    for (let i = hash & mask; ; i = (i + 1) & mask) {
      const node = slots[i]!;
      if (node === EMPTY) return -1;
      if (hashes[i] !== hash || ops[node] !== op || payloads[node] !== payload) continue;
      const start = childStart[node]!;
      if (childStart[node + 1]! - start !== arity) continue;
      let same = true;
      for (let k = 0; k < arity; k++) {
        if (children[start + k] !== source[from + k]) {
          same = false;
          break;
        }
      }
      if (same) return node;
    }
  }

  /** Adds `node` (whose value is not yet held) under `hash`. */
  insert(node: number, hash: number): void {
    if ((this.size + 1) * 2 > this.slots.length) this.resize(this.slots.length * 2);
    const { slots, mask } = this;
    let i = hash & mask;
    while (slots[i] !== EMPTY) i = (i + 1) & mask;
    slots[i] = node;
    this.hashes[i] = hash;
    this.size++;
  }

  /** Removes `node`, held under `hash`; returns whether it was there. */
  remove(node: number, hash: number): boolean {
    const { slots, hashes, mask } = this;
    let i = hash & mask;
    for (; ; i = (i + 1) & mask) {
      const held = slots[i]!;
      if (held === EMPTY) return false;
      if (held === node) break;
    }
    // Backward shift: pull later entries of the probe run into the hole when their home allows it.
    let hole = i;
    for (let j = (hole + 1) & mask; slots[j] !== EMPTY; j = (j + 1) & mask) {
      const home = hashes[j]! & mask;
      const between = hole <= j ? home > hole && home <= j : home > hole || home <= j;
      if (!between) {
        slots[hole] = slots[j]!;
        hashes[hole] = hashes[j]!;
        hole = j;
      }
    }
    slots[hole] = EMPTY;
    this.size--;
    return true;
  }

  /** Shrinks the table to the smallest power of two that keeps it at most half full. */
  fit(): void {
    let capacity = 16;
    while (capacity < this.size * 2) capacity *= 2;
    if (capacity < this.slots.length) this.resize(capacity);
  }

  /** Bytes held by the table. */
  get bytes(): number {
    return this.slots.byteLength + this.hashes.byteLength;
  }

  private resize(capacity: number): void {
    const oldSlots = this.slots;
    const oldHashes = this.hashes;
    this.slots = new Int32Array(capacity).fill(EMPTY);
    this.hashes = new Int32Array(capacity);
    this.mask = capacity - 1;
    for (let i = 0; i < oldSlots.length; i++) {
      const node = oldSlots[i]!;
      if (node === EMPTY) continue;
      const hash = oldHashes[i]!;
      let j = hash & this.mask;
      while (this.slots[j] !== EMPTY) j = (j + 1) & this.mask;
      this.slots[j] = node;
      this.hashes[j] = hash;
    }
  }
}
