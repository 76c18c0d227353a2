/**
 * The HTML report of one optimization (`netsat optimize --report r.html`): one self-contained
 * file (inline CSS and SVG, nothing fetched) with the summary, the before/after layer graphs drawn
 * by Graphviz (wasm) at their natural size in scrolling boxes (scaled to the page, a transformer's
 * graph shrank its labels to a pixel or two), the per-rule table, the predicted cost by op, and each new layer's provenance.
 */
import { Graphviz } from '@hpcc-js/wasm-graphviz';
import type { CostModel } from '../cost/cost-model.js';
import { costByOp } from '../cost/network-cost.js';
import type { Network } from '../network/network.js';
import type { OptimizeReport } from './optimize-report.js';
import { layerGraph } from './layer-graph.js';
import { shownOp } from './op-name.js';
import { verificationLine } from './optimize-summary.js';

export interface HtmlReportInput {
  title: string;
  before: Network;
  after: Network;
  report: OptimizeReport;
  model: CostModel;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function table(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const cell = (v: string | number, tag: string) => `<${tag}${typeof v === 'number' ? ' class="num"' : ''}>${escapeHtml(String(v))}</${tag}>`;
  return `<table><thead><tr>${header.map((h) => cell(h, 'th')).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((v) => cell(v, 'td')).join('')}</tr>`).join('')}</tbody></table>`;
}

const CSS = `body{font-family:system-ui,sans-serif;margin:2rem;color:#1d2330;background:#fff}h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem}
table{border-collapse:collapse;margin:.5rem 0}th,td{border:1px solid #ccd3de;padding:.2rem .6rem;text-align:left}td.num{text-align:right}
.graphs{display:flex;gap:1rem;flex-wrap:wrap}.graph{flex:1;min-width:20rem;max-height:85vh;border:1px solid #ccd3de;padding:.5rem;overflow:auto}
.note{color:#5a6478;font-size:.9rem}.pass{color:#137333}.fail{color:#b3261e}`;

export async function renderHtmlReport(input: HtmlReportInput): Promise<string> {
  const { report, before, after, model } = input;
  const graphviz = await Graphviz.load();
  const removed = new Set(report.removed);
  const added = new Set(report.newLayers.map((p) => p.layer));
  const replaces = new Map(report.newLayers.map((p) => [p.layer, `${p.op}, replaces: ${p.replaced.join(', ') || '(intermediate)'}; rules: ${p.rules.join(', ') || '-'}`]));
  const graphs = [
    { title: `Before: ${before.layers.length} layers`, g: layerGraph(before, removed, '#f9c9c4'), id: 'before' },
    { title: `After: ${after.layers.length} layers`, g: layerGraph(after, added, '#ffd88a', replaces), id: 'after' },
  ];
  const costBefore = costByOp(before, model, shownOp);
  const costAfter = costByOp(after, model, shownOp);
  const ops = [...new Set([...costBefore.keys(), ...costAfter.keys()])].sort();
  const v = report.verification;
  const verdictClass = v.skipped !== undefined ? 'note' : v.pass ? 'pass' : 'fail';
  const body = [
    `<h1>${escapeHtml(input.title)}</h1>`,
    '<h2>Summary</h2>',
    table(
      ['', 'Before', 'After'],
      [
        ['Live layers', report.layers.before, report.layers.after],
        [`Predicted latency (${report.cost.model}, µs)`, Number(report.cost.before.toFixed(2)), Number(report.cost.after.toFixed(2))],
      ],
    ),
    `<p>Speedup ${report.cost.speedup.toFixed(2)}x; saturation ${report.runner.iterations.length} iterations (${escapeHtml(report.runner.stopReason)}), ${report.egraph.enodes} e-nodes in ${report.egraph.eclasses} e-classes; extractor ${report.extraction.extractor} (${report.extraction.status}).</p>`,
    `<p class="${verdictClass}">${escapeHtml(verificationLine(v))}</p>`,
    '<h2>Graphs</h2><p class="note">Removed layers are red on the left, new layers orange on the right; hover a new layer for what it replaces. Graphs are drawn at full size (labels stay readable on any network) and scroll.</p>',
    `<div class="graphs">${graphs.map(({ title, g, id }) => `<div class="graph" id="${id}"><h3>${escapeHtml(title)}</h3><p class="note">${escapeHtml(g.note)}</p>${graphviz.dot(g.dot)}</div>`).join('')}</div>`,
    '<h2>Rules</h2>',
    table(
      ['Rule', 'Matches', 'Applications'],
      report.rules.filter((r) => r.matches > 0).map((r) => [r.name, r.matches, r.applied]),
    ),
    '<h2>Predicted cost by op (µs)</h2>',
    table(
      ['Op', 'Before', 'After'],
      ops.map((op) => [op, Number((costBefore.get(op) ?? 0).toFixed(3)), Number((costAfter.get(op) ?? 0).toFixed(3))]),
    ),
    '<h2>New layers and their provenance</h2>',
    table(
      ['Layer', 'Op', 'Replaces', 'Rules'],
      report.newLayers.map((p) => [p.layer, p.op, p.replaced.join(', ') || '(intermediate)', p.rules.join(', ') || '-']),
    ),
  ];
  return `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(input.title)}</title><style>${CSS}</style></head><body>${body.join('\n')}</body></html>\n`;
}
