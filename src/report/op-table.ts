/** Layers by op, before and after a rewrite, as a plain-text table (the style of onnxsim's). */
import { alignedLines } from '../text-table.js';
import type { Network } from '../network/network.js';
import { shownOp } from './op-name.js';

/** Live layers per op (an Opaque layer counts as the op it keeps), Constants included. */
export function opCounts(network: Network): Map<string, number> {
  const counts = new Map<string, number>();
  for (const l of network.layers) counts.set(shownOp(l), (counts.get(shownOp(l)) ?? 0) + 1);
  return counts;
}

export interface OpTableRow {
  op: string;
  before: number;
  after: number;
}

/**
 * One row per op present on either side, sorted by op name, with a total row last. It takes counts
 * (`opCounts`), not networks, so an in-place rewrite can count before it edits.
 */
export function opTableRows(before: ReadonlyMap<string, number>, after: ReadonlyMap<string, number>): OpTableRow[] {
  const ops = [...new Set([...before.keys(), ...after.keys()])].sort();
  const rows = ops.map((op) => ({ op, before: before.get(op) ?? 0, after: after.get(op) ?? 0 }));
  const total = (counts: ReadonlyMap<string, number>) => [...counts.values()].reduce((n, c) => n + c, 0);
  rows.push({ op: 'Total', before: total(before), after: total(after) });
  return rows;
}

/** The table as aligned text: op, before, after, and the change. */
export function formatOpTable(before: Network, after: Network): string {
  const rows = opTableRows(opCounts(before), opCounts(after)).map((r) => {
    const d = r.after - r.before;
    return [r.op, String(r.before), String(r.after), d === 0 ? '' : d > 0 ? `+${d}` : String(d)];
  });
  const { lines, widths } = alignedLines(['Op', 'Before', 'After', 'Change'], rows);
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [lines[0]!, rule, ...lines.slice(1, -1), rule, lines[lines.length - 1]!].join('\n');
}
