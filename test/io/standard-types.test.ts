/**
 * Output types of default-domain ops kept as Opaque layers, against onnxruntime: one node per model,
 * graph inputs of fixed shapes, outputs named without types; the types netsat infers on import must
 * be the dtypes and dims onnxruntime produces. Data-dependent outputs get fresh symbols, unique per
 * tensor, where onnxruntime's dims depend on values; every other dim must match.
 */
import { describe, expect, it } from 'vitest';
import { contribOutputTypes } from '../../src/io/onnx/contrib-types.js';
import { readOnnx } from '../../src/io/onnx/decode.js';
import { OnnxImportError } from '../../src/io/onnx/errors.js';
import { standardOutputTypes } from '../../src/io/onnx/standard-types.js';
import type { StandardNode } from '../../src/io/onnx/type-rule.js';
import { ndarray } from '../../src/ops/ndarray.js';
import type { NDArray } from '../../src/ops/types.js';
import { oneNode, ortOutputTypes, tensorAttr, valueInfo } from './support/one-node-model.js';

const zeros = (n: number) => new Array<number>(n).fill(0);

/** Every output's dtype and dims equal onnxruntime's; `dataDependent` dims must instead be symbols. */
async function expectOrtTypes(bytes: Uint8Array, dataDependent: Record<string, number[]> = {}, feeds: Record<string, NDArray> = {}): Promise<void> {
  const { network } = readOnnx(bytes);
  const got = await ortOutputTypes(bytes, feeds);
  for (const t of network.outputs) {
    const ort = got[t.name]!;
    expect(t.dtype, t.name).toBe(ort.type);
    expect(t.shape.length, t.name).toBe(ort.dims.length);
    const symbolic = dataDependent[t.name] ?? [];
    t.shape.forEach((d, i) => {
      if (symbolic.includes(i)) expect(typeof d, `${t.name} dim ${i}`).toBe('string');
      else expect(d, `${t.name} dim ${i}`).toBe(ort.dims[i]);
    });
  }
}

type Case = [title: string, model: () => Uint8Array, dataDependent?: Record<string, number[]>, feeds?: Record<string, NDArray>];

function suite(family: string, cases: Case[]): void {
  describe(`${family}: types equal onnxruntime's`, () => {
    for (const [title, model, dataDependent, feeds] of cases) it(title, async () => expectOrtTypes(model(), dataDependent, feeds));
  });
}

suite('elementwise and broadcast', [
  ['LogSoftmax', () => oneNode('LogSoftmax', [['x', 'float32', [2, 5]]], ['y'])],
  [
    'Equal broadcasts to bool',
    () =>
      oneNode(
        'Equal',
        [
          ['a', 'int64', [2, 1, 4]],
          ['b', 'int64', [3, 1]],
        ],
        ['y'],
      ),
  ],
  [
    'Min of three broadcasts',
    () =>
      oneNode(
        'Min',
        [
          ['a', 'float32', [4]],
          ['b', 'float32', [3, 1]],
          ['c', 'float32', [2, 1, 1]],
        ],
        ['y'],
      ),
  ],
  [
    'Where takes x dtype',
    () =>
      oneNode(
        'Where',
        [
          ['c', 'bool', [3, 1]],
          ['x', 'int64', [1, 4]],
          ['y', 'int64', [4]],
        ],
        ['z'],
      ),
  ],
  ['IsInf', () => oneNode('IsInf', [['x', 'float32', [2, 3]]], ['y'])],
  [
    'LayerNormalization with its statistics',
    () =>
      oneNode(
        'LayerNormalization',
        [
          ['x', 'float32', [2, 3, 8]],
          ['g', 'float32', [3, 8], zeros(24)],
        ],
        ['y', 'mean', 'inv_std'],
        { attrs: { axis: -2 } },
      ),
  ],
  ['Dropout with its mask', () => oneNode('Dropout', [['x', 'float32', [2, 3]]], ['y', 'mask'])],
]);

