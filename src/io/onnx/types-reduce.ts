/**
 * Type rules of the default domain's reductions: Reduce* (axes an attribute before opset 18, or 13
 * for ReduceSum, an input after), ArgMax/ArgMin (int64 indices), TopK (k elements along an axis) and
 * the losses (a scalar unless reduction is 'none'). Spec: onnx/defs/reduction/defs.cc and utils.cc,
 * onnx/defs/math/defs.cc (TopK, NegativeLogLikelihoodLoss, SoftmaxCrossEntropyLoss).
 */
import type { Dim, TensorType } from '../../ops/types.js';
import { axisOf, constantInts, freshShape, int, ints, text, typed } from './type-rule.js';
import type { Rule, StandardNode } from './type-rule.js';

/** The axes a reduction reads: its attribute in old opsets, its second input since. */
function reductionAxes(n: StandardNode, attributeUntil: number): number[] | null | undefined {
  if (n.opset < attributeUntil) return ints(n, 'axes') ?? null;
  if (!n.input(1)) return null;
  return constantInts(n, 1);
}

/** X with `axes` (all when empty) removed or kept as 1s. */
function reduced(n: StandardNode, x: TensorType, axes: readonly number[], keep: boolean): Dim[] {
  const rank = x.shape.length;
  const gone = new Set(axes.length ? axes.map((a) => axisOf(n, a, rank)) : x.shape.map((_, i) => i));
  return x.shape.flatMap((d, i) => (!gone.has(i) ? [d] : keep ? [1] : []));
}

function reduction(attributeUntil: number): Rule {
  return (n) => {
    const x = n.input(0);
    if (!x) return [];
    const keep = int(n, 'keepdims', 1) === 1;
    const axes = reductionAxes(n, attributeUntil);
    // Axes computed at run time: the rank survives only when dims are kept.
    if (axes === undefined) return [keep ? typed(x.dtype, freshShape(n, 0, x.shape.length)) : undefined];
    if (!axes?.length && int(n, 'noop_with_empty_axes', 0) === 1) return [x];
    return [typed(x.dtype, reduced(n, x, axes ?? [], keep))];
  };
}

/** ArgMax / ArgMin: int64 indices along one axis. */
const argReduction: Rule = (n) => {
  const x = n.input(0);
  return x ? [typed('int64', reduced(n, x, [int(n, 'axis', 0)], int(n, 'keepdims', 1) === 1))] : [];
};

/** TopK: values and int64 indices, the axis resized to k (a fresh dim when k is computed). */
const topK: Rule = (n) => {
  const x = n.input(0);
  if (!x) return [];
  const axis = axisOf(n, int(n, 'axis', -1), x.shape.length);
  const k = n.opset < 10 ? int(n, 'k', 0) : constantInts(n, 1)?.[0];
  const shape = x.shape.map((d, i) => (i !== axis ? d : (k ?? n.fresh(0, 'k'))));
  return [typed(x.dtype, shape), typed('int64', shape)];
};

/**
 * NegativeLogLikelihoodLoss(input [N, C, d..], target [N, d..]) and SoftmaxCrossEntropyLoss(scores,
 * labels): the target's shape with reduction 'none', a scalar otherwise; SoftmaxCrossEntropyLoss's
 * log_prob is shaped like the scores.
 */
const loss: Rule = (n) => {
  const [scores, target] = [n.input(0), n.input(1)];
  if (!scores || !target) return [];
  return [typed(scores.dtype, text(n, 'reduction', 'mean') === 'none' ? target.shape : []), scores];
};

const REDUCTIONS = ['ReduceMax', 'ReduceMin', 'ReduceMean', 'ReduceProd', 'ReduceL1', 'ReduceL2', 'ReduceLogSum', 'ReduceLogSumExp', 'ReduceSumSquare'];

export const REDUCE_RULES: Readonly<Record<string, Rule>> = {
  ...Object.fromEntries(REDUCTIONS.map((op) => [op, reduction(18)])),
  ReduceSum: reduction(13),
  ArgMax: argReduction,
  ArgMin: argReduction,
  TopK: topK,
  NegativeLogLikelihoodLoss: loss,
  SoftmaxCrossEntropyLoss: loss,
};
