import type { EGraph } from './egraph.js';

/** The result of merging two classes' analysis data. */
export interface Merged<D> {
  readonly data: D;
  /** Whether `data` differs from the first argument's data. */
  readonly changedFirst: boolean;
  /** Whether `data` differs from the second argument's data. */
  readonly changedSecond: boolean;
}

/**
 * An e-class analysis: a datum per class, computed from its nodes and merged on union (egg's
 * Analysis). The tensor language uses one whose data are tensor types; the tutorial uses constant
 * folding. Without an analysis the engine does none of this work.
 */
export interface Analysis<D> {
  /** The datum of a new node `node` (read it with egraph.nodeOp/nodeChild, children's data with egraph.data). */
  make(egraph: EGraph<D>, node: number): D;
  /** The datum of the union of two classes; say which side changed so parents are updated only then. */
  merge(first: D, second: D): Merged<D>;
  /** Optional: adjust class `id` after its data changed (e.g. add a constant node); may add and union. */
  modify?(egraph: EGraph<D>, id: number): void;
}
