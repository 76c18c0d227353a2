/** A cell's figures as flat named columns: the CSV's row, and the words the markdown table shows. */
import type { CellResult, Spread } from './result.js';

export type Column = string | number | null;

/** 'GptAttention×2 RMSNorm×1', by op name. */
export function fusedOpsText(fused: Readonly<Record<string, number>>): string {
  return Object.entries(fused)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([op, n]) => `${op}×${n}`)
    .join(' ');
}

const stage = (cell: CellResult, name: string): Column => cell.stagesMs[name] ?? null;
const spread = (s: Spread | undefined, key: keyof Spread): Column => (s ? s[key] : null);

/** Every figure of `cell`, one column each (null where the cell has none). */
export function cellColumns(cell: CellResult): Record<string, Column> {
  const m = cell.measured ?? undefined;
  return {
    model: cell.model,
    group: cell.group,
    strategy: cell.strategy,
    strategyVersion: cell.strategyVersion,
    device: cell.device,
    status: cell.status,
    failureKind: cell.failure?.kind ?? null,
    failure: cell.failure?.message ?? null,
    costModel: cell.predicted?.costModel ?? null,
    predictedBefore: cell.predicted?.before ?? null,
    predictedAfter: cell.predicted?.after ?? null,
    predictedSpeedup: cell.predicted?.speedup ?? null,
    layersBefore: cell.layers?.before ?? null,
    layersAfter: cell.layers?.after ?? null,
    fusedOps: fusedOpsText(cell.fusedOps),
    eclasses: cell.egraph?.eclasses ?? null,
    enodes: cell.egraph?.enodes ?? null,
    iterations: cell.iterations,
    stopReason: cell.stopReason,
    toEGraphMs: stage(cell, 'to e-graph'),
    saturateMs: stage(cell, 'saturate'),
    extractionProblemMs: stage(cell, 'extraction problem'),
    extractMs: stage(cell, 'extract'),
    lowerMs: stage(cell, 'lower'),
    verifyMs: stage(cell, 'verify'),
    optimizeMs: cell.optimizeMs,
    extractor: cell.extraction?.extractor ?? null,
    extractionStatus: cell.extraction?.status ?? null,
    extractionCost: cell.extraction?.cost ?? null,
    ilpGap: cell.extraction?.gap ?? null,
    verification: cell.verification.result,
    verificationMethod: cell.verification.method,
    verificationNote: cell.verification.note,
    measuredOriginalMs: spread(m?.originalMs, 'median'),
    measuredOptimizedMs: spread(m?.optimizedMs, 'median'),
    measuredSpeedup: spread(m?.speedup, 'median'),
    measuredSpeedupLow: spread(m?.speedup, 'low'),
    measuredSpeedupHigh: spread(m?.speedup, 'high'),
    measuredRepeats: m?.repeats ?? null,
    measuredNote: cell.measuredNote,
    cellWallMs: cell.wallMs,
  };
}
