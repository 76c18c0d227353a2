/** The benchmark's speedup charts (chart.ts draws them): predicted for every cell, measured where timed. */
import type { ChartBar } from './chart.js';
import { speedupChart } from './chart.js';
import type { BenchResult, CellResult } from './result.js';

function series(c: CellResult, multiDevice: boolean): string {
  return multiDevice ? `${c.strategy} @ ${c.device}` : c.strategy;
}

const failureNote = (c: CellResult) => (c.failure ? `failed (${c.failure.kind}): ${c.failure.message}` : undefined);

function predictedBar(c: CellResult, multiDevice: boolean): ChartBar {
  const note = failureNote(c);
  return { group: c.model, series: series(c, multiDevice), value: c.predicted?.speedup, ...(note ? { note } : {}) };
}

function measuredBar(c: CellResult, multiDevice: boolean): ChartBar {
  const m = c.measured?.speedup;
  const note = failureNote(c) ?? c.measuredNote ?? undefined;
  return { group: c.model, series: series(c, multiDevice), value: m?.median, ...(m ? { low: m.low, high: m.high } : {}), ...(note && !m ? { note } : {}) };
}

export function benchCharts(result: BenchResult): { predicted: string; measured?: string } {
  const multiDevice = new Set(result.cells.map((c) => c.device)).size > 1;
  const predicted = speedupChart(
    result.cells.map((c) => predictedBar(c, multiDevice)),
    { title: 'Predicted speedup per model and strategy (roofline cost model)', valueLabel: 'predicted speedup (x)' },
  );
  if (!result.cells.some((c) => c.measured)) return { predicted };
  const measured = speedupChart(
    result.cells.map((c) => measuredBar(c, multiDevice)),
    { title: 'Measured speedup per model and strategy (onnxruntime-node, CPU)', valueLabel: 'measured speedup (x), median and middle half' },
  );
  return { predicted, measured };
}
