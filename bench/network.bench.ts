/**
 * Builds a 32-layer Llama-7B-shaped network (hidden 4096, 32 heads, 8 KV heads, intermediate 11008,
 * weights without data) with the functional builders and runs three rewrite passes over it:
 * the built-in passes, an analysis of every layer's users and parents, and a clone + JSON round trip.
 * Writes time and heap to network.{json,md} in bench/out/ (bench/results/ when recording: see report.ts). Run with `npx tsx bench/network.bench.ts`.
 */
import { performance } from 'node:perf_hooks';
import { AnalysisPatternManager } from '../src/rewriting/managers.js';
import { PatternAnalyzer } from '../src/rewriting/patterns.js';
import { runBuiltinPasses } from '../src/rewriting/builtin-passes.js';
import type { Layer } from '../src/network/layer.js';
import { Network } from '../src/network/network.js';
import { buildLlama, LLAMA_7B } from '../src/zoo/llama.js';
import { median, writeResults } from './report.js';

/** Touches every edge through getParent/getUsers, the queries TensorRT-LLM made O(layers) each. */
class EdgeCount extends PatternAnalyzer<number> {
  edges = 0;
  constructor() {
    super('edge_count');
  }
  override match(layer: Layer): number {
    let n = 0;
    for (const t of layer.inputs) if (t?.getParent()) n++;
    for (const t of layer.outputs) n += t.getUsers().length;
    return n;
  }
  override analyze(_layer: Layer, n: number): void {
    this.edges += n;
  }
}

function heapMB(): number {
  return process.memoryUsage().heapUsed / 2 ** 20;
}

interface Run {
  buildMs: number;
  builtinPassesMs: number;
  analysisMs: number;
  roundTripMs: number;
  totalMs: number;
  heapMB: number;
  layers: number;
  liveAfter: number;
  rewrites: number;
}

function once(): Run {
  globalThis.gc?.();
  const heap0 = heapMB();
  const t0 = performance.now();
  const net = buildLlama({ ...LLAMA_7B, qkvBias: true });
  const t1 = performance.now();
  const report = runBuiltinPasses(net);
  const t2 = performance.now();
  const counter = new EdgeCount();
  new AnalysisPatternManager().add('edges', counter).analyze(net);
  const t3 = performance.now();
  const copy = Network.fromJSON(JSON.parse(JSON.stringify(net.clone().toJSON())));
  const t4 = performance.now();
  const heap = heapMB() - heap0;
  if (copy.layers.length !== net.layers.length) throw new Error('round trip lost layers');
  return {
    buildMs: t1 - t0,
    builtinPassesMs: t2 - t1,
    analysisMs: t3 - t2,
    roundTripMs: t4 - t3,
    totalMs: t4 - t0,
    heapMB: heap,
    layers: net.allLayers.length,
    liveAfter: net.layers.length,
    rewrites: report.applications.length,
  };
}

once(); // warm-up: JIT and module loading are not what we measure
const runs = Array.from({ length: 7 }, once);
const med = (k: keyof Run) => median(runs.map((r) => r[k]));
const row = {
  network: 'Llama-7B shape, 32 blocks, GQA 32/8, no weight data',
  layers: runs[0]!.layers,
  liveAfter: runs[0]!.liveAfter,
  rewrites: runs[0]!.rewrites,
  buildPlusPassesMs: median(runs.map((r) => r.buildMs + r.builtinPassesMs + r.analysisMs)),
  buildMs: med('buildMs'),
  builtinPassesMs: med('builtinPassesMs'),
  analysisMs: med('analysisMs'),
  cloneJsonRoundTripMs: med('roundTripMs'),
  totalMs: med('totalMs'),
  heapMB: med('heapMB'),
};
writeResults('network', 'Network build and rewrite passes (Llama-7B shape)', [row], {
  notes:
    'Median of 7 runs after a warm-up. The three rewrite passes are the built-in ones (attention-bias fold, then matmul-bias and SwiGLU fusions, 64 rewrites); buildPlusPassesMs adds an analysis touching every edge through getParent/getUsers. The clone + JSON round trip is timed separately. Targets: build + passes under 100 ms, heap under 50 MB. Heap is heapUsed growth during one run (run with --expose-gc for a clean baseline).',
});
console.log(row);
