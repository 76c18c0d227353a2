/**
 * The matrix as a markdown page: how it was run (versions, machine, seed), the strategies, one
 * row per cell, and a note for every failed or unmeasured cell.
 */
import { fusedOpsText } from './cell-columns.js';
import type { BenchResult, CellResult, Spread } from './result.js';
import type { Strategy } from './strategy.js';

const x = (v: number) => `${v.toFixed(2)}x`;
const ms = (v: number) => (v >= 100 ? v.toFixed(0) : v.toPrecision(2));

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(header), `|${header.map(() => '---').join('|')}|`, ...rows.map(line)].join('\n');
}

function strategyRow(s: Strategy): string[] {
  const l = s.limits;
  return [s.name, String(s.version), s.rules.join(', ') || '(none)', `${l.iterations} iterations, ${l.nodes} e-nodes, ${l.timeMs / 1000} s`, s.extractor, s.device, s.description];
}

const spreadText = (s: Spread) => `${x(s.median)} (${s.low.toFixed(2)}-${s.high.toFixed(2)})`;

function cellRow(c: CellResult, multiDevice: boolean): string[] {
  const failed = c.failure ? `failed (${c.failure.kind})` : '';
  const p = c.predicted;
  const s = c.stagesMs;
  return [
    c.model,
    multiDevice ? `${c.strategy} @ ${c.device}` : c.strategy,
    p ? x(p.speedup) : failed,
    p ? `${ms(p.before)} → ${ms(p.after)}` : '',
    c.layers ? `${c.layers.before} → ${c.layers.after}` : '',
    fusedOpsText(c.fusedOps),
    c.egraph ? String(c.egraph.enodes) : '',
    c.iterations === null ? '' : `${c.iterations}, ${c.stopReason}`,
    c.optimizeMs === null ? '' : `${ms(c.optimizeMs)} (${ms(s['saturate'] ?? 0)} / ${ms((s['extraction problem'] ?? 0) + (s['extract'] ?? 0))})`,
    c.extraction ? `${c.extraction.cost.toPrecision(4)}${c.extraction.gap === null ? '' : `, gap ${(c.extraction.gap * 100).toFixed(1)}%`}` : '',
    c.failure?.kind === 'verification' ? 'FAILED' : c.verification.result,
    c.measured ? spreadText(c.measured.speedup) : '',
    c.measured ? `${ms(c.measured.originalMs.median)} → ${ms(c.measured.optimizedMs.median)}` : '',
    (c.wallMs / 1000).toFixed(1),
  ];
}

const geomean = (xs: readonly number[]) => Math.exp(xs.reduce((a, v) => a + Math.log(v), 0) / xs.length);

/** Per strategy (and device): geometric means of the predicted and measured speedups, and failures. */
function summaryRow(cells: readonly CellResult[]): string[] {
  const predicted = cells.flatMap((c) => (c.predicted ? [c.predicted.speedup] : []));
  const measured = cells.flatMap((c) => (c.measured ? [c.measured.speedup.median] : []));
  const best = cells.reduce<CellResult | undefined>((b, c) => ((c.predicted?.speedup ?? 0) > (b?.predicted?.speedup ?? 0) ? c : b), undefined);
  return [
    `${cells[0]!.strategy} @ ${cells[0]!.device}`,
    predicted.length ? x(geomean(predicted)) : '',
    best?.predicted ? `${best.model} (${x(best.predicted.speedup)})` : '',
    measured.length ? `${x(geomean(measured))} (${measured.length} cells)` : '',
    `${cells.filter((c) => c.failure).length} of ${cells.length}`,
  ];
}

function summary(cells: readonly CellResult[]): string {
  const groups = new Map<string, CellResult[]>();
  for (const c of cells) groups.set(`${c.strategy}@${c.device}`, [...(groups.get(`${c.strategy}@${c.device}`) ?? []), c]);
  return table(['strategy', 'predicted speedup (geometric mean)', 'best predicted', 'measured speedup (geometric mean)', 'failed'], [...groups.values()].map(summaryRow));
}

function notes(cells: readonly CellResult[]): string {
  const lines = cells.flatMap((c) => {
    const key = `${c.model} / ${c.strategy} @ ${c.device}`;
    return [
      ...(c.failure ? [`- ${key}: failed (${c.failure.kind}): ${c.failure.message}`] : []),
      ...(c.verification.note ? [`- ${key}: verification ${c.verification.result}: ${c.verification.note}`] : []),
      ...(c.measuredNote ? [`- ${key}: ${c.measuredNote}`] : []),
    ];
  });
  return lines.length ? `## Notes\n\n${lines.join('\n')}\n` : '';
}

export function benchMarkdown(result: BenchResult, title = 'netsat bench: fusion strategies'): string {
  const e = result.environment;
  const st = result.settings;
  const multiDevice = new Set(result.cells.map((c) => c.device)).size > 1;
  const measured = st.measure
    ? `measured: onnxruntime-node on the CPU, ${st.warmup} warm-up runs, ${st.repeats} interleaved rounds (median and 25th-75th percentiles of the per-round speedup)`
    : 'not measured';
  return `# ${title}

Run ${e.date} on ${e.cores} × ${e.cpu} (${e.memoryGiB} GiB, ${e.platform}): netsat ${e.netsat}, Node ${e.node}, onnxruntime ${e.onnxruntime}; seed ${st.seed}, ${st.jobs} job(s), memory budget ${Math.round(st.maxMemoryBytes / 2 ** 20)} MiB; ${(result.wallMs / 1000).toFixed(0)} s in all. ${measured}.

Predicted speedup and latency are the roofline cost model's (µs on the strategy's device) for the network as built (full size where the zoo builds it so); measured figures are onnxruntime's on the model's small weighted copy where it has one. Optimize ms is the whole optimization without the check (saturation / extraction in brackets); cell s is the wall time of everything the cell did (builds, optimizations, checks, timing). Extraction is the extractor's cost, and the ILP's gap where it ran.

## Strategies

${table(['strategy', 'version', 'rules', 'limits', 'extractor', 'device', 'what'], result.strategies.map(strategyRow))}

## Summary

${summary(result.cells)}

## Cells

${table(
  [
    'model',
    'strategy',
    'predicted',
    'predicted µs',
    'layers',
    'fused ops',
    'e-nodes',
    'iterations, stop',
    'optimize ms (sat. / extr.)',
    'extraction',
    'verified',
    'measured (IQR)',
    'measured ms',
    'cell s',
  ],
  result.cells.map((c) => cellRow(c, multiDevice)),
)}

${notes(result.cells)}`;
}