suite('reductions', [
  [
    'ReduceMax, axes as input (opset 18)',
    () =>
      oneNode(
        'ReduceMax',
        [
          ['x', 'float32', [2, 3, 4]],
          ['axes', 'int64', [1], [1]],
        ],
        ['y'],
        { attrs: { keepdims: 0 } },
      ),
  ],
  ['ReduceMax, axes attribute (opset 13)', () => oneNode('ReduceMax', [['x', 'float32', [2, 3, 4]]], ['y'], { attrs: { axes: [0, -1] }, opset: 13 })],
  ['ReduceL2 over every axis', () => oneNode('ReduceL2', [['x', 'float32', [2, 3, 4]]], ['y'])],
  ['ArgMax', () => oneNode('ArgMax', [['x', 'float32', [2, 3, 4]]], ['y'], { attrs: { axis: 1, keepdims: 0 } })],
  [
    'TopK with a constant k',
    () =>
      oneNode(
        'TopK',
        [
          ['x', 'float32', [2, 6]],
          ['k', 'int64', [1], [3]],
        ],
        ['values', 'indices'],
      ),
  ],
]);

suite('shape ops', [
  ['Size is a rank-0 int64', () => oneNode('Size', [['x', 'float32', [2, 3]]], ['y'])],
  ['ConstantOfShape of a constant shape', () => oneNode('ConstantOfShape', [['s', 'int64', [3], [2, 1, 3]]], ['y'], { attrs: { value: tensorAttr('int64', [1], [7]) } })],
  [
    'Range of constants',
    () =>
      oneNode(
        'Range',
        [
          ['a', 'int64', [], [1]],
          ['b', 'int64', [], [10]],
          ['d', 'int64', [], [4]],
        ],
        ['y'],
      ),
  ],
  ['Shape with start and end', () => oneNode('Shape', [['x', 'float32', [2, 3, 4, 5]]], ['y'], { attrs: { start: 1, end: -1 } })],
  [
    'Tile',
    () =>
      oneNode(
        'Tile',
        [
          ['x', 'float32', [2, 3]],
          ['r', 'int64', [2], [3, 2]],
        ],
        ['y'],
      ),
  ],
  ['Pad with axes', () => oneNode('Pad', [['x', 'float32', [2, 3, 4]], ['p', 'int64', [4], [1, 0, 2, 3]], '', ['axes', 'int64', [2], [0, 2]]], ['y'])],
  ['Split into uneven parts (opset 18)', () => oneNode('Split', [['x', 'float32', [7, 2]]], ['a', 'b', 'c'], { attrs: { num_outputs: 3 } })],
  ['DepthToSpace', () => oneNode('DepthToSpace', [['x', 'float32', [1, 8, 2, 3]]], ['y'], { attrs: { blocksize: 2 } })],
  [
    'Slice with a negative step',
    () =>
      oneNode(
        'Slice',
        [
          ['x', 'float32', [5, 6]],
          ['s', 'int64', [1], [-1]],
          ['e', 'int64', [1], [-100]],
          ['a', 'int64', [1], [1]],
          ['st', 'int64', [1], [-2]],
        ],
        ['y'],
      ),
  ],
  [
    'Expand to a constant shape',
    () =>
      oneNode(
        'Expand',
        [
          ['x', 'int32', [3, 1]],
          ['s', 'int64', [3], [2, 1, 4]],
        ],
        ['y'],
      ),
  ],
]);

suite('indexing and linear algebra', [
  [
    'GatherElements',
    () =>
      oneNode(
        'GatherElements',
        [
          ['x', 'float32', [3, 4]],
          ['i', 'int64', [2, 4], zeros(8)],
        ],
        ['y'],
        { attrs: { axis: 0 } },
      ),
  ],
  [
    'GatherND with batch_dims',
    () =>
      oneNode(
        'GatherND',
        [
          ['x', 'float32', [2, 3, 4]],
          ['i', 'int64', [2, 1], [1, 2]],
        ],
        ['y'],
        { attrs: { batch_dims: 1 } },
      ),
  ],
  [
    'OneHot',
    () =>
      oneNode(
        'OneHot',
        [
          ['i', 'int64', [2, 3]],
          ['d', 'int64', [], [5]],
          ['v', 'float32', [2], [0, 1]],
        ],
        ['y'],
        { attrs: { axis: 1 } },
      ),
  ],
  ['Cast to int32', () => oneNode('Cast', [['x', 'float32', [2, 3]]], ['y'], { attrs: { to: 6 } })],
  ['EyeLike', () => oneNode('EyeLike', [['x', 'int32', [3, 4]]], ['y'], { attrs: { dtype: 1 } })],
  [
    'MatMul of a vector',
    () =>
      oneNode(
        'MatMul',
        [
          ['a', 'float32', [3]],
          ['b', 'int32', [2, 3, 4]],
        ].map((x, i) => (i === 1 ? ['b', 'float32', [2, 3, 4]] : x)) as never,
        ['y'],
      ),
  ],
  [
    'Einsum with an ellipsis',
    () =>
      oneNode(
        'Einsum',
        [
          ['a', 'float32', [2, 3, 4]],
          ['b', 'float32', [4, 5]],
        ],
        ['y'],
        { attrs: { equation: { s: '...ij,jk' } } },
      ),
  ],
  [
    'Gemm with transA',
    () =>
      oneNode(
        'Gemm',
        [
          ['a', 'float32', [4, 3]],
          ['b', 'float32', [4, 5]],
        ],
        ['y'],
        { attrs: { transA: 1 } },
      ),
  ],
]);

