/** Linear algebra: MatMul and Gemm, and the fused kinds rewrites produce (FusedLinear, SwiGLU). */
import { ShapeError } from '../../errors.js';
import { costFacts, elements, elementwiseCost } from '../cost.js';
import { allocData } from '../ndarray.js';
import { broadcastShapes, expectDtype, expectSameDtype, FLOAT_DTYPES, formatShape, NUMERIC_DTYPES, numelEstimate, sameDim, sameShape } from '../shape.js';
import type { Attrs, Dim, OpDef, Shape, TensorType } from '../types.js';
import { ACTIVATION_NAMES, ACTIVATIONS, silu } from '../kernels/activations.js';
import type { Activation } from '../kernels/activations.js';
import { broadcastOffsets } from '../kernels/broadcast.js';
import { mapBinary } from '../kernels/map.js';
import { matmul, matmulInto, matmulShape } from '../kernels/matmul.js';

/** 2·M·N·K: each of the output's elements sums K products. */
function matmulFlops(out: TensorType, k: Dim): number {
  return 2 * elements(out) * numelEstimate([k]);
}

function lastDim(t: TensorType): Dim {
  return t.shape[t.shape.length - 1]!;
}

function expectRank(op: string, input: string, t: TensorType, rank: number): void {
  if (t.shape.length !== rank) {
    throw new ShapeError(`${op}: input "${input}" must have rank ${rank}, got ${formatShape(t.shape)}`, {
      where: op,
      hint: `reshape "${input}" to ${rank}-D first`,
    });
  }
}

function swapLast2(s: Shape): Dim[] {
  return [...s.slice(0, -2), s[s.length - 1]!, s[s.length - 2]!];
}

const MATMUL: OpDef = {
  name: 'MatMul',
  doc: 'Matrix product with numpy semantics: 1-D operands promoted, batch dims broadcast.',
  inputs: [{ name: 'A' }, { name: 'B' }],
  outputs: ['Y'],
  attributes: {},
  infer([a, b]) {
    const dtype = expectSameDtype('MatMul', [
      ['A', a!],
      ['B', b!],
    ]);
    expectDtype('MatMul', 'A', a!, NUMERIC_DTYPES);
    return [{ dtype, shape: matmulShape(a!.shape, b!.shape, 'MatMul') }];
  },
  cost: (inputs, [y]) => costFacts(matmulFlops(y!, lastDim(inputs[0]!)), inputs, [y!]),
  kernel: ([a, b]) => [matmul(a!, b!)],
};

/** Gemm's op(A) is [M, K] and op(B) is [K, N]; returns [M, K, N]. */
function gemmDims(a: TensorType, b: TensorType, attrs: Attrs): [Dim, Dim, Dim] {
  const [m, k] = attrs['transA'] ? [a.shape[1]!, a.shape[0]!] : [a.shape[0]!, a.shape[1]!];
  const [k2, n] = attrs['transB'] ? [b.shape[1]!, b.shape[0]!] : [b.shape[0]!, b.shape[1]!];
  if (!sameDim(k, k2)) {
    throw new ShapeError(`Gemm: inner dimensions differ: op(A) of ${formatShape(a.shape)} has K = ${k} but op(B) of ${formatShape(b.shape)} has K = ${k2}`, {
      where: 'Gemm',
      hint: 'check transA/transB, or transpose one operand',
    });
  }
  return [m, k, n];
}

const GEMM: OpDef = {
  name: 'Gemm',
  doc: 'alpha · op(A) · op(B) + beta · C for 2-D A and B, op transposing when transA/transB are set.',
  inputs: [{ name: 'A' }, { name: 'B' }, { name: 'C', optional: true }],
  outputs: ['Y'],
  attributes: {
    alpha: { kind: 'float', default: 1 },
    beta: { kind: 'float', default: 1 },
    transA: { kind: 'bool', default: false },
    transB: { kind: 'bool', default: false },
  },
  infer([a, b, c], attrs) {
    expectRank('Gemm', 'A', a!, 2);
    expectRank('Gemm', 'B', b!, 2);
    const named: [string, TensorType][] = [
      ['A', a!],
      ['B', b!],
    ];
    if (c) named.push(['C', c]);
    const dtype = expectSameDtype('Gemm', named);
    expectDtype('Gemm', 'A', a!, NUMERIC_DTYPES);
    const [m, , n] = gemmDims(a!, b!, attrs);
    if (c && !sameShape(broadcastShapes([c.shape, [m, n]], 'Gemm'), [m, n])) {
      throw new ShapeError(`Gemm: C ${formatShape(c.shape)} does not broadcast to the output [${m}, ${n}]`, {
        where: 'Gemm',
        hint: 'C must broadcast to [M, N] without growing it',
      });
    }
    return [{ dtype, shape: [m, n] }];
  },
  cost(inputs, [y], attrs) {
    const [, k] = gemmDims(inputs[0]!, inputs[1]!, attrs);
    return costFacts(matmulFlops(y!, k) + (inputs[2] ? 2 * elements(y) : 0), inputs, [y!]);
  },
  kernel([a, b, c], ctx) {
    const { alpha, beta, transA, transB } = ctx.attrs as { alpha: number; beta: number; transA: boolean; transB: boolean };
    const [m, k, n] = gemmDims(a!, b!, ctx.attrs) as [number, number, number];
    const data = allocData(a!.dtype, m * n);
    matmulInto(a!.data, 0, b!.data, 0, data, 0, { m, k, n, transA, transB });
    const offsets = c ? broadcastOffsets(c.shape, [m, n]) : undefined;
    for (let i = 0; i < data.length; i++) {
      data[i] = alpha * data[i]! + (c ? beta * c.data[offsets![i]!]! : 0);
    }
    return [{ dtype: a!.dtype, shape: [m, n], data }];
  },
};

