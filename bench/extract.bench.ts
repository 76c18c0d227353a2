/**
 * Extraction benchmark: every extraction-gym e-graph in ../shared × {tree, dag, ilp (60 s)}: DAG cost,
 * time, ILP status and gap, beside the best-known DAG costs published for these files (see
 * ../shared/data/extraction-gym/README.md). Run: npx tsx bench/extract.bench.ts [ilpLimitMs]
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { extract } from '../src/extract/extract.js';
import type { ExtractorName } from '../src/extract/selection.js';
import { loadExtractionGym } from '../src/io/extraction-gym.js';
import { SHARED_DIR } from '../test/support/shared.js';
import { writeResults, type Row } from './report.js';

/** Best-known DAG costs and how they are known (README of the data folder). */
const BEST_KNOWN: Record<string, { cost: number; proven: boolean; greedyDag?: number }> = {
  'tensat/bert.json': { cost: 0.7047199767839629, proven: true, greedyDag: 0.82470399630256 },
  'tensat/resnet50.json': { cost: 4.385794964760862, proven: true, greedyDag: 4.396866964176297 },
  'tensat/vgg.json': { cost: 4.850757016778516, proven: false, greedyDag: 4.850757016778516 },
  'tensat/resnet50_acyclic.json': { cost: 4.41599300802045, proven: true },
  'tensat/vgg_acyclic.json': { cost: 4.866774947848171, proven: true },
  'rover/box_filter_5iteration_egraph.json': { cost: 1819, proven: true, greedyDag: 1819 },
  'flexc/757f44bf-7134-426f-9d2f-71bc2dec1b36.json': { cost: 35, proven: true, greedyDag: 35 },
  'diospyros/simple_vec_add_root_7.json': { cost: 1.205, proven: true, greedyDag: 1.205 },
  'egg/math_simplify_factor.json': { cost: 5, proven: true },
  'dummy_examples/loop.json': { cost: 5, proven: true },
};

const ilpLimitMs = Number(process.argv[2] ?? 60_000);
if (!SHARED_DIR) {
  console.log('skipped: ../shared is not beside this clone');
  process.exit(0);
}
const dir = join(SHARED_DIR, 'data', 'extraction-gym');
const files = readdirSync(dir, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((d) =>
    readdirSync(join(dir, d.name))
      .filter((f) => f.endsWith('.json'))
      .map((f) => `${d.name}/${f}`),
  )
  .sort();

const rows: Row[] = [];
for (const file of files) {
  const { problem } = loadExtractionGym(join(dir, file));
  const row: Row = { file, nodes: problem.nodeCount, classes: problem.classCount };
  for (const extractor of ['tree', 'dag', 'ilp'] as ExtractorName[]) {
    const s = await extract(problem, { extractor, timeLimitMs: ilpLimitMs });
    row[`${extractor} cost`] = s.cost;
    row[`${extractor} ms`] = Math.round(s.timeMs);
    if (extractor === 'ilp') {
      row['ilp status'] = s.status;
      row['ilp gap'] = s.gap;
    }
  }
  const known = BEST_KNOWN[file];
  row['best known'] = known?.cost ?? null;
  row['best proven'] = known ? known.proven : null;
  row['faster-greedy-dag'] = known?.greedyDag ?? null;
  rows.push(row);
  console.log(JSON.stringify(row));
}

writeResults('extract', 'Extraction on extraction-gym e-graphs', rows, {
  notes: [
    `ILP time limit ${ilpLimitMs / 1000} s per file (HiGHS ${'wasm'}, single-threaded). Costs are DAG costs recomputed by dagCost.`,
    'ILP: reduction (no acyclic term, self-loops, dominated nodes, unreachable classes, forced loops through single-node classes; single-node classes collapsed),',
    'cuts over multi-node classes (single-node classes contracted) for all cycles of <= 3 such classes up front, then lazy cuts for the cycles of every',
    'solution HiGHS reports during a solve, warm start from the better greedy.',
    '"best known": ../shared/data/extraction-gym/README.md (CPLEX oracle of the SmoothE artifact, or HiGHS checks there); bert/vgg best-known come from 70 min / 10 h CPLEX runs.',
    'ilp status "time-limit" means the incumbent is not proven optimal; "ilp gap" is (cost - lower bound) / cost.',
  ].join('\n'),
});
