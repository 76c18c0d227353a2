/**
 * Saturates the tensor e-graphs of the four block networks (exported forms) and of 32-layer
 * Llama-7B-shaped networks (TensorRT-LLM's builder form, and the exported form at seq 128) with
 * every shipped rule under the default limits; writes e-nodes, e-classes, iterations, stop
 * reason, time and heap per network to saturate.{json,md} in bench/out/ (bench/results/ when recording).
 * Run with `npm run bench -- saturate` (which passes --expose-gc for the heap figure).
 */
import { performance } from 'node:perf_hooks';
import { networkToEGraph } from '../src/lower/to-egraph.js';
import type { Network } from '../src/network/network.js';
import { shippedRuleFiles } from '../src/rules/library.js';
import { saturateEGraph, DEFAULT_LIMITS } from '../src/tensor/saturate.js';
import { buildBertBlock, TINY_BERT } from '../src/zoo/bert.js';
import { buildGpt2Block, TINY_GPT2 } from '../src/zoo/gpt2.js';
import { buildLlama, LLAMA_7B } from '../src/zoo/llama.js';
import { buildExportedLlama, EXPORTED_LLAMA_EXAMPLE } from '../src/zoo/llama-exported.js';
import { buildFireModule, TINY_FIRE } from '../src/zoo/squeezenet.js';
import { median, writeResults } from './report.js';
import type { Row } from './report.js';

const files = shippedRuleFiles();

/** JS heap plus typed-array backing stores (which live outside the JS heap). */
function memory(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}
const cases: [string, () => Network, number][] = [
  ['Llama block ×2 (exported, GQA + RoPE)', () => buildExportedLlama(EXPORTED_LLAMA_EXAMPLE), 5],
  ['BERT block (erf-GELU)', () => buildBertBlock(TINY_BERT), 5],
  ['GPT-2 block (tanh-GELU)', () => buildGpt2Block(TINY_GPT2), 5],
  ['SqueezeNet fire module (BatchNorm)', () => buildFireModule(TINY_FIRE), 5],
  ['Llama-7B shape ×32 (builder form)', () => buildLlama(LLAMA_7B), 3],
  ['Llama-7B shape ×32 (exported form, seq 128)', () => buildExportedLlama({ ...LLAMA_7B, seq: 128, withData: false }), 3],
];

const rows: Row[] = [];
for (const [name, build, runs] of cases) {
  const times: number[] = [];
  let last: Row | undefined;
  for (let r = 0; r < runs; r++) {
    const network = build();
    globalThis.gc?.();
    const heap0 = memory();
    const t0 = performance.now();
    const ng = networkToEGraph(network);
    const { report } = saturateEGraph(ng, files);
    const ms = performance.now() - t0;
    times.push(ms);
    globalThis.gc?.();
    const retained = memory() - heap0;
    last = {
      network: name,
      layers: network.layers.length,
      iterations: report.iterations.length,
      stop: report.stopReason,
      eclasses: report.final.eclasses,
      enodes: report.final.enodes,
      // Retained by the saturated e-graph (collected before and after; ng is used below).
      // Below about 1 MB the figure is GC noise (it can even come out negative): not reported.
      heapMB: retained < 2 ** 20 ? null : Math.round((retained / 2 ** 20) * 10) / 10,
      bytesPerENode: retained < 2 ** 20 ? null : Math.round(retained / ng.egraph.nodeCount),
    };
  }
  rows.push({ ...last!, medianMs: median(times), runs });
  console.log(rows[rows.length - 1]);
}
writeResults('saturate', 'Saturation with every shipped rule', rows, {
  notes:
    `Limits: ${DEFAULT_LIMITS.iterations} iterations, ${DEFAULT_LIMITS.nodes} e-nodes, ${DEFAULT_LIMITS.timeMs} ms; backoff schedule, ` +
    'multi-pattern rules in the first two iterations only. Time covers network → e-graph, rule compilation and the run. ' +
    'heapMB is the memory (JS heap + typed arrays) the saturated e-graph retains (GC before and after; run through `npm run bench`, which passes --expose-gc); left blank below 1 MB, where it is GC noise. Target: the 32-layer network saturates, or stops at a documented limit, in under 5 s.',
});
