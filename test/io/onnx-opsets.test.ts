/**
 * Each version-specific form of the ops whose forms changed between opsets 7 and 21 (ONNX's
 * Changelog.md): a one-node model at that opset imports to the registry's one form (or stays Opaque
 * where the form has no exact registry meaning), writes back at the same opset in that opset's form,
 * and onnxruntime runs the written model to the original's outputs. Writing at another opset
 * (`opset` option) converts registry ops and refuses what that opset cannot say.
 */
import { create, fromBinary } from '@bufbuild/protobuf';
import { AttributeProtoSchema, ModelProtoSchema, NodeProtoSchema } from 'onnx-buf';
import type { NodeProto } from 'onnx-buf';
import { describe, expect, it } from 'vitest';
import { readOnnx } from '../../src/io/onnx/decode.js';
import { OnnxExportError } from '../../src/io/onnx/errors.js';
import { writeOnnx } from '../../src/io/onnx/export.js';
import { misplacedForm } from '../../src/io/onnx/opset-forms.js';
import { verifyWithOrt } from '../../src/io/onnx/verify-ort.js';
import type { Layer } from '../../src/network/layer.js';
import { oneNode } from './support/one-node-model.js';
import type { Attr, Input } from './support/one-node-model.js';

const X: Input = ['x', 'float32', [2, 3, 4]];
const ints = (name: string, values: number[]): Input => [name, 'int64', [values.length], values];

interface Form {
  name: string;
  op: string;
  opset: number;
  inputs: (Input | '')[];
  outputs?: string[];
  attrs?: Record<string, Attr>;
  /** The registry layer it imports to: op and the attributes checked. */
  layer: [op: string, attrs: Record<string, unknown>];
  /** The written node: its number of inputs and the attributes it must (and must not) carry. */
  written: { inputs: number; attrs: string[]; not?: string[] };
}

