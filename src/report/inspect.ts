/** `netsat inspect`: a network's inputs, outputs and shapes, and its live layers by op. */
import type { Network } from '../network/network.js';
import type { Tensor } from '../network/tensor.js';
import { opCounts } from './op-table.js';

export interface Inspection {
  name: string;
  inputs: { name: string; dtype: string; shape: (number | string)[] }[];
  outputs: { name: string; dtype: string; shape: (number | string)[] }[];
  layers: { live: number; removed: number; byOp: Record<string, number> };
}

const describe = (t: Tensor) => ({ name: t.name, dtype: t.dtype, shape: [...t.shape] });

export function inspectNetwork(network: Network): Inspection {
  const byOp = Object.fromEntries([...opCounts(network)].sort(([a], [b]) => a.localeCompare(b)));
  return {
    name: network.name,
    inputs: network.inputs.map(describe),
    outputs: network.outputs.map(describe),
    layers: { live: network.layers.length, removed: network.removedLayers.length, byOp },
  };
}

export function formatInspection(i: Inspection): string {
  const tensor = (t: Inspection['inputs'][number]) => `  ${t.name}: ${t.dtype}[${t.shape.join(', ')}]`;
  const width = Math.max(2, ...Object.keys(i.layers.byOp).map((k) => k.length));
  return [
    `network ${i.name}`,
    'inputs:',
    ...i.inputs.map(tensor),
    'outputs:',
    ...i.outputs.map(tensor),
    `layers: ${i.layers.live} live${i.layers.removed ? `, ${i.layers.removed} removed` : ''}`,
    ...Object.entries(i.layers.byOp).map(([op, n]) => `  ${op.padEnd(width)}  ${String(n).padStart(5)}`),
  ].join('\n');
}
