import { grown, trimmed } from './growable.js';
import type { NodeStore } from './node-store.js';

const NONE = -1;

/**
 * For each e-class, the nodes that use it as a child: the nodes to repair when the class is absorbed
 * by a union. Circular singly linked lists in typed arrays, each class holding only its last cell
 * (whose successor is the first), so a union splices the absorbed class's list onto the survivor's
 * in O(1) with one array per class. Cells of nodes that died as duplicates, and repeats left by
 * splicing, stay until `rebuildFrom` lays the lists out afresh from the live nodes.
 */
export class ParentLists {
  cellNode = new Int32Array(2048);
  cellNext = new Int32Array(2048);
  private cells = 0;
  /** Each class's last cell, or NONE for no parents. */
  last = new Int32Array(1024).fill(NONE);
  /** Number of cells in each class's list: the union keeps the class with more parents as root. */
  count = new Int32Array(1024);

  /** Number of cells in use. */
  get size(): number {
    return this.cells;
  }

  /** Makes room for class ids below `classes`. */
  reserve(classes: number): void {
    if (classes <= this.last.length) return;
    this.last = grown(this.last, classes, NONE);
    this.count = grown(this.count, classes);
  }

  /** Records `node` as a parent of each distinct class among `children[from .. from + arity)`. */
  addNode(node: number, children: Int32Array, from: number, arity: number): void {
    for (let i = from, end = from + arity; i < end; i++) {
      const child = children[i]!;
      let seen = false;
      for (let j = from; j < i; j++) if (children[j] === child) seen = true;
      if (!seen) this.add(child, node);
    }
  }

  private add(child: number, node: number): void {
    const cell = this.cells++;
    if (cell >= this.cellNode.length) {
      this.cellNode = grown(this.cellNode, cell + 1);
      this.cellNext = grown(this.cellNext, cell + 1);
    }
    this.cellNode[cell] = node;
    const end = this.last[child]!;
    if (end === NONE) this.cellNext[cell] = cell;
    else {
      this.cellNext[cell] = this.cellNext[end]!;
      this.cellNext[end] = cell;
    }
    this.last[child] = cell;
    this.count[child]!++;
  }

  /** Writes the parents of class `c` into `target` from `at`; returns the position after them. */
  copyInto(c: number, target: Int32Array, at: number): number {
    const end = this.last[c]!;
    if (end === NONE) return at;
    const { cellNode, cellNext } = this;
    for (let cell = cellNext[end]!; ; cell = cellNext[cell]!) {
      target[at++] = cellNode[cell]!;
      if (cell === end) return at;
    }
  }

  /** Calls `visit` with each parent node of class `c`. */
  forEach(c: number, visit: (node: number) => void): void {
    const end = this.last[c]!;
    if (end === NONE) return;
    const { cellNode, cellNext } = this;
    for (let cell = cellNext[end]!; ; cell = cellNext[cell]!) {
      visit(cellNode[cell]!);
      if (cell === end) return;
    }
  }

  /** Appends the parents of `absorbed` to those of `root`. */
  splice(root: number, absorbed: number): void {
    const tail = this.last[absorbed]!;
    if (tail === NONE) return;
    const rootTail = this.last[root]!;
    if (rootTail !== NONE) {
      const rootFirst = this.cellNext[rootTail]!;
      this.cellNext[rootTail] = this.cellNext[tail]!;
      this.cellNext[tail] = rootFirst;
    }
    this.last[root] = tail;
    this.count[root]! += this.count[absorbed]!;
    this.last[absorbed] = NONE;
    this.count[absorbed] = 0;
  }

  /**
   * Replaces every list with one cell per (child class, live node) pair, read from a store whose
   * live nodes have canonical children (a clean e-graph).
   */
  rebuildFrom(store: NodeStore, live: Uint8Array): void {
    const ids = store.count;
    const { childStart, children } = store;
    this.cells = 0;
    this.last.fill(NONE);
    this.count.fill(0);
    for (let node = 0; node < ids; node++) {
      if (live[node] === 1) this.addNode(node, children, childStart[node]!, childStart[node + 1]! - childStart[node]!);
    }
  }

  /** Cuts the arrays to class ids below `classes` and the cells in use. */
  trim(classes: number): void {
    this.last = trimmed(this.last, classes);
    this.count = trimmed(this.count, classes);
    this.cellNode = trimmed(this.cellNode, this.cells);
    this.cellNext = trimmed(this.cellNext, this.cells);
  }

  get bytes(): number {
    return this.cellNode.byteLength + this.cellNext.byteLength + this.last.byteLength + this.count.byteLength;
  }
}