const FORMS: Form[] = [
  {
    name: 'Slice-1 bounds as attributes',
    op: 'Slice',
    opset: 9,
    inputs: [X],
    attrs: { starts: [1], ends: [4], axes: [2] },
    layer: ['Slice', { starts: [1], ends: [4], axes: [2], steps: null }],
    written: { inputs: 1, attrs: ['starts', 'ends', 'axes'] },
  },
  {
    name: 'Slice-10 bounds as inputs',
    op: 'Slice',
    opset: 10,
    inputs: [X, ints('s', [1]), ints('e', [4]), ints('a', [2]), ints('p', [2])],
    layer: ['Slice', { starts: [1], ends: [4], axes: [2], steps: [2] }],
    written: { inputs: 5, attrs: [] },
  },
  {
    name: 'Split-2 sizes as an attribute',
    op: 'Split',
    opset: 11,
    inputs: [X],
    outputs: ['y', 'z'],
    attrs: { axis: 2, split: [1, 3] },
    layer: ['Split', { axis: 2, split: [1, 3] }],
    written: { inputs: 1, attrs: ['split', 'axis'] },
  },
  {
    name: 'Split-2 equal parts',
    op: 'Split',
    opset: 8,
    inputs: [X],
    outputs: ['y', 'z'],
    attrs: { axis: 2 },
    layer: ['Split', { axis: 2, split: null, numOutputs: 2 }],
    written: { inputs: 1, attrs: ['split'] },
  },
  {
    name: 'Split-13 sizes as an input',
    op: 'Split',
    opset: 13,
    inputs: [X, ints('s', [1, 3])],
    outputs: ['y', 'z'],
    attrs: { axis: -1 },
    layer: ['Split', { axis: -1, split: [1, 3] }],
    written: { inputs: 2, attrs: ['axis'], not: ['split'] },
  },
  {
    name: 'Split-18 num_outputs',
    op: 'Split',
    opset: 18,
    inputs: [X],
    outputs: ['y', 'z'],
    attrs: { axis: 2, num_outputs: 2 },
    layer: ['Split', { axis: 2, split: null, numOutputs: 2 }],
    written: { inputs: 1, attrs: ['num_outputs'] },
  },
  {
    name: 'Unsqueeze-11 axes as an attribute',
    op: 'Unsqueeze',
    opset: 11,
    inputs: [X],
    attrs: { axes: [-1] },
    layer: ['Unsqueeze', { axes: [-1] }],
    written: { inputs: 1, attrs: ['axes'] },
  },
  {
    name: 'Unsqueeze-13 axes as an input',
    op: 'Unsqueeze',
    opset: 13,
    inputs: [X, ints('a', [0])],
    layer: ['Unsqueeze', { axes: [0] }],
    written: { inputs: 2, attrs: [], not: ['axes'] },
  },
  {
    name: 'Squeeze-11 axes as an attribute',
    op: 'Squeeze',
    opset: 12,
    inputs: [['x', 'float32', [2, 1, 4]]],
    attrs: { axes: [1] },
    layer: ['Squeeze', { axes: [1] }],
    written: { inputs: 1, attrs: ['axes'] },
  },
  {
    name: 'Squeeze-13 axes as an input',
    op: 'Squeeze',
    opset: 13,
    inputs: [['x', 'float32', [2, 1, 4]], ints('a', [1])],
    layer: ['Squeeze', { axes: [1] }],
    written: { inputs: 2, attrs: [] },
  },
  {
    name: 'ReduceSum-11 axes as an attribute',
    op: 'ReduceSum',
    opset: 12,
    inputs: [X],
    attrs: { axes: [1], keepdims: 0 },
    layer: ['ReduceSum', { axes: [1], keepDims: false }],
    written: { inputs: 1, attrs: ['axes', 'keepdims'] },
  },
  {
    name: 'ReduceSum-13 axes as an input',
    op: 'ReduceSum',
    opset: 13,
    inputs: [X, ints('a', [1])],
    layer: ['ReduceSum', { axes: [1], keepDims: true }],
    written: { inputs: 2, attrs: ['keepdims'], not: ['axes'] },
  },
  {
    name: 'ReduceMean-13 axes as an attribute',
    op: 'ReduceMean',
    opset: 17,
    inputs: [X],
    attrs: { axes: [0, 2] },
    layer: ['ReduceMean', { axes: [0, 2] }],
    written: { inputs: 1, attrs: ['axes'] },
  },
  {
    name: 'ReduceMean-18 axes as an input',
    op: 'ReduceMean',
    opset: 18,
    inputs: [X, ints('a', [0, 2])],
    layer: ['ReduceMean', { axes: [0, 2] }],
    written: { inputs: 2, attrs: [], not: ['axes'] },
  },
  { name: 'Softmax-11 on the last axis', op: 'Softmax', opset: 11, inputs: [X], attrs: { axis: 2 }, layer: ['Softmax', { axis: -1 }], written: { inputs: 1, attrs: ['axis'] } },
  {
    name: 'Softmax-1 on the last axis, negative',
    op: 'Softmax',
    opset: 12,
    inputs: [X],
    attrs: { axis: -1 },
    layer: ['Softmax', { axis: -1 }],
    written: { inputs: 1, attrs: ['axis'] },
  },
  { name: 'Softmax-13 on a middle axis', op: 'Softmax', opset: 13, inputs: [X], attrs: { axis: 1 }, layer: ['Softmax', { axis: 1 }], written: { inputs: 1, attrs: ['axis'] } },
  {
    name: 'Gemm-7 with C',
    op: 'Gemm',
    opset: 7,
    inputs: [
      ['a', 'float32', [2, 3]],
      ['b', 'float32', [3, 4]],
      ['c', 'float32', [4]],
    ],
    attrs: { beta: { f: 0.5 } },
    layer: ['Gemm', { beta: 0.5 }],
    written: { inputs: 3, attrs: ['beta'] },
  },
  {
    name: 'MaxPool-8 without ceil_mode',
    op: 'MaxPool',
    opset: 8,
    inputs: [['x', 'float32', [1, 2, 5, 5]]],
    attrs: { kernel_shape: [2, 2] },
    layer: ['MaxPool', { ceilMode: false }],
    written: { inputs: 1, attrs: ['kernel_shape'], not: ['ceil_mode', 'dilations'] },
  },
  {
    name: 'MaxPool-10 with ceil_mode',
    op: 'MaxPool',
    opset: 10,
    inputs: [['x', 'float32', [1, 2, 5, 5]]],
    attrs: { kernel_shape: [2, 2], strides: [2, 2], ceil_mode: 1 },
    layer: ['MaxPool', { ceilMode: true }],
    written: { inputs: 1, attrs: ['ceil_mode'] },
  },
  {
    name: 'AveragePool-7 without ceil_mode',
    op: 'AveragePool',
    opset: 7,
    inputs: [['x', 'float32', [1, 2, 5, 5]]],
    attrs: { kernel_shape: [3, 3], count_include_pad: 1, pads: [1, 1, 1, 1] },
    layer: ['AveragePool', { countIncludePad: true }],
    written: { inputs: 1, attrs: ['count_include_pad'], not: ['ceil_mode'] },
  },
  {
    name: 'BatchNormalization-9',
    op: 'BatchNormalization',
    opset: 9,
    inputs: [
      ['x', 'float32', [1, 2, 3]],
      ['s', 'float32', [2]],
      ['b', 'float32', [2]],
      ['m', 'float32', [2]],
      ['v', 'float32', [2], [1, 2]],
    ],
    layer: ['BatchNorm', {}],
    written: { inputs: 5, attrs: [] },
  },
];

