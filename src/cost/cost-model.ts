/**
 * A cost model prices one e-node from what the tensor language knows about it: its op name, its
 * attributes, and the types of its inputs and outputs (the e-class analysis data of its children and
 * of its own class). Costs combine over the extracted DAG by summation, each node paid once: a
 * tensor computed once and used twice costs one kernel. Extractors only ever see the per-node number.
 */
import type { Attrs, TensorType } from '../ops/types.js';

export interface CostModel {
  /** A short name for reports ("roofline(h100-sxm)", "nodeCount"). */
  readonly name: string;
  /** The cost of one node; finite and non-negative. Units are the model's own (µs for roofline). */
  nodeCost(op: string, attrs: Attrs, inputs: readonly (TensorType | undefined)[], outputs: readonly TensorType[]): number;
}
