import { grown, trimmed } from './growable.js';

/**
 * Every e-node ever added, in flat typed arrays indexed by node id (no object per node). A node is
 * an op id, a payload id (0 when the op has none; the language interns constants and attributes into
 * payload ids) and its child e-class ids, stored contiguously in `children` from `childStart[id]` to
 * `childStart[id + 1]`.
 *
 * Children are rewritten in place to their canonical class when a node is repaired during rebuild,
 * so after `rebuild()` the children of every live node are canonical class ids. Nodes that are not
 * live (duplicates dropped from the hash-cons) are never read again, so `dropDead` frees their children.
 */
export class NodeStore {
  ops = new Int32Array(1024);
  payloads = new Int32Array(1024);
  childStart = new Int32Array(1025);
  children = new Int32Array(2048);
  count = 0;

  /** Appends a node whose children are `source[from .. from + arity)`; returns its id. */
  push(op: number, payload: number, source: Int32Array, from: number, arity: number): number {
    const id = this.count++;
    if (id >= this.ops.length) {
      this.ops = grown(this.ops, id + 1);
      this.payloads = grown(this.payloads, id + 1);
    }
    if (id + 2 > this.childStart.length) this.childStart = grown(this.childStart, id + 2);
    const start = this.childStart[id]!;
    const end = start + arity;
    if (end > this.children.length) this.children = grown(this.children, end);
    this.children.set(source.subarray(from, from + arity), start);
    this.ops[id] = op;
    this.payloads[id] = payload;
    this.childStart[id + 1] = end;
    return id;
  }

  arity(id: number): number {
    return this.childStart[id + 1]! - this.childStart[id]!;
  }

  /** Keeps the children of `live` nodes only; the others get none. */
  dropDead(live: Uint8Array): void {
    const { childStart, children } = this;
    let to = 0;
    for (let id = 0; id < this.count; id++) {
      const from = childStart[id]!;
      const end = childStart[id + 1]!;
      childStart[id] = to;
      if (live[id] !== 1) continue;
      // A plain loop: nodes have few children, and copyWithin's call costs more than the copy.
      for (let i = from; i < end; i++) children[to++] = children[i]!;
    }
    childStart[this.count] = to;
  }

  /** Cuts every array to its used length. */
  trim(): void {
    this.ops = trimmed(this.ops, this.count);
    this.payloads = trimmed(this.payloads, this.count);
    this.childStart = trimmed(this.childStart, this.count + 1);
    this.children = trimmed(this.children, this.childStart[this.count]!);
  }

  /** Bytes held by the typed arrays (capacity, not only the used part). */
  get bytes(): number {
    return this.ops.byteLength + this.payloads.byteLength + this.childStart.byteLength + this.children.byteLength;
  }
}