/** Forms with no exact registry meaning: kept as read. */
const OPAQUE: Omit<Form, 'layer' | 'written'>[] = [
  { name: 'Softmax-11 flattening at axis 1 of three', op: 'Softmax', opset: 11, inputs: [X] },
  { name: 'Softmax-1 flattening at axis 0', op: 'Softmax', opset: 9, inputs: [X], attrs: { axis: 0 } },
  {
    name: 'BatchNormalization-7 per activation (spatial=0)',
    op: 'BatchNormalization',
    opset: 7,
    inputs: [
      ['x', 'float32', [1, 2, 3]],
      ['s', 'float32', [2, 3]],
      ['b', 'float32', [2, 3]],
      ['m', 'float32', [2, 3]],
      ['v', 'float32', [2, 3], [1, 2, 3, 4, 5, 6]],
    ],
    attrs: { spatial: 0 },
  },
  { name: 'Clip-11 bounds as inputs', op: 'Clip', opset: 11, inputs: [X, ['lo', 'float32', [], [-0.5]], ['hi', 'float32', [], [0.5]]] },
  { name: 'Clip-6 bounds as attributes', op: 'Clip', opset: 9, inputs: [X], attrs: { min: { f: -0.5 }, max: { f: 0.5 } } },
  { name: 'Pad-2 pads as an attribute', op: 'Pad', opset: 10, inputs: [X], attrs: { pads: [0, 1, 0, 0, 1, 0] } },
  { name: 'TopK-1 k as an attribute', op: 'TopK', opset: 9, inputs: [X], outputs: ['y', 'i'], attrs: { k: 2 } },
  { name: 'Dropout-7 inference', op: 'Dropout', opset: 10, inputs: [X], attrs: { ratio: { f: 0.3 } } },
  {
    name: 'Upsample-9 scales as an input',
    op: 'Upsample',
    opset: 9,
    inputs: [
      ['x', 'float32', [1, 1, 2, 2]],
      ['sc', 'float32', [4], [1, 1, 2, 2]],
    ],
  },
];

function onlyNode(bytes: Uint8Array): NodeProto {
  const nodes = fromBinary(ModelProtoSchema, bytes).graph!.node;
  expect(nodes).toHaveLength(1);
  return nodes[0]!;
}

const declaredOpset = (bytes: Uint8Array) => Number(fromBinary(ModelProtoSchema, bytes).opsetImport.find((o) => o.domain === '')!.version);

function nonConstant(bytes: Uint8Array): Layer[] {
  return readOnnx(bytes).network.layers.filter((l) => l.op !== 'Constant');
}

async function expectSameOutputs(original: Uint8Array, written: Uint8Array): Promise<void> {
  const check = await verifyWithOrt(original, written, { graphOptimizationLevel: 'disabled', rtol: 1e-6, atol: 1e-7 });
  expect(check.outputs.filter((o) => !o.pass)).toEqual([]);
}

