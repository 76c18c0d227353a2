/**
 * Input sets read from TensorProto files (`--verify-inputs`, readInputSets): a folder of
 * input_<n>.pb matched to the graph inputs by name or number, a single .pb file, and typed errors
 * that name the file and the input.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toBinary } from '@bufbuild/protobuf';
import { TensorProtoSchema } from 'onnx-buf';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InterpretError } from '../../src/errors.js';
import { OnnxImportError } from '../../src/io/onnx/errors.js';
import { readInputSet, readInputSets } from '../../src/io/onnx/input-sets.js';
import { arrayToTensor } from '../../src/io/onnx/tensor-data.js';
import { randomArray } from '../../src/interp/random.js';
import { Network } from '../../src/network/network.js';
import * as F from '../../src/network/functional/primitives.js';
import { ndarray } from '../../src/ops/ndarray.js';
import type { DType, NDArray, Shape } from '../../src/ops/types.js';

const root = mkdtempSync(join(tmpdir(), 'netsat-input-sets-'));
let folders = 0;

/** A fresh folder holding `files` (name -> bytes). */
function folder(files: Record<string, Uint8Array>): string {
  const dir = join(root, `set${folders++}`);
  mkdirSync(dir);
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, name), bytes);
  return dir;
}

/** `a` serialized as a TensorProto named `name` ('' for none). */
const proto = (name: string, a: NDArray) => toBinary(TensorProtoSchema, arrayToTensor(name, a.dtype, a.shape, a));

/** A network whose inputs are `inputs` (name, dtype, shape), each feeding an Identity output. */
function network(inputs: [string, DType, Shape][]): Network {
  const net = new Network('model');
  for (const [name, dtype, shape] of inputs) net.markOutput(F.identity(net.addInput(name, dtype, shape)), `${name}_out`);
  return net;
}

const xy = () =>
  network([
    ['x', 'float32', ['batch', 3]],
    ['ids', 'int64', ['batch']],
  ]);
const x = ndarray('float32', [2, 3], [1, 2, 3, 4, 5, 6]);
const ids = ndarray('int64', [2], [7, 8]);

describe('readInputSet', () => {
  it('matches unnamed tensors to the inputs by their number', () => {
    const set = readInputSet(folder({ 'input_0.pb': proto('', x), 'input_1.pb': proto('', ids) }), xy());
    expect(Object.keys(set).sort()).toEqual(['ids', 'x']);
    expect([...set['x']!.data]).toEqual([1, 2, 3, 4, 5, 6]);
    expect([set['ids']!.dtype, [...set['ids']!.data]]).toEqual(['int64', [7, 8]]);
  });

  it('matches named tensors by name, whatever their number', () => {
    const set = readInputSet(folder({ 'input_0.pb': proto('ids', ids), 'input_1.pb': proto('x', x), 'notes.txt': new Uint8Array([1]) }), xy());
    expect([...set['ids']!.data]).toEqual([7, 8]);
    expect(set['x']!.shape).toEqual([2, 3]);
  });

  it('reads a single .pb file as a set of one tensor (the others are drawn)', () => {
    const dir = folder({ 'ids.pb': proto('ids', ids) });
    expect(Object.keys(readInputSet(join(dir, 'ids.pb'), xy()))).toEqual(['ids']);
  });

  it('reads one set per path', () => {
    const sets = readInputSets([folder({ 'input_0.pb': proto('', x) }), folder({ 'input_1.pb': proto('', ids) })], xy());
    expect(sets.map((s) => Object.keys(s))).toEqual([['x'], ['ids']]);
  });

  it('gives every input exactly its tensor, named or numbered in any mix (property)', () => {
    const dtypes: DType[] = ['float32', 'float64', 'int8', 'int32', 'int64', 'uint8', 'bool'];
    const input = fc.record({ dtype: fc.constantFrom(...dtypes), shape: fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 3 }), named: fc.boolean() });
    fc.assert(
      fc.property(fc.array(input, { minLength: 1, maxLength: 4 }), fc.integer(), (inputs, seed) => {
        // An unnamed file keeps its position's number; named ones take the next named one's number.
        const named = inputs.flatMap((s, i) => (s.named ? [i] : []));
        const numbers = inputs.map((s, i) => (s.named ? named[(named.indexOf(i) + 1) % named.length]! : i));
        const arrays = inputs.map((s, i) => randomArray(s.dtype, s.shape, seed + i, { intRange: [-100, 100] }));
        const files = Object.fromEntries(arrays.map((a, i) => [`input_${numbers[i]}.pb`, proto(inputs[i]!.named ? `in${i}` : '', a)]));
        const set = readInputSet(folder(files), network(arrays.map((a, i) => [`in${i}`, a.dtype, a.shape])));
        arrays.forEach((a, i) => {
          expect(set[`in${i}`]!.shape).toEqual(a.shape);
          expect([...set[`in${i}`]!.data]).toEqual([...a.data]);
        });
      }),
      { seed: 20261203, numRuns: 60 },
    );
  });
});