/** FusedLinear's weight read as [K, N] whatever its layout. */
function logicalWeight(w: TensorType, attrs: Attrs): Shape {
  return attrs['transB'] ? swapLast2(w.shape) : w.shape;
}

const FUSED_LINEAR: OpDef = {
  name: 'FusedLinear',
  doc: 'activation(x · weight + bias) in one kernel; the matmul result is never materialized.',
  fused: true,
  inputs: [{ name: 'x' }, { name: 'weight' }, { name: 'bias', optional: true }],
  outputs: ['y'],
  attributes: {
    activation: { kind: 'string', default: 'none', oneOf: ACTIVATION_NAMES, doc: 'the activation applied last' },
    transB: { kind: 'bool', default: false, doc: 'weight is stored [N, K] (as torch.nn.Linear keeps it)' },
  },
  infer([x, w, bias], attrs) {
    expectRank('FusedLinear', 'weight', w!, 2);
    const named: [string, TensorType][] = [
      ['x', x!],
      ['weight', w!],
    ];
    if (bias) named.push(['bias', bias]);
    const dtype = expectSameDtype('FusedLinear', named);
    expectDtype('FusedLinear', 'x', x!, FLOAT_DTYPES);
    const kn = logicalWeight(w!, attrs);
    const shape = matmulShape(x!.shape, kn, 'FusedLinear');
    if (bias && (bias.shape.length !== 1 || !sameDim(bias.shape[0]!, kn[1]!))) {
      throw new ShapeError(`FusedLinear: bias ${formatShape(bias.shape)} must be [${kn[1]}], the weight's output size`, {
        where: 'FusedLinear',
        hint: attrs['transB'] ? 'with transB the weight is [N, K]' : 'without transB the weight is [K, N]',
      });
    }
    return [{ dtype, shape }];
  },
  cost(inputs, [y], attrs) {
    const k = logicalWeight(inputs[1]!, attrs)[0]!;
    const perElement = (inputs[2] ? 1 : 0) + ACTIVATIONS[attrs['activation'] as Activation].flops;
    return costFacts(matmulFlops(y!, k) + perElement * elements(y), inputs, [y!]);
  },
  kernel([x, w, bias], ctx) {
    const y = matmul(x!, w!, ctx.attrs['transB'] as boolean);
    const act = ACTIVATIONS[ctx.attrs['activation'] as Activation].fn;
    const out = y.data;
    const n = y.shape[y.shape.length - 1]!;
    const b = bias?.data;
    // Bias and activation in the same pass over the product, as the fused kernel would.
    for (let i = 0; i < out.length; i += n) {
      for (let j = 0; j < n; j++) out[i + j] = act(out[i + j]! + (b ? b[j]! : 0));
    }
    return [y];
  },
};

const SWIGLU: OpDef = {
  name: 'SwiGLU',
  doc: 'silu(gate) · up elementwise (broadcasting): the gated MLP of Llama-style models.',
  fused: true,
  inputs: [{ name: 'gate' }, { name: 'up' }],
  outputs: ['y'],
  attributes: {},
  infer([gate, up]) {
    const dtype = expectSameDtype('SwiGLU', [
      ['gate', gate!],
      ['up', up!],
    ]);
    expectDtype('SwiGLU', 'gate', gate!, FLOAT_DTYPES);
    return [{ dtype, shape: broadcastShapes([gate!.shape, up!.shape], 'SwiGLU') }];
  },
  cost: elementwiseCost(ACTIVATIONS.silu.flops + 1),
  kernel: ([gate, up]) => [mapBinary(gate!, up!, gate!.dtype, (g, u) => silu(g) * u)],
};

export const LINEAR_OPS: OpDef[] = [MATMUL, GEMM, FUSED_LINEAR, SWIGLU];
