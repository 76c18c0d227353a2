/**
 * Every error a user can cause is a typed error: one paragraph saying what, where and how to fix it,
 * exit 2, never "internal error ... report it" (kept for netsat's own bugs). The sweep holds the bad
 * inputs users met: ops nothing can verify, tensors too large to verify, bad workload files.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { create, toBinary } from '@bufbuild/protobuf';
import { ModelProtoSchema, NodeProtoSchema, OperatorSetIdProtoSchema, TypeProtoSchema, ValueInfoProtoSchema } from 'onnx-buf';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli as run } from '../support/run-cli.js';

function value(name: string, dims: readonly number[]) {
  const dim = dims.map((d) => ({ value: { case: 'dimValue' as const, value: BigInt(d) } }));
  return create(ValueInfoProtoSchema, { name, type: create(TypeProtoSchema, { value: { case: 'tensorType', value: { elemType: 1, shape: { dim } } } }) });
}

/** x → Relu → `op` (of `domain`) → y, all of shape `dims`, with the types onnxruntime would infer declared. */
function onnxModel(op: string, domain: string, dims: readonly number[]): Uint8Array {
  const opsets = [create(OperatorSetIdProtoSchema, { domain: '', version: 18n }), ...(domain ? [create(OperatorSetIdProtoSchema, { domain, version: 1n })] : [])];
  const node = [
    create(NodeProtoSchema, { opType: 'Relu', input: ['x'], output: ['r'], name: 'relu' }),
    create(NodeProtoSchema, { opType: op, domain, input: ['r'], output: ['y'], name: 'last' }),
  ];
  const graph = { name: 'g', input: [value('x', dims)], output: [value('y', dims)], valueInfo: [value('r', dims)], node };
  return toBinary(ModelProtoSchema, create(ModelProtoSchema, { irVersion: 8n, producerName: 'test', opsetImport: opsets, graph }));
}

const dir = mkdtempSync(join(tmpdir(), 'netsat-user-errors-'));
const at = (name: string) => join(dir, name);

beforeAll(() => {
  writeFileSync(at('custom.onnx'), onnxModel('Frob', 'my.domain', [1, 4]));
  writeFileSync(at('made-up.onnx'), onnxModel('Frob', '', [1, 4]));
  writeFileSync(at('huge.onnx'), onnxModel('Relu', '', [2 ** 20, 2 ** 20]));
  writeFileSync(at('big.onnx'), onnxModel('Relu', '', [2 ** 16, 2 ** 16]));
  writeFileSync(at('not.json'), '{ not json');
  writeFileSync(at('array.json'), '[1, 2]');
  writeFileSync(at('bad-pattern.json'), JSON.stringify({ format: 'egraph-workload/1', name: 'w', start_terms: ['(f a'], rules: [{ name: 'r', lhs: '(f ?x)', rhs: '?x' }] }));
});

describe('bad input a user can cause: a typed error with a hint, exit 2, no "internal error"', () => {
  const cases: [string, string[], RegExp][] = [
    ['a custom-domain op under --verify', ['optimize', at('custom.onnx'), '-o', at('o1.onnx')], /my\.domain:Frob is a custom op[\s\S]*at last[\s\S]*--no-verify/],
    ['an op onnxruntime does not know under --verify', ['optimize', at('made-up.onnx'), '-o', at('o2.onnx')], /onnxruntime has no kernel[\s\S]*Frob[\s\S]*--no-verify/],
    [
      'a 2^40-element tensor under --verify',
      ['optimize', at('huge.onnx'), '-o', at('o3.onnx')],
      /x float32\[1048576, 1048576\] has 1\.10e\+12 elements[\s\S]*--overwrite-input-shapes/,
    ],
    // 16 GiB per tensor: an array holds it, the default budget does not; known before saturation starts.
    ['a 2^32-element tensor under --verify', ['optimize', at('big.onnx'), '-o', at('o4.onnx')], /checking the result needs about \d+ [GMK]iB[\s\S]*--max-memory/],
    ['saturate on a missing file', ['saturate', at('missing.json')], /cannot read workload file[\s\S]*ENOENT[\s\S]*hint: check the path/],
    ['saturate on a file that is not JSON', ['saturate', at('not.json')], /not JSON[\s\S]*hint:/],
    ['saturate on JSON that is not a workload', ['saturate', at('array.json')], /must be a JSON object/],
    ['saturate on a workload with a broken pattern', ['saturate', at('bad-pattern.json')], /column/],
    ['an output folder that does not exist', ['optimize', 'zoo:gpt2', '-o', at('no/such/o.json')], /folder of .* does not exist/],
  ];
  it.each(cases)('%s', async (_what, argv, message) => {
    const r = await run(...argv);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /); // one paragraph, no stack
  });
});
