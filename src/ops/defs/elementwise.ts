/** Elementwise ops: unary math and activations, broadcasting binary arithmetic, IsNaN, Where and Cast. */
import { InterpretError } from '../../errors.js';
import { elementwiseCost, movementCost } from '../cost.js';
import { truncInt } from '../ndarray.js';
import { broadcastShapes, expectDtype, expectSameDtype, FLOAT_DTYPES, isDType, isFloating, NUMERIC_DTYPES } from '../shape.js';
import type { AttrSpec, Attrs, DType, OpDef, TensorType } from '../types.js';
import { DTYPES } from '../types.js';
import { ACTIVATIONS, erf, TRANSCENDENTAL_FLOPS } from '../kernels/activations.js';
import type { Activation } from '../kernels/activations.js';
import { mapBinary, mapTernary, mapUnary } from '../kernels/map.js';

const T = TRANSCENDENTAL_FLOPS;

/** Any numeric dtype accepted for ops that are also defined on integers. */
const ANY_NUMBER = NUMERIC_DTYPES;

/** An elementwise op on one input; its output has the input's dtype unless `out` names another. */
function unary(name: string, doc: string, fn: (x: number) => number, flops: number, allowed: readonly DType[] = FLOAT_DTYPES, out?: DType): OpDef {
  return {
    name,
    doc,
    inputs: [{ name: 'X' }],
    outputs: ['Y'],
    attributes: {},
    infer([x]) {
      expectDtype(name, 'X', x!, allowed);
      return [{ dtype: out ?? x!.dtype, shape: x!.shape }];
    },
    cost: elementwiseCost(flops),
    kernel: ([x]) => [mapUnary(x!, fn, out ?? x!.dtype)],
  };
}

type Binary = (x: number, y: number) => number;

/** A broadcasting binary op; `intFn` replaces `floatFn` where integer semantics differ (truncation, wrap). */
function binary(name: string, doc: string, floatFn: Binary, intFn: Partial<Record<DType, Binary>> = {}): OpDef {
  return {
    name,
    doc,
    inputs: [{ name: 'A' }, { name: 'B' }],
    outputs: ['C'],
    attributes: {},
    infer([a, b]) {
      const dtype = expectSameDtype(name, [
        ['A', a!],
        ['B', b!],
      ]);
      expectDtype(name, 'A', a!, ANY_NUMBER);
      return [{ dtype, shape: broadcastShapes([a!.shape, b!.shape], name) }];
    },
    cost: elementwiseCost(1),
    kernel: ([a, b]) => [mapBinary(a!, b!, a!.dtype, intFn[a!.dtype] ?? floatFn)],
  };
}

const truncPow: Binary = (x, y) => truncInt(x ** y);

const GELU_APPROXIMATE: Readonly<Record<string, Activation>> = { none: 'gelu', tanh: 'gelu_tanh' };

function geluOf(attrs: Attrs): Activation {
  return GELU_APPROXIMATE[attrs['approximate'] as string]!;
}

const GELU: OpDef = {
  name: 'Gelu',
  doc: 'Gaussian error linear unit: x·Φ(x), exactly via erf or by the tanh approximation.',
  inputs: [{ name: 'X' }],
  outputs: ['Y'],
  attributes: {
    approximate: { kind: 'string', default: 'none', oneOf: ['none', 'tanh'], doc: "'none' for the erf form, 'tanh' for the approximation" },
  },
  infer([x]) {
    expectDtype('Gelu', 'X', x!, FLOAT_DTYPES);
    return [{ dtype: x!.dtype, shape: x!.shape }];
  },
  cost: (inputs, outputs, attrs) => elementwiseCost(ACTIVATIONS[geluOf(attrs)].flops)(inputs, outputs),
  kernel: ([x], ctx) => [mapUnary(x!, ACTIVATIONS[geluOf(ctx.attrs)].fn)],
};

const WHERE: OpDef = {
  name: 'Where',
  doc: 'Picks X where condition is true, else Y, broadcasting all three.',
  inputs: [{ name: 'condition' }, { name: 'X' }, { name: 'Y' }],
  outputs: ['output'],
  attributes: {},
  infer([c, x, y]) {
    expectDtype('Where', 'condition', c!, ['bool']);
    const dtype = expectSameDtype('Where', [
      ['X', x!],
      ['Y', y!],
    ]);
    return [{ dtype, shape: broadcastShapes([c!.shape, x!.shape, y!.shape], 'Where') }];
  },
  cost: elementwiseCost(1),
  kernel: ([c, x, y]) => [mapTernary(c!, x!, y!, x!.dtype, (k, a, b) => (k ? a : b))],
};

