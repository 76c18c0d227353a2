/**
 * Files the reader fuzzer (onnx-fuzz.property.test.ts) made netsat crash or crawl on, shrunk by hand
 * to the node that did it. Each must now end in an OnnxImportError that names where, or be read
 * and written back.
 */
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { AttributeProto_AttributeType, ModelProtoSchema, NodeProtoSchema, OperatorSetIdProtoSchema, TensorProtoSchema, TypeProtoSchema, ValueInfoProtoSchema } from 'onnx-buf';
import type { NodeProto, TensorProto, ValueInfoProto } from 'onnx-buf';
import { describe, expect, it } from 'vitest';
import { readOnnx } from '../../src/io/onnx/decode.js';
import { OnnxImportError } from '../../src/io/onnx/errors.js';
import { writeOnnx } from '../../src/io/onnx/export.js';
import { graphModel } from './support/one-node-model.js';

function value(name: string, dims: readonly number[]): ValueInfoProto {
  const dim = dims.map((d) => ({ value: { case: 'dimValue' as const, value: BigInt(d) } }));
  return create(ValueInfoProtoSchema, { name, type: create(TypeProtoSchema, { value: { case: 'tensorType', value: { elemType: 1, shape: { dim } } } }) });
}

const node = (opType: string, input: string[], output: string[]) => create(NodeProtoSchema, { opType, input, output, name: opType.toLowerCase() });

function model(input: ValueInfoProto[], output: ValueInfoProto[], initializer: TensorProto[], nodes: NodeProto[]): Uint8Array {
  const graph = { name: 'regression', input, output, initializer, node: nodes };
  return toBinary(ModelProtoSchema, create(ModelProtoSchema, { irVersion: 8n, opsetImport: [create(OperatorSetIdProtoSchema, { domain: '', version: 18n })], graph }));
}

const floats = (name: string, dims: number[]) =>
  create(TensorProtoSchema, { name, dataType: 1, dims: dims.map(BigInt), floatData: new Array<number>(dims.reduce((a, b) => a * b, 1)).fill(1) });

function refusal(bytes: Uint8Array): OnnxImportError {
  try {
    readOnnx(bytes);
  } catch (e) {
    expect(e).toBeInstanceOf(OnnxImportError);
    return e as OnnxImportError;
  }
  throw new Error('readOnnx accepted the file');
}

describe('crashes the reader fuzzer found', () => {
  it('a window op whose kernel has fewer dims than its input: the type rule gave a NaN dim, which crashed the MatMul after it', () => {
    // Was: TypeError "Cannot read properties of null (reading 'split')" in MatMul's inference (NaN is null in the Opaque layer's JSON).
    const pool = create(NodeProtoSchema, {
      opType: 'LpPool',
      input: ['x'],
      output: ['p'],
      name: 'pool',
      attribute: [{ name: 'kernel_shape', type: AttributeProto_AttributeType.INTS, ints: [3n] }],
    });
    const bytes = model([value('x', [1, 2, 5, 5])], [value('y', [1, 2, 3, 5])], [floats('m', [5, 5])], [pool, node('MatMul', ['p', 'm'], ['y'])]);
    const e = refusal(bytes);
    expect(e.message).toMatch(/dimension NaN, which is not a size/);
    expect(e.where).toMatch(/pool/);
  });

  it('a Reshape to a shape list thousands long: every later layer crawled', () => {
    const rank = 1000;
    const shape = create(TensorProtoSchema, { name: 's', dataType: 7, dims: [BigInt(rank)], int64Data: [...new Array<bigint>(rank - 1).fill(1n), 4n] });
    const bytes = model([value('x', [1, 4])], [value('y', [4])], [shape], [node('Reshape', ['x', 's'], ['r']), node('Relu', ['r'], ['y'])]);
    const e = refusal(bytes);
    expect(e.message).toMatch(/rank 1000/);
    expect(e.where).toMatch(/reshape/);
  });

  it('an initializer or graph input with an empty name is refused with a where', () => {
    // Was: NetworkError "tensor names must be non-empty strings" without a where; an input without a type said where ''.
    expect(refusal(model([value('x', [4])], [value('y', [4])], [floats('', [4])], [node('Add', ['x', ''], ['y'])])).where).toBe('initializer #0');
    expect(refusal(model([value('x', [4]), create(ValueInfoProtoSchema, { name: '' })], [value('y', [4])], [], [node('Relu', ['x'], ['y'])])).where).toBe('graph input #1');
  });

  it('a graph output that its node names but its op does not make is refused', () => {
    // Was: TypeError "Cannot read properties of undefined (reading 'network')" in markOutput.
    const e = refusal(model([value('x', [4])], [value('extra', [4])], [], [node('Relu', ['x'], ['y', 'extra'])]));
    expect(e.where).toBe('extra');
  });

  it('a graph output with an empty name is refused with a where', () => {
    const e = refusal(model([value('x', [1, 4])], [value('', [1, 4])], [], [node('Relu', ['x'], ['y'])]));
    expect(e.where).toBe('graph outputs');
  });

  it('a MatMul of a scalar: its type rule indexed past the shape, and the undefined dim crashed the Concat after it', () => {
    // Was: TypeError "Cannot read properties of null (reading 'split')" in Concat's inference (fuzz seed 20261202, index 59923).
    const nodes = [
      { op: 'MatMul', inputs: ['s', 'w'], outputs: ['m'] },
      { op: 'Concat', inputs: ['x', 'm'], outputs: ['y'], attrs: { axis: 1 } },
    ];
    const bytes = graphModel(
      nodes,
      [
        ['x', 'float32', ['batch', 1]],
        ['s', 'float32', [], [1]],
        ['w', 'float32', [1, 2], [1, 2]],
      ],
      ['y'],
    );
    const e = refusal(bytes);
    expect(e.message).toMatch(/rank ≥ 1/);
    expect(e.where).toMatch(/MatMul/);
  });
});

describe('writer crashes the reader fuzzer found', () => {
  it('a Split of a symbolic size into equal parts at opset 12: the writer spelled the sizes as BigInt("batch")', () => {
    // Was: SyntaxError "Cannot convert batch to a BigInt" in writeOnnx (fuzz seed 20261202, index 51041).
    const bytes = graphModel([{ op: 'Split', inputs: ['x'], outputs: ['y'] }], [['x', 'float32', ['batch', 1]]], ['y'], { opset: 12 });
    const { network, origin } = readOnnx(bytes);
    const split = fromBinary(ModelProtoSchema, writeOnnx(network, { origin })).graph!.node.find((n) => n.opType === 'Split')!;
    expect(split.attribute.map((a) => a.name)).not.toContain('split');
    expect(split.input).toEqual(['x']);
  });
});
