/**
 * RotaryEmbedding exported to ONNX runs in onnxruntime-node as the reference interpreter computes
 * it: standard ops for target 'onnx'; for 'ort', com.microsoft RotaryEmbedding exactly where its
 * position-indexed half-width caches express the tables, the standard ops elsewhere.
 */
import { describe, expect, it } from 'vitest';
import { writeOnnx } from '../../src/io/onnx/export.js';
import { randomArray } from '../../src/interp/random.js';
import * as fused from '../../src/network/functional/fused.js';
import { Network } from '../../src/network/network.js';
import { ropeTables } from '../../src/ops/kernels/rotary.js';
import type { NDArray } from '../../src/ops/types.js';
import { contribOps, expectOrtMatches } from './support/ort-run.js';

const [B, N, S] = [2, 3, 6];

/** Tables [1, 1, S, R] whose row s is position s; interleaved ones repeat each angle for a pair. */
function tables(r: number, interleaved: boolean): { cos: NDArray; sin: NDArray } {
  const t = ropeTables(S, r, 10000);
  const layout = (a: Float32Array) => (interleaved ? Float32Array.from(a, (_, k) => a[Math.floor(k / r) * r + Math.floor((k % r) / 2)]!) : a);
  return { cos: { dtype: 'float32', shape: [1, 1, S, r], data: layout(t.cos) }, sin: { dtype: 'float32', shape: [1, 1, S, r], data: layout(t.sin) } };
}

interface Case {
  name: string;
  d: number;
  r: number;
  interleaved: boolean;
  /** How cos/sin are given: position tables, random constants, or network inputs. */
  trig: 'positions' | 'random' | 'inputs';
  ort: boolean;
}

const CASES: Case[] = [
  { name: 'rotate-half over the whole head', d: 8, r: 8, interleaved: false, trig: 'positions', ort: true },
  { name: 'rotate-half over part of the head', d: 8, r: 4, interleaved: false, trig: 'positions', ort: true },
  { name: 'interleaved pairs', d: 8, r: 8, interleaved: true, trig: 'positions', ort: true },
  { name: 'tables whose pairs differ', d: 8, r: 8, interleaved: false, trig: 'random', ort: false },
  { name: 'tables computed at run time', d: 8, r: 8, interleaved: false, trig: 'inputs', ort: false },
];

function build(c: Case): { network: Network; inputs: Record<string, NDArray> } {
  const network = new Network('rotary');
  const x = network.addInput('x', 'float32', [B, N, S, c.d]);
  const inputs: Record<string, NDArray> = { x: randomArray('float32', [B, N, S, c.d], 5) };
  const given = c.trig === 'random' ? { cos: randomArray('float32', [1, 1, S, c.r], 6), sin: randomArray('float32', [1, 1, S, c.r], 7) } : tables(c.r, c.interleaved);
  const [cos, sin] = (['cos', 'sin'] as const).map((k) => {
    if (c.trig !== 'inputs') return network.addConstant({ ...given[k], name: k });
    inputs[k] = given[k];
    return network.addInput(k, 'float32', given[k].shape);
  });
  network.markOutput(fused.rotaryEmbedding({ input: x, cos: cos!, sin: sin!, interleaved: c.interleaved }), 'y');
  return { network, inputs };
}

describe('RotaryEmbedding in onnxruntime', () => {
  for (const c of CASES) {
    for (const target of ['onnx', 'ort'] as const) {
      it(`${c.name}, target ${target}`, async () => {
        const { network, inputs } = build(c);
        const bytes = writeOnnx(network, { target });
        expect(contribOps(bytes)).toEqual(target === 'ort' && c.ort ? ['RotaryEmbedding'] : []);
        await expectOrtMatches(network, bytes, inputs);
      });
    }
  }
});
