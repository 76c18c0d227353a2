import { grown, trimmed } from './growable.js';

/**
 * Disjoint sets over dense integer ids, in one Int32Array of parents. `find` halves paths as it
 * walks; `union` only re-points one root, so the caller decides which root survives (the e-graph
 * keeps the class with more parents, so fewer parent nodes need repair).
 */
export class UnionFind {
  private parents = new Int32Array(1024);
  private count = 0;

  /** Number of ids ever created. */
  get size(): number {
    return this.count;
  }

  /** Bytes held by the parent array. */
  get bytes(): number {
    return this.parents.byteLength;
  }

  /** Cuts the parent array to the ids created. */
  trim(): void {
    this.parents = trimmed(this.parents, this.count);
  }

  /** A new singleton set; ids are handed out 0, 1, 2, ... */
  makeSet(): number {
    const id = this.count++;
    if (id >= this.parents.length) this.parents = grown(this.parents, id + 1);
    this.parents[id] = id;
    return id;
  }

  /** The root of `id`'s set, halving the path on the way. */
  find(id: number): number {
    const parents = this.parents;
    let current = id;
    let parent = parents[current]!;
    while (parent !== current) {
      const grand = parents[parent]!;
      parents[current] = grand;
      current = grand;
      parent = parents[current]!;
    }
    return current;
  }

  /** Whether `id` is the root of its set. */
  isRoot(id: number): boolean {
    return this.parents[id] === id;
  }

  /** Makes `absorbed` (a root) point at `root` (a root). */
  link(root: number, absorbed: number): void {
    this.parents[absorbed] = root;
  }
}