describe('readInputSet refuses, naming the file and the input', () => {
  it('a path that does not exist', () => {
    expect(() => readInputSet(join(root, 'missing'), xy())).toThrow(/input set ".*missing" does not exist/);
  });

  it('a folder without input_<n>.pb files, for a network with inputs', () => {
    const dir = folder({ 'output_0.pb': proto('', x) });
    expect(() => readInputSet(dir, xy())).toThrow(OnnxImportError);
    expect(() => readInputSet(dir, xy())).toThrow(/holds no input_<n>.pb file[\s\S]*hint: give a folder of input_0.pb/);
    expect(readInputSet(dir, network([]))).toEqual({});
  });

  it('a file that is not a TensorProto', () => {
    const dir = folder({ 'input_0.pb': new Uint8Array([0xff, 0xff, 0xff]) });
    expect(() => readInputSet(dir, xy())).toThrow(/input_0.pb" is not a serialized TensorProto/);
  });

  it('a name that is no input', () => {
    const dir = folder({ 'input_0.pb': proto('y', x) });
    expect(() => readInputSet(dir, xy())).toThrow(
      /holds tensor "y", which is not an input of model[\s\S]*hint: name it after one of the inputs \(x float32\[batch, 3\], ids int64\[batch\]\)/,
    );
  });

  it('an unnamed tensor numbered past the inputs', () => {
    const dir = folder({ 'input_2.pb': proto('', x) });
    expect(() => readInputSet(dir, xy())).toThrow(/has no name and its number 2 is past the 2 inputs of model/);
  });

  it('two files for one input', () => {
    const dir = folder({ 'input_0.pb': proto('', x), 'input_1.pb': proto('x', x) });
    expect(() => readInputSet(dir, xy())).toThrow(/input_1.pb" and ".*input_0.pb" both give input x/);
  });

  it('a wrong dtype, shape or symbolic size: an InterpretError at the file and input', () => {
    const cases: [NDArray, RegExp][] = [
      [ndarray('int32', [2], [7, 8]), /input ids is int32 but the network declares int64/],
      [ndarray('int64', [2, 1], [7, 8]), /input ids has rank 2/],
      [ndarray('int64', [3], [7, 8, 9]), /dimension "batch" is 2 in one input and 3 in ids/],
    ];
    for (const [bad, message] of cases) {
      const dir = folder({ 'input_0.pb': proto('', x), 'input_1.pb': proto('', bad) });
      expect(() => readInputSet(dir, xy())).toThrow(InterpretError);
      expect(() => readInputSet(dir, xy())).toThrow(message);
      expect(() => readInputSet(dir, xy())).toThrow(new RegExp(`at ${dir}/input_1.pb \\(input ids\\)`));
    }
  });
});
