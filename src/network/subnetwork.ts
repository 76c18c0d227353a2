/**
 * A part of a network as a network of its own: the named layers, the constants they read, tensors
 * from outside the part as inputs, and tensors the rest of the network (or its outputs) reads as
 * outputs. Names are kept, so a part cut from a failing run reads like the original.
 */
import { NetworkError } from '../errors.js';
import type { Layer } from './layer.js';
import { Network } from './network.js';
import type { Tensor } from './tensor.js';

/** The live layers of `network` named in `names`, with the constant layers they read, as a new network. */
export function subnetwork(network: Network, names: Iterable<string>, name = `${network.name}-part`): Network {
  const wanted = new Set(names);
  const inPart = (l: Layer | undefined) => l !== undefined && (wanted.has(l.name) || (l.op === 'Constant' && l.outputs[0]!.getUsers().some((u) => wanted.has(u.name))));
  const layers = network.layers.filter((l) => inPart(l));
  if (!layers.some((l) => wanted.has(l.name))) throw new NetworkError(`no live layer of ${network.name} is named in the part`, { where: [...wanted].slice(0, 3).join(', ') });
  const part = new Network(name);
  const copy = new Map<Tensor, Tensor>();
  const of = (t: Tensor): Tensor => {
    let c = copy.get(t);
    if (!c) copy.set(t, (c = part.addInput(t.name, t.dtype, t.shape)));
    return c;
  };
  for (const l of layers) {
    if (l.op === 'Constant') {
      const t = l.outputs[0]!;
      copy.set(t, part.addConstant({ name: t.name, dtype: t.dtype, shape: t.shape as number[], ...(l.constantData ? { data: l.constantData } : {}) }));
      continue;
    }
    const made = part.addLayer(
      l.op,
      l.inputs.map((t) => (t ? of(t) : undefined)),
      l.attributes,
      { name: l.name, outputNames: l.outputs.map((t) => t.name) },
    );
    l.outputs.forEach((t, i) => copy.set(t, made.outputs[i]!));
  }
  for (const l of layers) {
    for (const t of l.outputs) {
      const readOutside = network.isOutput(t) || t.getUsers().some((u) => !inPart(u));
      if (readOutside && l.op !== 'Constant') part.markOutput(copy.get(t)!, t.name);
    }
  }
  return part;
}
