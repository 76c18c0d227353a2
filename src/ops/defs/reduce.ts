/** Reductions over axes (ReduceSum, ReduceMean) and Softmax along one axis. */
import { costFacts, elements, elementwiseCost } from '../cost.js';
import { expectDtype, FLOAT_DTYPES, normalizeAxes, normalizeAxis, NUMERIC_DTYPES } from '../shape.js';
import type { Attrs, OpDef, TensorType } from '../types.js';
import { TRANSCENDENTAL_FLOPS } from '../kernels/activations.js';
import { reduceMean, reduceSum } from '../kernels/reduce.js';
import { softmax } from '../kernels/softmax.js';

/** The reduced axes, normalized; absent or empty means all of them (ONNX's default). */
function reducedAxes(op: string, rank: number, attrs: Attrs): number[] {
  const given = attrs['axes'] as number[] | null;
  if (!given || given.length === 0) return Array.from({ length: rank }, (_, i) => i);
  return normalizeAxes(given, rank, op);
}

function reduction(
  name: string,
  doc: string,
  kernel: typeof reduceSum,
  /** FLOPs beyond one add per input element, per output element (the mean's division). */
  finishFlops: number,
): OpDef {
  return {
    name,
    doc,
    inputs: [{ name: 'data' }],
    outputs: ['reduced'],
    attributes: {
      axes: { kind: 'ints', default: null, doc: 'absent or empty: all axes' },
      keepDims: { kind: 'bool', default: true, doc: 'keep reduced axes as size 1' },
    },
    infer([x], attrs): TensorType[] {
      expectDtype(name, 'data', x!, NUMERIC_DTYPES);
      const axes = reducedAxes(name, x!.shape.length, attrs);
      const shape = attrs['keepDims'] ? x!.shape.map((d, i) => (axes.includes(i) ? 1 : d)) : x!.shape.filter((_, i) => !axes.includes(i));
      return [{ dtype: x!.dtype, shape }];
    },
    cost: ([x], [y]) => costFacts(elements(x) + finishFlops * elements(y), [x], [y!]),
    kernel: ([x], ctx) => [kernel(x!, reducedAxes(name, x!.shape.length, ctx.attrs), ctx.attrs['keepDims'] as boolean)],
  };
}

const SOFTMAX: OpDef = {
  name: 'Softmax',
  doc: 'exp(x) / Σ exp(x) along axis, computed with the maximum subtracted for stability.',
  inputs: [{ name: 'input' }],
  outputs: ['output'],
  attributes: { axis: { kind: 'int', default: -1 } },
  infer([x], attrs) {
    expectDtype('Softmax', 'input', x!, FLOAT_DTYPES);
    normalizeAxis(attrs['axis'] as number, x!.shape.length, 'Softmax');
    return [{ dtype: x!.dtype, shape: x!.shape }];
  },
  // Per element: the max, the subtraction, one exp, the sum and the division.
  cost: elementwiseCost(TRANSCENDENTAL_FLOPS + 4),
  kernel: ([x], ctx) => [softmax(x!, normalizeAxis(ctx.attrs['axis'] as number, x!.shape.length, 'Softmax'))],
};

export const REDUCE_OPS: OpDef[] = [
  reduction('ReduceSum', 'Sum over the given axes (all when absent).', reduceSum, 0),
  reduction('ReduceMean', 'Mean over the given axes (all when absent).', reduceMean, 1),
  SOFTMAX,
];
