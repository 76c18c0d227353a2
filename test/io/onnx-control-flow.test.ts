/**
 * If, Loop and Scan kept as Opaque layers: their bodies are written back as read, the names they
 * read from the graph around them are implicit inputs of the layer (so an optimization that
 * replaces such a tensor rewrites what the body reads), output types follow ONNX's inference, and
 * malformed bodies are OnnxImportErrors naming the node.
 */
import { create, fromBinary, toJson } from '@bufbuild/protobuf';
import { AttributeProtoSchema, ModelProtoSchema, TypeProto_SequenceSchema, TypeProtoSchema, ValueInfoProtoSchema } from 'onnx-buf';
import type { GraphProto, NodeProto } from 'onnx-buf';
import { describe, expect, it } from 'vitest';
import { readOnnx } from '../../src/io/onnx/decode.js';
import { OnnxExportError, OnnxImportError } from '../../src/io/onnx/errors.js';
import { writeOnnx } from '../../src/io/onnx/export.js';
import { verifyWithOrt } from '../../src/io/onnx/verify-ort.js';
import type { Layer } from '../../src/network/layer.js';
import { Network } from '../../src/network/network.js';
import { optimize } from '../../src/optimize.js';
import { floats, graph, graphAttr, ifModel, intAttr, loopModel, model, node, scanModel, untypedLoopModel } from './support/control-flow-models.js';

const controlFlow = (layers: readonly Layer[]) => layers.find((l) => ['If', 'Loop', 'Scan'].includes(l.attributes['opType'] as string))!;
const nodesOf = (bytes: Uint8Array) => fromBinary(ModelProtoSchema, bytes).graph!.node;
const controlNode = (bytes: Uint8Array) => nodesOf(bytes).find((n) => ['If', 'Loop', 'Scan'].includes(n.opType))!;
const attributesJson = (n: NodeProto) => n.attribute.map((a) => toJson(AttributeProtoSchema, a));

/** Every node input read anywhere inside a graph, nested bodies included. */
function readsInside(g: GraphProto): string[] {
  return g.node.flatMap((n) => [...n.input, ...n.attribute.flatMap((a) => (a.g ? readsInside(a.g) : []))]);
}

