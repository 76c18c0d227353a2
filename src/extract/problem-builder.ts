/** Incremental construction of an ExtractionProblem, for adapters and tests that think in nodes. */
import { createProblem, type ExtractionProblem } from './problem.js';

export class ProblemBuilder {
  private classCount = 0;
  private readonly nodeClass: number[] = [];
  private readonly nodeCost: number[] = [];
  private readonly childStart: number[] = [0];
  private readonly childClass: number[] = [];
  private readonly roots: number[] = [];
  private readonly nodeNames: string[] = [];
  private readonly classNames: string[] = [];

  /** A new class id; it needs at least one node before `build()`. */
  addClass(name?: string): number {
    if (name !== undefined) this.classNames[this.classCount] = name;
    return this.classCount++;
  }

  /** Adds a node to `classId` with the given own cost and child classes; returns its node id. */
  addNode(classId: number, cost: number, children: readonly number[] = [], name?: string): number {
    const n = this.nodeClass.length;
    this.nodeClass.push(classId);
    this.nodeCost.push(cost);
    this.childClass.push(...children);
    this.childStart.push(this.childClass.length);
    if (name !== undefined) this.nodeNames[n] = name;
    return n;
  }

  addRoot(classId: number): void {
    this.roots.push(classId);
  }

  build(): ExtractionProblem {
    const complete = (names: string[], count: number) => (names.length === 0 ? undefined : Array.from({ length: count }, (_, i) => names[i] ?? String(i)));
    const nodeNames = complete(this.nodeNames, this.nodeClass.length);
    const classNames = complete(this.classNames, this.classCount);
    return createProblem({
      classCount: this.classCount,
      nodeClass: this.nodeClass,
      nodeCost: this.nodeCost,
      childStart: this.childStart,
      childClass: this.childClass,
      roots: this.roots,
      ...(nodeNames ? { nodeNames } : {}),
      ...(classNames ? { classNames } : {}),
    });
  }
}
