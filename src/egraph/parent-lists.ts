import { grown } from './growable.js';

const NONE = -1;

/**
 * For each e-class, the nodes that use it as a child: the nodes to repair when the class is absorbed
 * by a union. Singly linked lists in typed arrays (one cell per child slot of each node added), so a
 * union splices the absorbed class's list onto the survivor's in O(1).
 */
export class ParentLists {
  cellNode = new Int32Array(2048);
  cellNext = new Int32Array(2048);
  private cells = 0;
  head = new Int32Array(1024).fill(NONE);
  private tail = new Int32Array(1024).fill(NONE);
  /** Number of cells in each class's list: the union keeps the class with more parents as root. */
  count = new Int32Array(1024);

  /** Makes room for class ids below `classes`. */
  reserve(classes: number): void {
    if (classes <= this.head.length) return;
    this.head = grown(this.head, classes, NONE);
    this.tail = grown(this.tail, classes, NONE);
    this.count = grown(this.count, classes);
  }

  /** Records `node` as a parent of class `child`. */
  add(child: number, node: number): void {
    const cell = this.cells++;
    if (cell >= this.cellNode.length) {
      this.cellNode = grown(this.cellNode, cell + 1);
      this.cellNext = grown(this.cellNext, cell + 1);
    }
    this.cellNode[cell] = node;
    this.cellNext[cell] = NONE;
    const last = this.tail[child]!;
    if (last === NONE) this.head[child] = cell;
    else this.cellNext[last] = cell;
    this.tail[child] = cell;
    this.count[child]!++;
  }

  /** Appends the parents of `absorbed` to those of `root`. */
  splice(root: number, absorbed: number): void {
    const first = this.head[absorbed]!;
    if (first === NONE) return;
    const last = this.tail[root]!;
    if (last === NONE) this.head[root] = first;
    else this.cellNext[last] = first;
    this.tail[root] = this.tail[absorbed]!;
    this.count[root]! += this.count[absorbed]!;
    this.head[absorbed] = NONE;
    this.tail[absorbed] = NONE;
    this.count[absorbed] = 0;
  }

  get bytes(): number {
    return this.cellNode.byteLength + this.cellNext.byteLength + this.head.byteLength + this.tail.byteLength + this.count.byteLength;
  }
}
