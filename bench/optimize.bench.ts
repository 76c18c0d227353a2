/**
 * optimize at depth: 1 to 64 blocks of four architectures as exported (Llama-7B, Qwen2-7B,
 * Phi-3-mini, BERT-base), default settings (explanations on, verification on, the 1 GiB budget),
 * each row in its own process. Full width has shape-only weights, whose check (every weight drawn)
 * does not fit 1 GiB beyond a few blocks: those rows say so, and the small-width rows (each block's
 * structure at width 64, seeded weights) are verified at every depth. Records per row the e-nodes
 * saturation added per block, time per stage and peak memory, and per architecture the growth
 * exponents of time and memory (least squares on log-log).
 * Run: npm run bench -- optimize
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ARCHITECTURES } from '../src/zoo/architectures.js';
import type { Row } from './report.js';
import { writeResults } from './report.js';

const BLOCKS = [1, 4, 8, 16, 32, 64];
const rowScript = join(dirname(fileURLToPath(import.meta.url)), 'optimize-row.ts');

function measure(architecture: string, blocks: number, width: 'full' | 'small'): Row {
  const r = spawnSync(process.execPath, ['--import', 'tsx', rowScript, architecture, String(blocks), width], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const line = r.stdout.trim().split('\n').pop() ?? '';
  if (r.status !== 0 || !line.startsWith('{')) return { architecture, width, blocks, error: (r.stderr || r.stdout).trim().split('\n').slice(-3).join(' ') };
  console.log(line);
  return JSON.parse(line) as Row;
}

/** Slope of log(y) against log(blocks). */
function exponent(rows: readonly Row[], key: string): number {
  const xs = rows.map((r) => Math.log(r['blocks'] as number));
  const ys = rows.map((r) => Math.log(r[key] as number));
  const mx = xs.reduce((a, b) => a + b) / xs.length;
  const my = ys.reduce((a, b) => a + b) / ys.length;
  return xs.reduce((s, x, i) => s + (x - mx) * (ys[i]! - my), 0) / xs.reduce((s, x) => s + (x - mx) ** 2, 0);
}

const rows: Row[] = [];
const fits: Row[] = [];
for (const width of ['full', 'small'] as const) {
  for (const architecture of ARCHITECTURES) {
    const measured = BLOCKS.map((b) => measure(architecture, b, width));
    rows.push(...measured);
    const ok = measured.filter((r) => r['error'] === undefined);
    if (ok.length < 2) continue;
    const added = ok.map((r) => r['addedPerBlock'] as number);
    const allVerified = ok.every((r) => r['verified'] === 'yes');
    fits.push({
      architecture,
      width,
      optimizeTimeExponent: Number(exponent(ok, 'optimizeMs').toFixed(2)),
      totalTimeExponent: allVerified ? Number(exponent(ok, 'totalMs').toFixed(2)) : 'n/a (checked at some depths only)',
      memoryExponent: Number(exponent(ok, 'runMiB').toFixed(2)),
      addedPerBlockAt1: added[0]!,
      addedPerBlockAt64: added[added.length - 1]!,
      spread: `${(((Math.max(...added) - Math.min(...added)) / added[0]!) * 100).toFixed(1)} %`,
    });
  }
}
console.table(fits);
const notes = [
  "Default settings: explanations on, verification on, the 1 GiB memory budget, default saturation limits (20 iterations, 100 000 e-nodes, 10 s). Each row runs in its own process; peakMiB is that process's peak resident memory (Node, tsx and the libraries included), runMiB its rise during optimize.",
  'Full width: shape-only weights (seq 128). Checking draws every weight, which does not fit 1 GiB beyond a block or so of these widths: such rows say "no" and how much the check would need. Small width: the same blocks at width 64 with seeded weights, all verified.',
  '',
  'Growth per architecture (exponents: least squares of log(y) on log(blocks), for the time without the check (optimizeMs), the whole time where every depth was checked (totalMs), and runMiB; spread: of e-nodes added per block, over all depths):',
  '',
  ...[
    `| ${Object.keys(fits[0] ?? {}).join(' | ')} |`,
    `|${Object.keys(fits[0] ?? {})
      .map(() => '---')
      .join('|')}|`,
    ...fits.map((f) => `| ${Object.values(f).join(' | ')} |`),
  ],
].join('\n');
writeResults('optimize', 'optimize at depth: four architectures, 1 to 64 blocks', rows, { notes, data: { fits } });
