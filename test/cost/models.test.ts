import { describe, expect, it } from 'vitest';
import { astSize } from '../../src/cost/ast-size.js';
import { DEVICE_IDS, loadDevice } from '../../src/cost/device.js';
import { CostModelError } from '../../src/cost/errors.js';
import { measured } from '../../src/cost/measured.js';
import { nodeCount } from '../../src/cost/node-count.js';
import { roofline } from '../../src/cost/roofline.js';
import type { TensorType } from '../../src/ops/types.js';

const f16 = (...shape: number[]): TensorType => ({ dtype: 'float16', shape });

describe('generic cost models', () => {
  it('nodeCount counts computing nodes; astSize counts every node', () => {
    expect(nodeCount.nodeCost('Add', {}, [f16(2), f16(2)], [f16(2)])).toBe(1);
    expect(nodeCount.nodeCost('Input', {}, [], [f16(2)])).toBe(0);
    expect(astSize.nodeCost('Input', {}, [], [f16(2)])).toBe(1);
  });
});

describe('device files', () => {
  for (const id of DEVICE_IDS) {
    it(`${id} has positive rates and a source for every number`, () => {
      const d = loadDevice(id);
      expect(d.id).toBe(id);
      expect(d.peakFlops.float32).toBeGreaterThan(0);
      expect(d.memoryBandwidth).toBeGreaterThan(0);
      for (const key of ['peakFlops', 'memoryBandwidth', 'launchOverheadUs']) expect(d.source[key]).toMatch(/\w/);
    });
  }
  it('rejects unknown devices', () => {
    expect(() => loadDevice('tpu' as never)).toThrow(CostModelError);
  });
});

describe('measured cost tables', () => {
  const table = {
    device: 'h100-sxm' as const,
    entries: [
      {
        op: 'MatMul',
        dtype: 'float16' as const,
        inputs: [
          [2048, 1024],
          [1024, 1024],
        ],
        us: 10,
      },
      {
        op: 'MatMul',
        dtype: 'float16' as const,
        inputs: [
          [8192, 1024],
          [1024, 1024],
        ],
        us: 40,
      },
    ],
  };
  const matmul = (m: number) => [[f16(m, 1024), f16(1024, 1024)], [f16(m, 1024)]] as const;

  it('returns measured times and interpolates between sizes', () => {
    const model = measured(table, { onWarning: () => {} });
    expect(model.nodeCost('MatMul', {}, ...matmul(2048))).toBe(10);
    expect(model.nodeCost('MatMul', {}, ...matmul(8192))).toBe(40);
    // All three are compute-bound; 5120 rows sits halfway in FLOPs (the roofline time) between 2048 and 8192.
    expect(model.nodeCost('MatMul', {}, ...matmul(5120))).toBeCloseTo(25, 6);
  });

  it('falls back to roofline with one warning per op kind', () => {
    const warnings: string[] = [];
    const model = measured(table, { onWarning: (m) => warnings.push(m) });
    const big = matmul(32768);
    expect(model.nodeCost('MatMul', {}, ...big)).toBe(roofline('h100-sxm').nodeCost('MatMul', {}, ...big));
    model.nodeCost('MatMul', {}, ...big);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/MatMul.*roofline\(h100-sxm\)/);
  });

  it('rejects a bad entry naming it', () => {
    expect(() =>
      measured({
        device: 'h100-sxm',
        entries: [
          {
            op: 'MatMul',
            dtype: 'float16',
            inputs: [
              [2, 2],
              [2, 2],
            ],
            us: -1,
          },
        ],
      }),
    ).toThrow(/entry 0 \(MatMul\)/);
  });
});