describe('control flow kept as Opaque layers', () => {
  it("a body's outer names become implicit inputs after the node's own, nested bodies included", () => {
    const loop = controlFlow(readOnnx(loopModel()).network.layers);
    expect(loop.inputs.map((t) => t?.name)).toEqual(['M', undefined, 'y0', 'flag', 'step']);
    const branch = controlFlow(readOnnx(ifModel()).network.layers);
    expect(branch.inputs.map((t) => t?.name)).toEqual(['cond', 't', 'w']);
  });

  it('output types follow ONNX: branches, loop-carried values, scan outputs stacked by trip count or sequence', () => {
    const types = (bytes: Uint8Array) => controlFlow(readOnnx(bytes).network.layers).outputs.map((t) => t.type);
    expect(types(ifModel())).toEqual([{ dtype: 'float32', shape: [3] }]);
    expect(types(loopModel())).toEqual([
      { dtype: 'float32', shape: [2] },
      { dtype: 'float32', shape: [3, 2] },
    ]);
    expect(types(scanModel())).toEqual([
      { dtype: 'float32', shape: [2] },
      { dtype: 'float32', shape: [4, 2] },
    ]);
  });

  it('a body that declares no types is typed by importing it: a carried value that grows gets a fresh dim', () => {
    const [final, sums] = controlFlow(readOnnx(untypedLoopModel()).network.layers).outputs.map((t) => t.type);
    expect(final!.dtype).toBe('float32');
    expect(final!.shape).toHaveLength(1);
    expect(typeof final!.shape[0]).toBe('string');
    expect(sums).toEqual({ dtype: 'float32', shape: [3, 1] });
  });

  for (const [name, make] of [
    ['If', ifModel],
    ['Loop', loopModel],
    ['Scan', scanModel],
    ['Loop without declared types', untypedLoopModel],
  ] as const) {
    it(`${name}: written with its bodies exactly as read, and reads back to the same bytes`, () => {
      const original = make();
      const written = writeOnnx(readOnnx(original).network);
      const [before, after] = [controlNode(original), controlNode(written)];
      expect(after.input).toEqual(before.input);
      expect(attributesJson(after)).toEqual(attributesJson(before));
      expect(writeOnnx(readOnnx(written).network)).toEqual(written);
    });

    it(`${name}: optimized and written, onnxruntime runs it to the original's outputs`, async () => {
      const original = make();
      const { network, origin } = readOnnx(original);
      const { network: optimized } = await optimize(network, { verify: false });
      const written = writeOnnx(optimized, { origin, target: 'ort' });
      const result = await verifyWithOrt(original, written);
      expect(result.pass, JSON.stringify(result.outputs)).toBe(true);
    });
  }

  it('an outer name an optimization replaces (-(-s) becomes s) is what the written bodies read, two scopes down', async () => {
    const { network, origin } = readOnnx(loopModel());
    const { network: optimized } = await optimize(network, { verify: false });
    const written = writeOnnx(optimized, { origin });
    expect(nodesOf(written).map((n) => n.opType)).toEqual(['Loop']);
    const body = controlNode(written).attribute[0]!.g!;
    expect(readsInside(body)).toContain('s');
    expect(readsInside(body)).not.toContain('step');
  });

  it('a network saved as JSON and read back writes the same model', () => {
    const { network, origin } = readOnnx(loopModel());
    const again = Network.fromJSON(JSON.parse(JSON.stringify(network.toJSON())));
    expect(writeOnnx(again, { origin })).toEqual(writeOnnx(network, { origin }));
  });

  it('Scan-8 (opset 8) stacks states by batch and scan outputs by batch and sequence', () => {
    const body = graph(
      'sum',
      [node('Add', ['s_in', 'row'], ['s_out']), node('Identity', ['s_out'], ['scan'])],
      [
        ['s_in', 'float32', [2]],
        ['row', 'float32', [2]],
      ],
      ['s_out', 'scan'],
    );
    const main = graph(
      'scan8',
      [node('Scan', ['', 'init', 'xs'], ['total', 'sums'], [graphAttr('body', body), intAttr('num_scan_inputs', 1)])],
      [
        ['init', 'float32', ['B', 2]],
        ['xs', 'float32', ['B', 5, 2]],
      ],
      ['total', 'sums'],
    );
    const types = controlFlow(readOnnx(model(main, 8)).network.layers).outputs.map((t) => t.type);
    expect(types).toEqual([
      { dtype: 'float32', shape: ['B', 2] },
      { dtype: 'float32', shape: ['B', 5, 2] },
    ]);
  });

  it('another opset is refused where an op inside a body has another version there', () => {
    const branch = (op: string, out: string) => graph(op, [node(op, ['x'], [out])], [], [[out, 'float32', [1]]]);
    const main = graph(
      'm',
      [node('If', ['cond'], ['y'], [graphAttr('then_branch', branch('ReduceMean', 'a')), graphAttr('else_branch', branch('ReduceMax', 'b'))])],
      [
        ['cond', 'bool', []],
        ['x', 'float32', [3]],
      ],
      [['y', 'float32', [1]]],
    );
    const { network } = readOnnx(model(main, 18));
    expect(() => writeOnnx(network, { opset: 17 })).toThrow(/its body holds ReduceMean-18 \(opset 18\), which is ReduceMean-13 at opset 17/);
    expect(controlNode(writeOnnx(network)).opType).toBe('If');
  });

  it('a hand-made layer without the implicit inputs its bodies need is an OnnxExportError', () => {
    const read = controlFlow(readOnnx(ifModel()).network.layers);
    const net = new Network('hand-made');
    const cond = net.addInput('cond', 'bool', []);
    net.markOutput(net.addLayer('Opaque', [cond], read.attributes).outputs[0]!, 'y');
    expect(() => writeOnnx(net)).toThrow(OnnxExportError);
  });

  it('an initializer only a body reads is written', () => {
    const written = writeOnnx(readOnnx(scanModel()).network);
    expect(fromBinary(ModelProtoSchema, written).graph!.initializer.map((t) => t.name)).toEqual(['bias']);
  });
});

