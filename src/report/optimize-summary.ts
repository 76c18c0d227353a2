/**
 * What `netsat optimize` prints: the layers-by-op table with the change, predicted latency before
 * and after, and the verification result (in the style of onnxsim's summary), or the same as JSON.
 * Nothing time-dependent goes into the text, so it can be compared as a golden file.
 */
import type { Network } from '../network/network.js';
import type { InputSet } from '../interp/verify.js';
import type { OptimizeReport } from './optimize-report.js';
import { formatOpTable } from './op-table.js';

export interface OptimizeSummary {
  input: string;
  output: string | null;
  network: string;
  device: string;
  extractor: string;
  /** Whether the extraction is proven optimal, stopped at its time limit (with the gap), or a heuristic's. */
  extraction: OptimizeReport['extraction'];
  saturation: { iterations: number; stopReason: string; eclasses: number; enodes: number };
  layers: OptimizeReport['layers'];
  latencyUs: { model: string; before: number; after: number; speedup: number };
  verification: OptimizeReport['verification'];
  healing: OptimizeReport['healing'];
  budget: OptimizeReport['budget'];
  rules: OptimizeReport['rules'];
  newLayers: OptimizeReport['newLayers'];
  removed: OptimizeReport['removed'];
  times: OptimizeReport['times'];
}

export function optimizeSummary(report: OptimizeReport, context: { input: string; output: string | null; network: string; device: string }): OptimizeSummary {
  return {
    ...context,
    extractor: report.extraction.extractor,
    extraction: report.extraction,
    saturation: { iterations: report.runner.iterations.length, stopReason: report.runner.stopReason, ...report.egraph },
    layers: report.layers,
    latencyUs: { model: report.cost.model, before: report.cost.before, after: report.cost.after, speedup: report.cost.speedup },
    verification: report.verification,
    healing: report.healing,
    budget: report.budget,
    rules: report.rules.filter((r) => r.matches > 0),
    newLayers: report.newLayers,
    removed: report.removed,
    times: report.times,
  };
}

const us = (v: number) => `${v.toFixed(2)} µs`;

export function verificationLine(v: OptimizeReport['verification']): string {
  if (v.skipped !== undefined) return `Verification: skipped (${v.skipped})`;
  const worst = Math.max(0, ...v.outputs.map((o) => o.maxAbsError));
  const by = v.method === 'onnxruntime' ? 'onnxruntime' : 'reference interpreter';
  const sizes = sizesLine(v.sets);
  const kind = v.sets.some((s) => s.given) ? 'given' : 'seeded';
  return `Verification (${by}, ${v.sets.length} ${kind} input sets${sizes}): ${v.pass ? 'PASS' : 'FAIL'}, max abs error ${worst.toExponential(2)}`;
}

/** The values each symbolic dim took over the sets: `; batch 2/3/5, seq 3/5/7`. */
function sizesLine(sets: readonly InputSet[]): string {
  const symbols = Object.keys(sets[0]?.symbolValues ?? {});
  return symbols.length === 0 ? '' : `; ${symbols.map((k) => `${k} ${sets.map((s) => s.symbolValues[k]).join('/')}`).join(', ')}`;
}

/** The rules healing left out, when the first result failed verification. */
function healingLines(h: OptimizeReport['healing']): string[] {
  if (!h) return [];
  return [`Healed: the first result failed verification; left out ${h.culprits.join(', ')} (${h.runs} runs).`];
}

/** What the memory budget stopped (the peak itself varies by machine, so it is in the JSON only). */
function budgetLines(b: OptimizeReport['budget']): string[] {
  return b.stops.map((stop) => `Budget: ${stop}.`);
}

/** A note per kind of skipped rule match (skipped, not errors): `why` finishes the sentence. */
/** `dag (heuristic)`, `ilp (optimal)`, `ilp (time limit, within 1.2 % of optimal)`: how far the figures can be trusted. */
function extractorText(e: OptimizeReport['extraction']): string {
  const status = {
    heuristic: 'heuristic',
    optimal: 'optimal',
    'time-limit': `time limit${e.gap === null ? '' : `, within ${(e.gap * 100).toFixed(2)} % of optimal`}`,
    'solver-failed': `solver failed${e.reason ? `: ${e.reason}` : ''}`,
  }[e.status];
  return `${e.extractor} (${status})`;
}

function skippedLine(rules: OptimizeReport['rules'], kind: 'undecided' | 'mistyped', why: string): string[] {
  const hits = rules.filter((r) => r[kind] > 0);
  if (hits.length === 0) return [];
  const total = hits.reduce((n, r) => n + r[kind], 0);
  const which = hits.map((r) => `${r.name} ${r[kind]}`).join(', ');
  return [`Note: ${total} rule matches were skipped because ${why} (${which}).`];
}

export function formatOptimizeSummary(s: OptimizeSummary, before: Network, after: Network): string {
  const l = s.latencyUs;
  return [
    `netsat optimize: ${s.network} (${s.input}${s.output ? ` -> ${s.output}` : ''})`,
    `device ${s.device}, extractor ${extractorText(s.extraction)}; saturation: ${s.saturation.iterations} iterations (${s.saturation.stopReason}), ${s.saturation.enodes} e-nodes in ${s.saturation.eclasses} e-classes`,
    '',
    formatOpTable(before, after),
    '',
    `Predicted latency (${l.model}): ${us(l.before)} -> ${us(l.after)} (${l.speedup.toFixed(2)}x)`,
    verificationLine(s.verification),
    ...healingLines(s.healing),
    ...budgetLines(s.budget),
    ...skippedLine(s.rules, 'undecided', 'a condition needed a shape or constant that is not known'),
    ...skippedLine(s.rules, 'mistyped', 'the rewritten form would change the dtype or shape there'),
  ].join('\n');
}
