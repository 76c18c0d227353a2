import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BenchResult } from '../../src/benchmark/result.js';
import { tensatSuitePage } from '../../src/benchmark/tensat-suite.js';

const RESULTS = join(import.meta.dirname, '..', '..', 'bench', 'results');
const recorded = JSON.parse(readFileSync(join(RESULTS, 'fusion-matrix.json'), 'utf8')) as BenchResult;

describe('the TENSAT comparison page', () => {
  it('is what the recorded run makes of the recorded matrix', () => {
    expect(tensatSuitePage(recorded)).toBe(readFileSync(join(RESULTS, 'tensat-suite.md'), 'utf8'));
  });

  it('has a row per TENSAT model under all, a failed cell saying so, and no page without them', () => {
    const page = tensatSuitePage(recorded)!;
    expect(page.match(/^\| (BERT|ResNeXt-50|NasNet-A|NasRNN|Inception-v3|SqueezeNet|VGG-19) \|/gm)).toHaveLength(7);
    const failing = recorded.cells.map((c) => (c.model === 'nasrnn' && c.strategy === 'all' ? { ...c, failure: { kind: 'limit' as const, message: 'x' } } : c));
    expect(tensatSuitePage({ ...recorded, cells: failing })).toMatch(/^\| NasRNN \| 68\.9% \| 45\.4% \| failed \(limit\) \|/m);
    expect(tensatSuitePage({ ...recorded, cells: recorded.cells.filter((c) => c.strategy !== 'all') })).toBeUndefined();
  });
});
