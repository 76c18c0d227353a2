/**
 * The built-in example behind `netsat demo`: a two-block Llama-style network built with the
 * functional builders, the built-in rewrite passes applied to a copy, and the copy verified
 * against the original with the reference interpreter.
 */
import { verifyEquivalent } from './interp/verify.js';
import { formatOpTable, opCounts, opTableRows } from './report/op-table.js';
import type { OpTableRow } from './report/op-table.js';
import { runBuiltinPasses } from './rewriting/builtin-passes.js';
import type { RewriteApplication } from './rewriting/managers.js';
import { buildLlama, TINY_LLAMA } from './zoo/llama.js';

export interface DemoSummary {
  layersBefore: number;
  layersAfter: number;
  rewrites: RewriteApplication[];
  ops: OpTableRow[];
  verified: boolean;
  maxAbsError: number;
}

export function runDemo(): { summary: DemoSummary; text: string } {
  const original = buildLlama(TINY_LLAMA);
  const optimized = original.clone('llama (rewritten)');
  const report = runBuiltinPasses(optimized);
  optimized.validate();
  const check = verifyEquivalent(original, optimized, { seed: 1 });
  const maxAbsError = Math.max(...check.outputs.map((o) => o.maxAbsError));
  const c = TINY_LLAMA;
  const lines = [
    `netsat demo: ${c.layers}-block Llama-style network (hidden ${c.hidden}, ${c.heads} heads, ${c.kvHeads} KV heads, batch ${c.batch}, seq ${c.seq})`,
    '',
    `Built-in passes fired ${report.applications.length} times in ${report.passes} passes:`,
    ...report.applications.map((a) => `  ${a.label} at ${a.layer}`),
    '',
    formatOpTable(original, optimized),
    '',
    `Verification (reference interpreter, seeded inputs, rtol 1e-4, atol 1e-5): ${check.pass ? 'PASS' : 'FAIL'}` + `, max abs error ${maxAbsError.toExponential(2)}`,
  ];
  return {
    summary: {
      layersBefore: original.layers.length,
      layersAfter: optimized.layers.length,
      rewrites: report.applications,
      ops: opTableRows(opCounts(original), opCounts(optimized)),
      verified: check.pass,
      maxAbsError,
    },
    text: lines.join('\n'),
  };
}
