/**
 * Writes a benchmark's outputs into a folder: <name>.md (the table), .csv, .json (netsat-bench/1,
 * see bench-schema.ts) and the speedup charts: <name>.svg (predicted) and, when any cell was
 * timed, <name>.measured.svg; and tensat-suite.md when the TENSAT models ran under `all`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchCsv } from './csv.js';
import { benchCharts } from './charts.js';
import { benchMarkdown } from './markdown.js';
import type { BenchResult } from './result.js';
import { tensatSuitePage } from './tensat-suite.js';

/** Writes the files and returns their paths. */
export function writeBenchOutputs(result: BenchResult, dir: string, name = 'fusion-matrix'): string[] {
  mkdirSync(dir, { recursive: true });
  const charts = benchCharts(result);
  const tensat = tensatSuitePage(result);
  const files: [string, string][] = [
    [`${name}.md`, benchMarkdown(result)],
    [`${name}.csv`, benchCsv(result)],
    [`${name}.json`, `${JSON.stringify(result, null, 2)}\n`],
    [`${name}.svg`, charts.predicted],
    ...(charts.measured ? [[`${name}.measured.svg`, charts.measured] as [string, string]] : []),
    ...(tensat ? [['tensat-suite.md', tensat] as [string, string]] : []),
  ];
  return files.map(([file, text]) => {
    const path = join(dir, file);
    writeFileSync(path, text);
    return path;
  });
}
