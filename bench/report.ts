/**
 * Writes a benchmark's figures to <results>/<name>.json and <name>.md (a markdown table), where
 * <results> is bench/out/ (git-ignored) unless the run records (`npm run bench -- --record`): then
 * the tracked bench/results/, so a trial run never rewrites the recorded figures.
 * Benchmarks measure and record; nothing here asserts a time.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type Row = Record<string, string | number | boolean | null>;

/** run-all's flag for a run whose figures are kept; it reaches each benchmark as RECORD_ENV=1. */
export const RECORD_FLAG = '--record';
export const RECORD_ENV = 'NETSAT_BENCH_RECORD';

/** bench/results/ when recording, else bench/out/. */
export function resultsDir(record: boolean): string {
  return join(dirname(fileURLToPath(import.meta.url)), record ? 'results' : 'out');
}

/** run-all's command line: benchmark names to run (all when none) and whether to record. */
export function benchArgs(argv: readonly string[]): { only: string[]; record: boolean } {
  return { only: argv.filter((a) => a !== RECORD_FLAG), record: argv.includes(RECORD_FLAG) };
}

export const RESULTS_DIR = resultsDir(process.env[RECORD_ENV] === '1');

/** The machine a figure was measured on, recorded beside it. */
export function machine() {
  return {
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    date: new Date().toISOString(),
  };
}

function cell(v: Row[string]): string {
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toPrecision(4);
  return v === null ? '' : String(v);
}

export function markdownTable(rows: readonly Row[]): string {
  if (rows.length === 0) return '(no rows)\n';
  const cols = Object.keys(rows[0]!);
  const head = `| ${cols.join(' | ')} |\n|${cols.map(() => '---').join('|')}|\n`;
  return `${head + rows.map((r) => `| ${cols.map((c) => cell(r[c] ?? null)).join(' | ')} |`).join('\n')}\n`;
}

/** Writes the JSON (rows + machine + extra) and a markdown page with `title`, `notes` and the table. */
export function writeResults(name: string, title: string, rows: readonly Row[], extra: { notes?: string; data?: unknown } = {}): void {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const meta = machine();
  writeFileSync(join(RESULTS_DIR, `${name}.json`), `${JSON.stringify({ name, machine: meta, rows, data: extra.data ?? null }, null, 2)}\n`);
  const md = `# ${title}\n\nMeasured ${meta.date} on ${meta.cores} × ${meta.cpu}, Node ${meta.node}.\n\n${extra.notes ? `${extra.notes}\n\n` : ''}${markdownTable(rows)}`;
  writeFileSync(join(RESULTS_DIR, `${name}.md`), md);
}

/** Median of a list of numbers. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
