/**
 * ONNX files netsat must refuse with an OnnxImportError naming the node or tensor (corrupt bytes,
 * broken graphs, absurd dims, external data outside the model's folder, unsupported opsets), and
 * the small features that real models do not exercise: external data, symbolic dims,
 * overwriteInputShapes, opaque ops kept exactly, float16 and int64 initializers.
 */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import type { MessageInitShape } from '@bufbuild/protobuf';
import {
  AttributeProto_AttributeType,
  AttributeProtoSchema,
  type GraphProtoSchema,
  ModelProtoSchema,
  NodeProtoSchema,
  OperatorSetIdProtoSchema,
  TensorProto_DataLocation,
  TensorProtoSchema,
  TypeProtoSchema,
  ValueInfoProtoSchema,
} from 'onnx-buf';
import type { AttributeProto } from 'onnx-buf';
import { describe, expect, it } from 'vitest';
import { OnnxExportError, OnnxImportError } from '../../src/io/onnx/errors.js';
import { readOnnx, readOnnxFile } from '../../src/io/onnx/decode.js';
import { writeOnnx } from '../../src/io/onnx/export.js';
import { verifyWithOrt } from '../../src/io/onnx/verify-ort.js';
import { Network } from '../../src/network/network.js';

type Dims = readonly (number | bigint | string)[];

function value(name: string, dims: Dims, elemType = 1) {
  const dim = dims.map((d) => ({ value: typeof d === 'string' ? { case: 'dimParam' as const, value: d } : { case: 'dimValue' as const, value: BigInt(d) } }));
  return create(ValueInfoProtoSchema, { name, type: create(TypeProtoSchema, { value: { case: 'tensorType', value: { elemType, shape: { dim } } } }) });
}

function node(opType: string, input: string[], output: string[], name = `${opType}_${output[0]}`, extra: { domain?: string; attribute?: AttributeProto[] } = {}) {
  return create(NodeProtoSchema, { opType, input, output, name, ...extra });
}

function floats(name: string, dims: number[], values: number[]) {
  return create(TensorProtoSchema, { name, dataType: 1, dims: dims.map(BigInt), rawData: new Uint8Array(Float32Array.from(values).buffer) });
}

type GraphInit = MessageInitShape<typeof GraphProtoSchema>;

/** x [1, 4] → Relu → Add(w) → y, with overrides. */
function model(graph: Record<string, unknown> = {}, opset = 18): Uint8Array {
  const base: GraphInit = {
    name: 'tiny',
    input: [value('x', [1, 4])],
    output: [value('y', [1, 4])],
    initializer: [floats('w', [4], [1, 2, 3, 4])],
    node: [node('Relu', ['x'], ['r']), node('Add', ['r', 'w'], ['y'])],
  };
  return toBinary(
    ModelProtoSchema,
    create(ModelProtoSchema, {
      irVersion: 8n,
      producerName: 'test',
      opsetImport: [create(OperatorSetIdProtoSchema, { domain: '', version: BigInt(opset) })],
      graph: { ...base, ...graph } as GraphInit,
    }),
  );
}

