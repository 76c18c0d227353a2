/**
 * End-to-end optimize on Llama-7B-shaped exported networks (shape-only weights, verification off)
 * of 4, 8, 16 and 32 layers, and on the four small zoo blocks: time per stage, heap peak, layers
 * before/after, predicted speedup; and the growth exponent of time against layers (least squares
 * on log-log). Run: npx tsx bench/optimize.bench.ts
 */
import { optimizeSync } from '../src/optimize.js';
import type { Network } from '../src/network/network.js';
import { buildExportedLlama } from '../src/zoo/llama-exported.js';
import { LLAMA_7B } from '../src/zoo/llama.js';
import { ZOO } from '../src/zoo/catalog.js';
import type { Row } from './report.js';
import { writeResults } from './report.js';

const SEQ = 128;
const LAYERS = [4, 8, 16, 32];

/** Heap in use, sampled at the stage boundary optimize exposes (after saturation) and at the end. */
function heapPeak(): { sample: () => void; peakMiB: () => number } {
  global.gc?.();
  const start = process.memoryUsage().heapUsed;
  let peak = start;
  const sample = () => void (peak = Math.max(peak, process.memoryUsage().heapUsed));
  return { sample, peakMiB: () => (sample(), (peak - start) / 2 ** 20) };
}

function measure(name: string, layers: number | null, build: () => Network): Row {
  const network = build();
  const heap = heapPeak();
  const { report } = optimizeSync(network, { verify: false, explanations: false, onSaturated: heap.sample });
  const t = report.times;
  const row: Row = {
    network: name,
    blocks: layers,
    layersBefore: report.layers.before,
    layersAfter: report.layers.after,
    enodes: report.egraph.enodes,
    stop: report.runner.stopReason,
    toEGraphMs: Math.round(t.toEGraphMs),
    saturateMs: Math.round(t.saturateMs),
    extractMs: Math.round(t.extractMs),
    lowerMs: Math.round(t.lowerMs),
    totalMs: Math.round(t.totalMs),
    heapPeakMiB: Math.round(heap.peakMiB()),
    speedup: Number(report.cost.speedup.toFixed(2)),
  };
  console.log(JSON.stringify(row));
  return row;
}

const rows: Row[] = [];
for (const n of LAYERS) rows.push(measure(`llama-7b x${n} (exported, seq ${SEQ})`, n, () => buildExportedLlama({ ...LLAMA_7B, layers: n, seq: SEQ })));
for (const [name, build] of Object.entries(ZOO)) rows.push(measure(name, null, build));

// Growth exponent: slope of log(total time) against log(blocks).
const xs = LAYERS.map(Math.log);
const ys = rows.slice(0, LAYERS.length).map((r) => Math.log(r['totalMs'] as number));
const mx = xs.reduce((a, b) => a + b) / xs.length;
const my = ys.reduce((a, b) => a + b) / ys.length;
const slope = xs.reduce((s, x, i) => s + (x - mx) * (ys[i]! - my), 0) / xs.reduce((s, x) => s + (x - mx) ** 2, 0);
const notes = `Time grows as blocks^${slope.toFixed(2)} (least squares on log-log over ${LAYERS.join(', ')} blocks). Weights are shape-only; verification and explanations off; default limits (20 iterations, 100 000 e-nodes, 10 s).`;
console.log(notes);
writeResults('optimize', 'End-to-end optimize (exported Llama-7B shapes and zoo blocks)', rows, { notes, data: { exponent: slope } });