/** Attribute spec of a dtype-valued attribute (the registry only checks that it is a string). */
export function dtypeAttr(doc: string, fallback?: DType): AttrSpec {
  return {
    kind: 'dtype',
    ...(fallback ? { default: fallback } : {}),
    check: (v) => (isDType(v) ? undefined : `must be one of ${DTYPES.join(', ')}`),
    doc,
  };
}

/** Element conversion for Cast: floats to integers truncate toward zero, anything nonzero is true. */
function converter(to: DType): (v: number) => number {
  if (to === 'bool') return (v) => (v !== 0 ? 1 : 0);
  if (!isFloating(to)) return truncInt;
  return (v) => v;
}

const CAST: OpDef = {
  name: 'Cast',
  doc: 'Converts elements to another dtype (floats to integers truncate toward zero).',
  inputs: [{ name: 'input' }],
  outputs: ['output'],
  attributes: { to: dtypeAttr('the dtype to convert to') },
  infer([x], attrs) {
    return [{ dtype: attrs['to'] as DType, shape: x!.shape }];
  },
  cost: elementwiseCost(1),
  kernel: ([x], ctx) => {
    const to = ctx.attrs['to'] as DType;
    return [mapUnary(x!, converter(to), to)];
  },
};

const IDENTITY: OpDef = {
  name: 'Identity',
  doc: 'Returns its input unchanged.',
  inputs: [{ name: 'input' }],
  outputs: ['output'],
  attributes: {},
  infer: ([x]): TensorType[] => [{ dtype: x!.dtype, shape: x!.shape }],
  cost: movementCost,
  kernel: ([x]) => [mapUnary(x!, (v) => v)],
};

/** Integer division by zero has no value in the ONNX spec; refuse rather than return garbage. */
function intDivide(x: number, y: number): number {
  if (y === 0) throw new InterpretError('Div: integer division by zero', { where: 'Div', hint: 'guard the divisor, or Cast to float' });
  return truncInt(x / y);
}

export const ELEMENTWISE_OPS: OpDef[] = [
  IDENTITY,
  binary('Add', 'Elementwise A + B with numpy broadcasting.', (x, y) => x + y),
  binary('Sub', 'Elementwise A − B with numpy broadcasting.', (x, y) => x - y),
  binary('Mul', 'Elementwise A · B with numpy broadcasting.', (x, y) => x * y, { int32: Math.imul }),
  binary('Div', 'Elementwise A / B with numpy broadcasting; integers truncate toward zero.', (x, y) => x / y, {
    int32: intDivide,
    int64: intDivide,
  }),
  binary('Pow', 'Elementwise A raised to B with numpy broadcasting.', (x, y) => x ** y, { int32: truncPow, int64: truncPow }),
  unary('Sqrt', 'Elementwise square root.', Math.sqrt, 1),
  unary('Reciprocal', 'Elementwise 1 / X.', (x) => 1 / x, 1),
  unary('Neg', 'Elementwise −X.', (x) => -x, 1, ANY_NUMBER),
  unary('Exp', 'Elementwise e^X.', Math.exp, T),
  unary('Log', 'Elementwise natural logarithm.', Math.log, T),
  unary('Erf', 'Elementwise Gauss error function.', erf, T),
  unary('Tanh', 'Elementwise hyperbolic tangent.', ACTIVATIONS.tanh.fn, ACTIVATIONS.tanh.flops),
  unary('Relu', 'Elementwise max(X, 0).', ACTIVATIONS.relu.fn, ACTIVATIONS.relu.flops, ANY_NUMBER),
  unary('Sigmoid', 'Elementwise logistic function 1 / (1 + e^−X).', ACTIVATIONS.sigmoid.fn, ACTIVATIONS.sigmoid.flops),
  unary('Silu', 'Elementwise X · sigmoid(X) (swish).', ACTIVATIONS.silu.fn, ACTIVATIONS.silu.flops),
  GELU,
  // A known op (not Opaque), so rules see through PyTorch's Where(IsNaN(softmax), 0, softmax) guard.
  unary('IsNaN', 'True where X is NaN (bool output of X’s shape).', (x) => (Number.isNaN(x) ? 1 : 0), 1, FLOAT_DTYPES, 'bool'),
  WHERE,
  CAST,
];