describe('ONNX op forms by opset', () => {
  for (const f of FORMS) {
    it(`${f.name} (opset ${f.opset}) imports to ${f.layer[0]} and is written back in its form`, async () => {
      const original = oneNode(f.op, f.inputs, f.outputs ?? ['y'], { attrs: f.attrs ?? {}, opset: f.opset });
      const layers = nonConstant(original);
      expect(layers.map((l) => l.op)).toEqual([f.layer[0]]);
      expect(layers[0]!.attributes).toMatchObject(f.layer[1]);
      const { network, origin } = readOnnx(original);
      const written = writeOnnx(network, { origin });
      expect(declaredOpset(written)).toBe(f.opset);
      const node = onlyNode(written);
      expect(node.opType).toBe(f.op);
      expect(node.input.filter((i) => i)).toHaveLength(f.written.inputs);
      const names = node.attribute.map((x) => x.name);
      expect(names).toEqual(expect.arrayContaining(f.written.attrs));
      for (const absent of f.written.not ?? []) expect(names).not.toContain(absent);
      await expectSameOutputs(original, written);
    });
  }
  for (const f of OPAQUE) {
    it(`${f.name} (opset ${f.opset}) stays Opaque and round-trips exactly`, async () => {
      const original = oneNode(f.op, f.inputs, f.outputs ?? ['y'], { attrs: f.attrs ?? {}, opset: f.opset });
      expect(nonConstant(original).map((l) => l.op)).toEqual(['Opaque']);
      const { network, origin } = readOnnx(original);
      const written = writeOnnx(network, { origin });
      const [before, after] = [fromBinary(ModelProtoSchema, original).graph!.node[0]!, onlyNode(written)];
      expect([after.opType, after.input, after.attribute.length]).toEqual([before.opType, before.input, before.attribute.length]);
      await expectSameOutputs(original, written);
    });
  }
  it('reads a model below opset 7 only where its ops are the versions opset 7 has', async () => {
    const relu = oneNode('Relu', [X], ['y'], { opset: 6 });
    const { network, origin } = readOnnx(relu);
    const written = writeOnnx(network, { origin });
    expect(declaredOpset(written)).toBe(6);
    await expectSameOutputs(relu, written);
    const add = oneNode('Add', [X, ['z', 'float32', [2, 3, 4]]], ['y'], { opset: 6 });
    expect(() => readOnnx(add)).toThrow(/Add-6 is not/);
  });
});