suite('conv, pool and resize', [
  [
    '1-D Conv with stride and pads',
    () =>
      oneNode(
        'Conv',
        [
          ['x', 'float32', [1, 4, 11]],
          ['w', 'float32', [6, 4, 3], zeros(72)],
        ],
        ['y'],
        { attrs: { strides: [2], pads: [1, 1] } },
      ),
  ],
  [
    '2-D Conv, SAME_UPPER, stride 2, groups',
    () =>
      oneNode(
        'Conv',
        [
          ['x', 'float32', [1, 4, 7, 8]],
          ['w', 'float32', [4, 2, 3, 3], zeros(72)],
        ],
        ['y'],
        { attrs: { auto_pad: { s: 'SAME_UPPER' }, strides: [2, 2], group: 2 } },
      ),
  ],
  [
    'ConvTranspose with output_padding',
    () =>
      oneNode(
        'ConvTranspose',
        [
          ['x', 'float32', [1, 2, 5, 5]],
          ['w', 'float32', [2, 3, 3, 3], zeros(54)],
        ],
        ['y'],
        { attrs: { strides: [2, 2], output_padding: [1, 0], pads: [1, 1, 1, 1] } },
      ),
  ],
  [
    'MaxPool in ceil mode with indices',
    () => oneNode('MaxPool', [['x', 'float32', [1, 2, 8, 9]]], ['y', 'idx'], { attrs: { kernel_shape: [3, 3], strides: [2, 2], ceil_mode: 1 } }),
  ],
  ['3-D AveragePool', () => oneNode('AveragePool', [['x', 'float32', [1, 2, 5, 6, 7]]], ['y'], { attrs: { kernel_shape: [2, 3, 2], pads: [1, 0, 0, 0, 1, 1] } })],
  ['GlobalMaxPool', () => oneNode('GlobalMaxPool', [['x', 'float32', [2, 3, 4, 5]]], ['y'])],
  ['Resize by scales', () => oneNode('Resize', [['x', 'float32', [1, 2, 3, 5]], '', ['s', 'float32', [4], [1, 1, 2, 1.5]]], ['y'])],
  ['Resize to sizes', () => oneNode('Resize', [['x', 'float32', [1, 2, 3, 5]], '', '', ['s', 'int64', [4], [1, 2, 7, 4]]], ['y'])],
]);

suite('losses, quantization and generators', [
  [
    'NegativeLogLikelihoodLoss without reduction',
    () =>
      oneNode(
        'NegativeLogLikelihoodLoss',
        [
          ['x', 'float32', [2, 3, 4]],
          ['t', 'int64', [2, 4], zeros(8)],
        ],
        ['loss'],
        { attrs: { reduction: { s: 'none' } } },
      ),
  ],
  [
    'SoftmaxCrossEntropyLoss with log_prob',
    () =>
      oneNode(
        'SoftmaxCrossEntropyLoss',
        [
          ['x', 'float32', [2, 3]],
          ['t', 'int64', [2], zeros(2)],
        ],
        ['loss', 'log_prob'],
      ),
  ],
  ['DynamicQuantizeLinear', () => oneNode('DynamicQuantizeLinear', [['x', 'float32', [2, 3]]], ['y', 'scale', 'zero'])],
  ['HannWindow of a constant size', () => oneNode('HannWindow', [['n', 'int64', [], [6]]], ['y'])],
  ['RandomNormalLike in another dtype', () => oneNode('RandomNormalLike', [['x', 'float32', [2, 3]]], ['y'], { attrs: { dtype: 11 } })],
]);

