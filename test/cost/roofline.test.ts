import { describe, expect, it } from 'vitest';
import { roofline } from '../../src/cost/roofline.js';
import { CostModelError } from '../../src/cost/errors.js';
import { getOp, resolveAttrs } from '../../src/ops/registry.js';
import type { TensorType } from '../../src/ops/types.js';

const t = (dtype: TensorType['dtype'], ...shape: (number | string)[]): TensorType => ({ dtype, shape });
const h100 = roofline('h100-sxm');
// H100 SXM: float16 tensor core 989.4e12 FLOP/s, float32 67e12 FLOP/s, 3.35e12 B/s, 3 µs launch.

describe('roofline on H100 SXM, hand-computed', () => {
  it('matmul fp16 [1024,1024]·[1024,1024] is compute-bound', () => {
    // FLOPs 2·1024³ = 2147483648 → 2147483648 / 989.4e12 s = 2.170490...µs;
    // bytes 3 · 1024² · 2 = 6291456 → 1.878046...µs; total = 2.170490 + 3.
    const cost = h100.nodeCost('MatMul', {}, [t('float16', 1024, 1024), t('float16', 1024, 1024)], [t('float16', 1024, 1024)]);
    expect(cost).toBeCloseTo(2147483648 / 989.4e6 + 3, 9);
    expect(cost).toBeCloseTo(5.17049, 4);
  });

  it('elementwise Add fp32 [1024,1024] is memory-bound', () => {
    // bytes 3 · 1024² · 4 = 12582912 → 12582912 / 3.35e12 s = 3.756093...µs; FLOPs 1024² → 0.0157µs.
    const cost = h100.nodeCost('Add', {}, [t('float32', 1024, 1024), t('float32', 1024, 1024)], [t('float32', 1024, 1024)]);
    expect(cost).toBeCloseTo(12582912 / 3.35e6 + 3, 9);
    expect(cost).toBeCloseTo(6.756093, 5);
  });

  it('FusedLinear fp16 with bias and relu costs its matmul plus one launch, less than three kernels', () => {
    const attrs = resolveAttrs(getOp('FusedLinear'), { activation: 'relu' });
    const x = t('float16', 1024, 1024);
    const bias = t('float16', 1024);
    // FLOPs 2·1024³ + (1 bias + 1 relu)·1024² = 2149580800 → 2.172609...µs, compute-bound.
    const fused = h100.nodeCost('FusedLinear', attrs, [x, x, bias], [x]);
    expect(fused).toBeCloseTo(2149580800 / 989.4e6 + 3, 9);
    const unfused = h100.nodeCost('MatMul', {}, [x, x], [x]) + h100.nodeCost('Add', {}, [x, bias], [x]) + h100.nodeCost('Relu', {}, [x], [x]);
    expect(fused).toBeLessThan(unfused);
  });

  it('binds symbolic dims from symbolValues, 1 by default', () => {
    const w = t('float16', 1024, 1024);
    const bound = roofline('h100-sxm', { symbolValues: { batch: 4096 } });
    expect(bound.nodeCost('MatMul', {}, [t('float16', 'batch', 1024), w], [t('float16', 'batch', 1024)])).toBe(
      h100.nodeCost('MatMul', {}, [t('float16', 4096, 1024), w], [t('float16', 4096, 1024)]),
    );
    expect(h100.nodeCost('MatMul', {}, [t('float16', 'batch', 1024), w], [t('float16', 'batch', 1024)])).toBe(
      h100.nodeCost('MatMul', {}, [t('float16', 1, 1024), w], [t('float16', 1, 1024)]),
    );
  });

  it('prices inputs as free and unknown ops as a typed error', () => {
    expect(h100.nodeCost('Input', {}, [], [t('float32', 8)])).toBe(0);
    expect(() => h100.nodeCost('NoSuchOp', {}, [], [])).toThrow(CostModelError);
  });
});
