/** Shared cost arithmetic: bytes moved by a set of tensors, and the usual per-element FLOP counts. */
import { dtypeBytes, numelEstimate } from './shape.js';
import type { CostFacts, TensorType } from './types.js';

/** Bytes of a tensor; symbolic dims count as 1 (a cost model binds them before comparing). */
function tensorBytes(t: TensorType | undefined): number {
  return t ? numelEstimate(t.shape) * dtypeBytes(t.dtype) : 0;
}

export function elements(t: TensorType | undefined): number {
  return t ? numelEstimate(t.shape) : 0;
}

/** Cost facts with bytes read = every present input once, bytes written = every output. */
export function costFacts(flops: number, inputs: readonly (TensorType | undefined)[], outputs: readonly TensorType[]): CostFacts {
  let bytesRead = 0;
  for (const t of inputs) bytesRead += tensorBytes(t);
  let bytesWritten = 0;
  for (const t of outputs) bytesWritten += tensorBytes(t);
  return { flops, bytesRead, bytesWritten };
}

/** `flopsPerElement` per output element: the cost of elementwise ops. */
export function elementwiseCost(flopsPerElement: number) {
  return (inputs: readonly (TensorType | undefined)[], outputs: readonly TensorType[]): CostFacts =>
    costFacts(flopsPerElement * outputs.reduce((n, t) => n + elements(t), 0), inputs, outputs);
}

/** Pure data movement (reshape, transpose, concat...): no FLOPs, bytes as usual. */
export function movementCost(inputs: readonly (TensorType | undefined)[], outputs: readonly TensorType[]): CostFacts {
  return costFacts(0, inputs, outputs);
}