function refused(bytes: Uint8Array, pattern: RegExp, options: Parameters<typeof readOnnx>[1] = {}): OnnxImportError {
  let error: unknown;
  try {
    readOnnx(bytes, options);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(OnnxImportError);
  expect((error as Error).message).toMatch(pattern);
  return error as OnnxImportError;
}

describe('bad ONNX input', () => {
  it('refuses truncated and corrupt protobuf', () => {
    const bytes = model({ initializer: [floats('w', [4], [1, 2, 3, 4]), floats('big', [1024], new Array<number>(1024).fill(1))] });
    refused(bytes.subarray(0, bytes.length - 2000), /not a valid ONNX protobuf|truncated|produced by nothing|raw_data/);
    let seed = 7;
    const noise = Uint8Array.from({ length: 4096 }, () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24);
    refused(noise, /not a valid ONNX protobuf|no graph|opset/);
  });

  it('refuses a cycle, naming its nodes', () => {
    const e = refused(model({ node: [node('Relu', ['b'], ['a'], 'first'), node('Relu', ['a'], ['b'], 'second'), node('Add', ['a', 'w'], ['y'])] }), /cycle/);
    expect(e.message).toMatch(/first/);
  });

  it('refuses a dangling input name', () => {
    const e = refused(model({ node: [node('Relu', ['nowhere'], ['r'], 'reader'), node('Add', ['r', 'w'], ['y'])] }), /"nowhere".*produced by nothing/);
    expect(e.where).toBe('reader');
  });

  it('refuses duplicate tensor and node names', () => {
    refused(model({ node: [node('Relu', ['x'], ['y'], 'a'), node('Sigmoid', ['x'], ['y'], 'b')] }), /"y" is produced twice/);
    refused(model({ node: [node('Relu', ['x'], ['r'], 'same'), node('Add', ['r', 'w'], ['y'], 'same')] }), /two nodes are named "same"/);
  });

  it('refuses negative and absurd dims before allocating', () => {
    refused(model({ input: [value('x', [1, -3])] }), /negative/);
    const absurd = create(TensorProtoSchema, { name: 'huge', dataType: 1, dims: [2n ** 31n, 2n ** 31n] });
    const e = refused(model({ initializer: [floats('w', [4], [1, 2, 3, 4]), absurd] }), /more than 2\^40 elements/);
    expect(e.where).toMatch(/huge/);
    refused(model({ input: [value('x', [2n ** 62n, 4])] }), /absurdly large/);
  });

  it('refuses an external data path that leaves the model folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'netsat-onnx-'));
    mkdirSync(join(dir, 'model'));
    writeFileSync(join(dir, 'secret.bin'), new Uint8Array(16));
    const outside = create(TensorProtoSchema, {
      name: 'w',
      dataType: 1,
      dims: [4n],
      dataLocation: TensorProto_DataLocation.EXTERNAL,
      externalData: [{ key: 'location', value: '../secret.bin' }],
    });
    const path = join(dir, 'model', 'm.onnx');
    writeFileSync(path, model({ initializer: [outside] }));
    expect(() => readOnnxFile(path)).toThrow(/leaves the model's folder/);
  });

  it('refuses unsupported opsets', () => {
    refused(model({}, 0), /opset 0 .*not supported/);
    refused(model({}, 22), /opset 22/);
  });

  it('refuses unsupported element types, naming the tensor', () => {
    const e = refused(model({ initializer: [create(TensorProtoSchema, { name: 'w', dataType: 14, dims: [4n], rawData: new Uint8Array(32) })] }), /COMPLEX64/);
    expect(e.where).toMatch(/w/);
  });

  it('refuses raw_data that does not match the shape', () => {
    refused(model({ initializer: [create(TensorProtoSchema, { name: 'w', dataType: 1, dims: [4n], rawData: new Uint8Array(12) })] }), /12 bytes.*needs 16/);
  });
});

describe('ONNX features', () => {
  it('reads external data from the model folder, as views', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netsat-onnx-'));
    writeFileSync(join(dir, 'weights.bin'), new Uint8Array(Float32Array.from([9, 9, 1, 2, 3, 4]).buffer));
    const external = create(TensorProtoSchema, {
      name: 'w',
      dataType: 1,
      dims: [4n],
      dataLocation: TensorProto_DataLocation.EXTERNAL,
      externalData: [
        { key: 'location', value: 'weights.bin' },
        { key: 'offset', value: '8' },
        { key: 'length', value: '16' },
      ],
    });
    const path = join(dir, 'm.onnx');
    writeFileSync(path, model({ initializer: [external] }));
    const { network } = readOnnxFile(path);
    expect(Array.from(network.getTensor('w')!.producer!.constantData!.data)).toEqual([1, 2, 3, 4]);
    const result = await verifyWithOrt(model(), writeOnnx(network), { graphOptimizationLevel: 'disabled' });
    expect(result.pass).toBe(true);
  });

  it('keeps symbolic dims, and overwriteInputShapes fixes them', () => {
    const bytes = model({ input: [value('x', ['batch', 4])], output: [value('y', ['batch', 4])] });
    expect(readOnnx(bytes).network.getTensor('y')!.shape).toEqual(['batch', 4]);
    const written = fromBinary(ModelProtoSchema, writeOnnx(readOnnx(bytes).network));
    expect(written.graph!.input[0]!.type!.value.value).toMatchObject({ shape: { dim: [{ value: { case: 'dimParam', value: 'batch' } }, {}] } });
    expect(readOnnx(bytes, { overwriteInputShapes: 'x:3,4' }).network.getTensor('y')!.shape).toEqual([3, 4]);
    expect(() => readOnnx(bytes, { overwriteInputShapes: 'nope:3,4' })).toThrow(/not a graph input/);
  });

  it('keeps unknown ops, their attributes and the original names, opset and metadata', () => {
    const attribute = [create(AttributeProtoSchema, { name: 'mode', type: AttributeProto_AttributeType.STRING, s: new TextEncoder().encode('fancy') })];
    const custom = node('Frobnicate', ['x'], ['f'], 'frob', { domain: 'com.example', attribute });
    const bytes = model({ node: [custom, node('Add', ['f', 'w'], ['y'])], valueInfo: [value('f', [1, 4])] });
    const { network } = readOnnx(bytes);
    const layer = network.getLayer('frob')!;
    expect(layer.op).toBe('Opaque');
    const back = fromBinary(ModelProtoSchema, writeOnnx(network));
    const written = back.graph!.node.find((n) => n.name === 'frob')!;
    expect(written).toMatchObject({ opType: 'Frobnicate', domain: 'com.example', input: ['x'], output: ['f'] });
    expect(new TextDecoder().decode(written.attribute[0]!.s)).toBe('fancy');
    expect(back.producerName).toBe('test');
    expect(back.opsetImport.map((o) => [o.domain, Number(o.version)])).toEqual([
      ['', 18],
      ['com.example', 1],
    ]);
  });

  it('reads float16 and int64 initializers and writes them back', async () => {
    const halves = create(TensorProtoSchema, { name: 'h', dataType: 10, dims: [2n], rawData: new Uint8Array(Uint16Array.from([0x3c00, 0xc000]).buffer) });
    const shape = create(TensorProtoSchema, { name: 's', dataType: 7, dims: [2n], int64Data: [2n, 2n] });
    const bytes = model({
      initializer: [floats('w', [4], [1, 2, 3, 4]), halves, shape],
      node: [node('Reshape', ['x', 's'], ['r']), node('Reshape', ['r', 'shape_back'], ['y'])],
      output: [value('y', [1, 4])],
    });
    const withBack = fromBinary(ModelProtoSchema, bytes);
    withBack.graph!.initializer.push(create(TensorProtoSchema, { name: 'shape_back', dataType: 7, dims: [2n], int64Data: [1n, 4n] }));
    const full = toBinary(ModelProtoSchema, withBack);
    const { network } = readOnnx(full);
    expect(Array.from(network.getTensor('h')!.producer!.constantData!.data)).toEqual([1, -2]);
    expect(network.getLayer('Reshape_r')!.attributes['shape']).toEqual([2, 2]);
    const result = await verifyWithOrt(full, writeOnnx(network), { graphOptimizationLevel: 'disabled', atol: 0, rtol: 0 });
    expect(result.pass).toBe(true);
  });

  it('refuses to export a constant without data', () => {
    const n = new Network('weights');
    const x = n.addInput('x', 'float32', [2]);
    const w = n.addConstant({ dtype: 'float32', shape: [2], name: 'w' });
    n.markOutput(n.addLayer('Add', [x, w]).outputs[0]!);
    expect(() => writeOnnx(n)).toThrow(OnnxExportError);
    expect(() => writeOnnx(n)).toThrow(/constant w has no data/);
  });
});