suite('recurrent layers', [
  [
    'bidirectional LSTM, every output',
    () =>
      oneNode(
        'LSTM',
        [
          ['x', 'float32', [5, 2, 3]],
          ['w', 'float32', [2, 16, 3], zeros(96)],
          ['r', 'float32', [2, 16, 4], zeros(128)],
        ],
        ['y', 'y_h', 'y_c'],
        { attrs: { hidden_size: 4, direction: { s: 'bidirectional' } } },
      ),
  ],
  [
    // onnxruntime's CPU kernels refuse layout 1 (batch first), so only the default layout is compared.
    'GRU',
    () =>
      oneNode(
        'GRU',
        [
          ['x', 'float32', [5, 2, 3]],
          ['w', 'float32', [1, 12, 3], zeros(36)],
          ['r', 'float32', [1, 12, 4], zeros(48)],
        ],
        ['y', 'y_h'],
        { attrs: { hidden_size: 4 } },
      ),
  ],
]);

suite('data-dependent shapes', [
  ['NonZero', () => oneNode('NonZero', [['x', 'float32', [3, 4]]], ['y']), { y: [1] }],
  ['Unique along an axis', () => oneNode('Unique', [['x', 'int64', [4, 3]]], ['y', 'idx', 'inverse', 'counts'], { attrs: { axis: 0 } }), { y: [0], idx: [0], counts: [0] }],
  [
    'Compress without an axis',
    () =>
      oneNode(
        'Compress',
        [
          ['x', 'float32', [3, 4]],
          ['c', 'bool', [5]],
        ],
        ['y'],
      ),
    { y: [0] },
  ],
  [
    'Range of computed bounds',
    () =>
      oneNode(
        'Range',
        [
          ['a', 'int64', []],
          ['b', 'int64', []],
          ['d', 'int64', [], [1]],
        ],
        ['y'],
      ),
    { y: [0] },
  ],
  ['ConstantOfShape of a computed shape', () => oneNode('ConstantOfShape', [['s', 'int64', [2]]], ['y']), { y: [0, 1] }],
  [
    'TopK with a computed k',
    () =>
      oneNode(
        'TopK',
        [
          ['x', 'float32', [2, 6]],
          ['k', 'int64', [1]],
        ],
        ['values', 'indices'],
      ),
    { values: [1], indices: [1] },
  ],
  [
    'Reshape to a computed shape',
    () =>
      oneNode(
        'Reshape',
        [
          ['x', 'float32', [2, 6]],
          ['s', 'int64', [3]],
        ],
        ['y'],
      ),
    { y: [0, 1, 2] },
    { s: ndarray('int64', [3], [3, 2, 2]) },
  ],
]);

describe("a file's value_info is checked against inference", () => {
  const equal = (declared: ReturnType<typeof valueInfo>) =>
    oneNode(
      'Equal',
      [
        ['a', 'int64', [2, 3]],
        ['b', 'int64', [3]],
      ],
      ['y'],
      { declared: [declared] },
    );

  it('another dtype is an OnnxImportError naming the tensor', () => {
    expect(() => readOnnx(equal(valueInfo('y', 'float32', [2, 3])))).toThrow(OnnxImportError);
    expect(() => readOnnx(equal(valueInfo('y', 'float32', [2, 3])))).toThrow(/declares y as float32 \[2, 3\].*bool \[2, 3\].*dtypes differ/);
  });

  it('a static dim that differs is an OnnxImportError', () => {
    expect(() => readOnnx(equal(valueInfo('y', 'bool', [2, 4])))).toThrow(/declares y as bool \[2, 4\].*dimension 1 differs/);
  });

  it("a symbol inferred where the file has a number takes the file's number", () => {
    const bytes = oneNode('NonZero', [['x', 'float32', [3, 4]]], ['y'], { declared: [valueInfo('y', 'int64', [2, 5])] });
    expect(readOnnx(bytes).network.outputs[0]!.shape).toEqual([2, 5]);
  });

  it('a number inferred where the file has a symbol keeps the number', () => {
    expect(readOnnx(equal(valueInfo('y', 'bool', ['n', 3]))).network.outputs[0]!.shape).toEqual([2, 3]);
  });
});

describe('ops without a rule', () => {
  it('an op named like an Object property has none', () => {
    const view: StandardNode = { name: 'n', opset: 18, outputs: 1, inputCount: 0, input: () => undefined, constant: () => undefined, attr: () => undefined, fresh: () => 'd' };
    for (const op of ['toString', 'constructor', '__proto__']) {
      expect(standardOutputTypes('', op, view), op).toBeUndefined();
      expect(contribOutputTypes('com.microsoft', op, view), op).toBeUndefined();
    }
  });
});
