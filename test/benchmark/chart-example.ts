/**
 * The example chart in docs/bench-chart-example.svg: a made-up 4 x 5 bench matrix with spreads, a
 * slowdown and a failed cell. Run `npx tsx test/benchmark/chart-example.ts` to write it again after
 * changing the chart; chart.test.ts checks the file matches.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type ChartBar, speedupChart } from '../../src/benchmark/chart.js';

export const EXAMPLE_PATH = fileURLToPath(new URL('../../docs/bench-chart-example.svg', import.meta.url));

const STRATEGIES = ['rules only', 'tree greedy', 'DAG greedy', 'ILP', 'onnxruntime'];
/** Median speedup and its spread over runs, per model and strategy; undefined: failed. */
const FIGURES: Record<string, ([number, number, number] | undefined)[]> = {
  llama: [
    [1.42, 1.38, 1.47],
    [1.95, 1.88, 2.03],
    [2.31, 2.22, 2.38],
    [2.36, 2.25, 2.44],
    [1.61, 1.55, 1.66],
  ],
  bert: [[1.18, 1.12, 1.22], [1.52, 1.47, 1.58], [1.74, 1.69, 1.81], undefined, [1.69, 1.63, 1.73]],
  gpt2: [
    [1.09, 1.04, 1.13],
    [1.37, 1.3, 1.41],
    [1.44, 1.39, 1.5],
    [1.46, 1.4, 1.53],
    [1.28, 1.22, 1.33],
  ],
  'squeezenet-fire': [
    [0.94, 0.9, 0.98],
    [1.06, 1.01, 1.1],
    [1.12, 1.08, 1.17],
    [1.13, 1.07, 1.18],
    [1.21, 1.16, 1.25],
  ],
};

export const EXAMPLE_BARS: ChartBar[] = Object.entries(FIGURES).flatMap(([group, row]) =>
  row.map((f, i) =>
    f === undefined
      ? { group, series: STRATEGIES[i]!, value: undefined, note: 'failed: ILP time limit (60 s)' }
      : { group, series: STRATEGIES[i]!, value: f[0], low: f[1], high: f[2] },
  ),
);

export function exampleChart(): string {
  return speedupChart(EXAMPLE_BARS, { title: 'netsat bench (example data): speedup over the unoptimized network', valueLabel: 'measured speedup (x)' });
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) writeFileSync(EXAMPLE_PATH, exampleChart());