describe('malformed control flow', () => {
  const refused = (bytes: Uint8Array) => {
    try {
      readOnnx(bytes);
    } catch (e) {
      expect(e).toBeInstanceOf(OnnxImportError);
      return e as OnnxImportError;
    }
    throw new Error('the model was read');
  };
  const branch = (out: string) => graph(out, [node('Identity', ['x'], [out])], [], [[out, 'float32', [3]]]);
  const ifOf = (then: GraphProto, other: GraphProto, outputs = ['y']) =>
    model(
      graph(
        'm',
        [node('If', ['cond'], outputs, [graphAttr('then_branch', then), graphAttr('else_branch', other)])],
        [
          ['cond', 'bool', []],
          ['x', 'float32', [3]],
        ],
        [['y', 'float32', [3]]],
      ),
    );

  it('branches with different output counts name the If node', () => {
    const two = graph(
      'two',
      [node('Identity', ['x'], ['a']), node('Identity', ['x'], ['b'])],
      [],
      [
        ['a', 'float32', [3]],
        ['b', 'float32', [3]],
      ],
    );
    const e = refused(ifOf(branch('a'), two));
    expect(e.where).toContain('If');
    expect(e.what).toMatch(/makes 2 outputs, but the node needs 1/);
  });

  it('branches whose output ranks differ are refused for that, naming the If (it read: "the file declares no type")', () => {
    const wide = graph('wide', [node('Identity', ['b'], ['u'])], [], [['u', 'float32', [1, 3]]], [floats('b', [1, 3], [1, 2, 3])]);
    const e = refused(ifOf(branch('a'), wide));
    expect(e.where).toContain('If');
    expect(e.what).toMatch(/output 0 is \[3\] one way and \[1, 3\] the other/);
    expect(e.hint).toMatch(/same rank/);
  });

  it('a body reading a name no scope defines names the body', () => {
    const e = refused(ifOf(branch('a'), graph('bad', [node('Identity', ['nowhere'], ['b'])], [], [['b', 'float32', [3]]])));
    expect(e.what).toMatch(/"nowhere".* is produced by nothing/);
    expect(e.where).toContain('body bad');
  });

  it('a body redefining a name of the graph around it is refused', () => {
    const e = refused(ifOf(branch('a'), graph('shadow', [node('Identity', ['cond'], ['x'])], [], [['x', 'float32', [3]]])));
    expect(e.what).toMatch(/"x" is produced twice/);
  });

  it('a body output that is a sequence is refused: netsat carries tensors only', () => {
    const sequence = create(ValueInfoProtoSchema, {
      name: 'a',
      type: create(TypeProtoSchema, { value: { case: 'sequenceType', value: create(TypeProto_SequenceSchema, {}) } }),
    });
    const seqBranch = branch('a');
    seqBranch.output = [sequence];
    const e = refused(ifOf(seqBranch, branch('b')));
    expect(e.what).toMatch(/body output a is a sequenceType, not a tensor/);
    expect(e.where).toContain('If');
  });

  it('a Loop body taking the wrong number of inputs names the Loop node', () => {
    const body = graph(
      'short',
      [node('Identity', ['c'], ['c_out']), node('Identity', ['x'], ['y_out'])],
      [['c', 'bool', []]],
      [
        ['c_out', 'bool', []],
        ['y_out', 'float32', [3]],
      ],
    );
    const bytes = model(
      graph(
        'm',
        [node('Loop', ['', 'cond', 'x'], ['y'], [graphAttr('body', body)])],
        [
          ['cond', 'bool', []],
          ['x', 'float32', [3]],
        ],
        [['y', 'float32', [3]]],
      ),
    );
    const e = refused(bytes);
    expect(e.where).toContain('Loop');
    expect(e.what).toMatch(/takes 1 inputs, but the node gives it 3/);
  });
});
