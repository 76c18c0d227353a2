/**
 * DOT text of a network: tensors as white boxes (dtype and shape in the label), layers as blue
 * boxes, edges producer → tensor → consumer. Removed layers are left out unless asked for.
 */
import type { Network } from './network.js';

export interface DotOptions {
  /** Draw removed layers too (dashed, grey). */
  includeRemoved?: boolean;
}

function quote(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export function networkToDot(network: Network, options: DotOptions = {}): string {
  const lines = [`digraph ${quote(network.name)} {`, '  rankdir=TB;', '  node [fontname="Helvetica", fontsize=10];'];
  const layers = options.includeRemoved ? network.allLayers : network.layers;
  const tensors = new Set(network.inputs);
  for (const layer of layers) {
    const removed = layer.isRemoved();
    const style = removed ? 'style="filled,dashed", fillcolor="#eeeeee", fontcolor="#888888"' : 'style=filled, fillcolor="#cfe8ff"';
    lines.push(`  ${quote(`L:${layer.name}`)} [shape=box, ${style}, label=${quote(`${layer.name}\n${layer.op}`)}];`);
    for (const t of layer.inputSlots) if (t) tensors.add(t);
    for (const t of layer.outputs) tensors.add(t);
  }
  for (const t of tensors) {
    const border = network.isOutput(t) || network.isInput(t) ? ', penwidth=2' : '';
    lines.push(`  ${quote(`T:${t.name}`)} [shape=box, style=rounded${border}, label=${quote(`${t.name}\n${t.dtype}[${t.shape.join(', ')}]`)}];`);
  }
  for (const layer of layers) {
    for (const t of layer.inputSlots) if (t) lines.push(`  ${quote(`T:${t.name}`)} -> ${quote(`L:${layer.name}`)};`);
    for (const t of layer.outputs) lines.push(`  ${quote(`L:${layer.name}`)} -> ${quote(`T:${t.name}`)};`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