describe('writing another opset', () => {
  const write = (bytes: Uint8Array, opset: number) => {
    const { network, origin } = readOnnx(bytes);
    return writeOnnx(network, { origin, opset });
  };

  it('moves axes between inputs and attributes and makes negative axes positions before opset 11', async () => {
    const original = oneNode('ReduceSum', [X, ints('a', [-1])], ['y'], { opset: 13 });
    const node = onlyNode(write(original, 9));
    expect(node.input).toEqual(['x']);
    expect(node.attribute.find((x) => x.name === 'axes')!.ints).toEqual([2n]);
    await expectSameOutputs(original, write(original, 9));
    await expectSameOutputs(original, write(original, 21));
  });

  it('writes Softmax on another axis than the last as a transposed softmax before opset 13', async () => {
    const original = oneNode('Softmax', [X], ['y'], { attrs: { axis: 1 }, opset: 13 });
    const nodes = fromBinary(ModelProtoSchema, write(original, 11)).graph!.node;
    expect(nodes.map((n) => n.opType)).toEqual(['Transpose', 'Softmax', 'Transpose']);
    await expectSameOutputs(original, write(original, 11));
  });

  it('gives Gemm a zero C before opset 11', async () => {
    const original = oneNode(
      'Gemm',
      [
        ['a', 'float32', [2, 3]],
        ['b', 'float32', [3, 4]],
      ],
      ['y'],
      { opset: 13 },
    );
    expect(onlyNode(write(original, 9)).input).toHaveLength(3);
    await expectSameOutputs(original, write(original, 9));
  });

  it('raises the IR version to the least the opset needs', () => {
    const original = oneNode('Relu', [X], ['y'], { opset: 13 });
    expect(fromBinary(ModelProtoSchema, write(original, 21)).irVersion).toBe(10n);
    expect(fromBinary(ModelProtoSchema, write(original, 9)).irVersion).toBe(8n);
  });

  it.each([
    ['ReduceMax axes, attribute to input', oneNode('ReduceMax', [X], ['y'], { opset: 13, attrs: { axes: [1, -1] } }), 18, 2],
    ['ReduceL2 axes, input to attribute', oneNode('ReduceL2', [X, ints('a', [0])], ['y'], { opset: 18, attrs: { keepdims: 0 } }), 13, 1],
    ['Clip bounds, attributes to inputs', oneNode('Clip', [X], ['y'], { opset: 9, attrs: { min: { f: -0.25 }, max: { f: 0.5 } } }), 13, 3],
    ['Clip bounds, inputs to attributes', oneNode('Clip', [X, '', ['hi', 'float32', [], [0.5]]], ['y'], { opset: 12 }), 10, 1],
  ])('converts a kept node whose form moved: %s', async (_, original, opset, inputs) => {
    const written = write(original, opset);
    expect(onlyNode(written).input).toHaveLength(inputs);
    await expectSameOutputs(original, written);
  });

  it("names a node another writer spelled in another opset's form", () => {
    const unsqueeze = create(NodeProtoSchema, { opType: 'Unsqueeze', input: ['x', 'axes'], output: ['y'] });
    expect(misplacedForm(unsqueeze, 11)).toBe('Unsqueeze takes axes as an attribute before opset 13');
    expect(misplacedForm(unsqueeze, 13)).toBeUndefined();
    const reduce = create(NodeProtoSchema, { opType: 'ReduceMax', input: ['x'], output: ['y'], attribute: [create(AttributeProtoSchema, { name: 'axes', ints: [1n] })] });
    expect(misplacedForm(reduce, 18)).toBe('ReduceMax takes axes as an input from opset 18');
  });

  it('keeps an Opaque node whose op has the same version at both opsets', async () => {
    const original = oneNode('Elu', [X], ['y'], { opset: 13, attrs: { alpha: { f: 0.5 } } });
    await expectSameOutputs(original, write(original, 7));
  });

  it.each([
    [
      'an Opaque op whose versions differ in more than form',
      oneNode('TopK', [X, ints('k', [2])], ['y', 'i'], { opset: 13 }),
      9,
      /TopK is kept as read at opset 13 \(version 11\), but opset 9 has version 1/,
    ],
    [
      'ReduceMax noop_with_empty_axes before 18',
      oneNode('ReduceMax', [X], ['y'], { opset: 18, attrs: { noop_with_empty_axes: 1 } }),
      13,
      /noop_with_empty_axes=1 has no earlier form/,
    ],
    [
      'an element type the op did not take yet',
      oneNode(
        'Pow',
        [
          ['x', 'int32', [2, 3]],
          ['p', 'int32', [], [2]],
        ],
        ['y'],
        { opset: 15 },
      ),
      11,
      /Pow-7 \(opset 11\) does not take int32 tensors/,
    ],
    [
      'an integer Clip before 12',
      oneNode(
        'Clip',
        [
          ['x', 'int32', [2, 3]],
          ['lo', 'int32', [], [0]],
        ],
        ['y'],
        { opset: 13 },
      ),
      11,
      /floating-point tensors only/,
    ],
    ['an op that does not exist yet', oneNode('Where', [['c', 'bool', [2, 3, 4]], X, ['z', 'float32', [2, 3, 4]]], ['y'], { opset: 13 }), 8, /Where does not exist at opset 8/],
    [
      'Slice steps before opset 10',
      oneNode('Slice', [X, ints('s', [0]), ints('e', [4]), ints('a', [2]), ints('p', [2])], ['y'], { opset: 13 }),
      9,
      /Slice with steps other than 1 needs opset 10/,
    ],
    [
      'ceil_mode before opset 10',
      oneNode('MaxPool', [['x', 'float32', [1, 1, 5, 5]]], ['y'], { opset: 13, attrs: { kernel_shape: [2, 2], strides: [2, 2], ceil_mode: 1 } }),
      9,
      /ceil_mode needs opset 10/,
    ],
    ['an opset out of range', oneNode('Relu', [X], ['y'], { opset: 13 }), 22, /opset 22 cannot be written/],
  ])('refuses %s', (_, bytes, opset, message) => {
    expect(() => write(bytes, opset)).toThrow(OnnxExportError);
    expect(() => write(bytes, opset)).toThrow(message);
  });
});
