/** The matrix as CSV (RFC 4180): one row per cell, the columns of cellColumns. */
import { cellColumns } from './cell-columns.js';
import type { Column } from './cell-columns.js';
import type { BenchResult } from './result.js';

function csvField(value: Column): string {
  const text = value === null ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function benchCsv(result: BenchResult): string {
  const rows = result.cells.map(cellColumns);
  const header = Object.keys(rows[0] ?? {});
  return [header, ...rows.map((r) => header.map((h) => r[h] ?? null))].map((r) => `${r.map(csvField).join(',')}\r\n`).join('');
}
