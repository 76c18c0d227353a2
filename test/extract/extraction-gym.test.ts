import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { extract } from '../../src/extract/extract.js';
import { checkSelection, dagCost, type ExtractorName } from '../../src/extract/selection.js';
import { loadExtractionGym } from '../../src/io/extraction-gym.js';
import { describeShared, SHARED_DIR } from '../support/shared.js';

/** ILP optima listed in ../shared/data/extraction-gym/README.md for the small files. */
const SMALL_OPTIMA: Record<string, number> = {
  'dummy_examples/loop.json': 5,
  'egg/math_simplify_factor.json': 5,
  'diospyros/simple_vec_add_root_7.json': 1.205,
  'tensat/vgg_acyclic.json': 4.866774947848171,
  'tensat/resnet50_acyclic.json': 4.41599300802045,
};

function gymFiles(): string[] {
  if (!SHARED_DIR) return [];
  const dir = join(SHARED_DIR, 'data', 'extraction-gym');
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) =>
      readdirSync(join(dir, d.name))
        .filter((f) => f.endsWith('.json'))
        .map((f) => `${d.name}/${f}`),
    )
    .sort();
}

describeShared('extractors on the extraction-gym files', () => {
  const dir = SHARED_DIR ? join(SHARED_DIR, 'data', 'extraction-gym') : '';

  it('finds all eleven files', () => {
    expect(gymFiles()).toHaveLength(11);
  });

  for (const file of gymFiles()) {
    it(`${file}: every extractor returns a valid acyclic selection priced by dagCost`, async () => {
      const { problem } = loadExtractionGym(join(dir, file));
      for (const extractor of ['tree', 'dag', 'ilp'] as ExtractorName[]) {
        // Short ILP budgets: validity is the point here; optimality is checked on the small files.
        const s = await extract(problem, { extractor, timeLimitMs: 1500 });
        checkSelection(problem, s.choice);
        expect(s.cost).toBe(dagCost(problem, s.choice));
        expect(s.extractor).toBe(extractor);
      }
    }, 60_000);
  }

  for (const [file, optimum] of Object.entries(SMALL_OPTIMA)) {
    it(`${file}: ILP proves the listed optimum ${optimum}`, async () => {
      const { problem } = loadExtractionGym(join(dir, file));
      const s = await extract(problem, { extractor: 'ilp', timeLimitMs: 30_000 });
      expect(s.status).toBe('optimal');
      expect(s.gap).toBeCloseTo(0, 6);
      expect(s.cost).toBeCloseTo(optimum, 9);
    }, 60_000);
  }
});
