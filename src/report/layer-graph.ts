/**
 * The layer graph drawn in the HTML report, as DOT: one node per live non-Constant layer (weights
 * and constants are left out, the note says so), highlighted layers filled. Networks over
 * COLLAPSE_ABOVE layers are drawn one node per block (a block is named by the `…layers.<i>` prefix
 * of its weights), and the note says how many layers each block holds: nothing is dropped silently.
 */
import type { Layer } from '../network/layer.js';
import type { Network } from '../network/network.js';
import { shownOp } from './op-name.js';

const COLLAPSE_ABOVE = 300;

export interface LayerGraph {
  dot: string;
  /** Nodes drawn: layers, or blocks when collapsed. */
  nodes: number;
  collapsed: boolean;
  note: string;
}

const quote = (s: string) => JSON.stringify(s);
const BLOCK = /^(.*?(?:layers?|h|blocks?)\.\d+)\./;

/** Each layer's block: the block of the weights it reads, else the block of the layer before it. */
function blocksOf(layers: readonly Layer[]): Map<Layer, string> {
  const out = new Map<Layer, string>();
  let current = 'stem';
  for (const l of layers) {
    for (const t of l.inputSlots) {
      const m = t?.producer?.op === 'Constant' ? BLOCK.exec(t.name) : null;
      if (m) current = m[1]!;
    }
    out.set(l, current);
  }
  return out;
}

/**
 * `tooltips` maps a layer name to the text shown on hover (a new layer's replaced layers: its name
 * is short, `SkipRMSNorm_3`, and the hover says what it stands for).
 */
export function layerGraph(network: Network, highlight: ReadonlySet<string>, color: string, tooltips: ReadonlyMap<string, string> = new Map()): LayerGraph {
  const layers = network.layers.filter((l) => l.op !== 'Constant');
  const constants = network.layers.length - layers.length;
  const collapsed = layers.length > COLLAPSE_ABOVE;
  const groupOf = collapsed ? blocksOf(layers) : new Map(layers.map((l) => [l, l.name]));
  const members = new Map<string, Layer[]>();
  for (const l of layers) members.set(groupOf.get(l)!, [...(members.get(groupOf.get(l)!) ?? []), l]);
  const lines = [`digraph ${quote(network.name)} {`, '  rankdir=TB;', '  node [shape=box, style="rounded,filled", fillcolor="#eef3fb", fontname="Helvetica", fontsize=10];'];
  for (const [group, ls] of members) {
    const changed = ls.filter((l) => highlight.has(l.name)).length;
    const label = collapsed ? `${group}\n${ls.length} layers${changed ? `, ${changed} changed` : ''}` : `${group}\n${shownOp(ls[0]!)}`;
    const tooltip = collapsed ? undefined : tooltips.get(group);
    lines.push(`  ${quote(group)} [label=${quote(label)}${changed ? `, fillcolor=${quote(color)}` : ''}${tooltip ? `, tooltip=${quote(tooltip)}` : ''}];`);
  }
  const edges = new Set<string>();
  for (const l of layers) {
    for (const t of l.inputSlots) {
      const from = t?.producer && groupOf.get(t.producer);
      const to = groupOf.get(l)!;
      if (from !== undefined && from !== to) edges.add(`  ${quote(from)} -> ${quote(to)};`);
    }
  }
  lines.push(...edges, '}');
  const note = collapsed
    ? `${layers.length} layers collapsed into ${members.size} blocks (more than ${COLLAPSE_ABOVE} layers); ${constants} constants not drawn.`
    : `${layers.length} layers drawn; ${constants} constants (weights) not drawn.`;
  return { dot: `${lines.join('\n')}\n`, nodes: members.size, collapsed, note };
}
