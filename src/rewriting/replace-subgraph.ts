/**
 * replaceSubgraph: the four-stage rewrite in one call. (1) The old subgraph's boundary: the
 * tensors it reads from outside, and the ones it produces that are used outside or are network
 * outputs. (2) `build` creates new layers on those inputs. (3) Every user of an old output moves to
 * the new one. (4) The old layers are marked removed. Transactional: any failure restores the
 * network exactly.
 */
import { NetworkError, ShapeError } from '../errors.js';
import { formatShape, sameShape } from '../ops/shape.js';
import type { Layer } from '../network/layer.js';
import type { Network } from '../network/network.js';
import type { Tensor } from '../network/tensor.js';

export interface SubgraphBoundary {
  /** Tensors the subgraph reads that it does not produce, in order of first use. */
  inputs: Tensor[];
  /** Tensors it produces that live layers outside it read, or that are network outputs. */
  outputs: Tensor[];
}

export interface ReplaceSubgraphSpec {
  /** The layers to replace: live layers of one network. */
  layers: readonly Layer[];
  /** Builds the replacement on the boundary inputs; returns one new tensor per boundary output. */
  build: (inputs: Tensor[], boundary: SubgraphBoundary) => readonly Tensor[];
}

export interface ReplaceSubgraphResult extends SubgraphBoundary {
  newOutputs: Tensor[];
  /** The layers the build created. */
  newLayers: Layer[];
}

/** The boundary of a set of layers (stage 1), without changing anything. */
export function subgraphBoundary(layers: readonly Layer[]): SubgraphBoundary {
  const inside = new Set(layers);
  const network = layers[0]?.network;
  const inputs: Tensor[] = [];
  const outputs: Tensor[] = [];
  const seen = new Set<Tensor>();
  const ordered = network ? network.layers.filter((l) => inside.has(l)) : [];
  for (const layer of ordered) {
    for (const t of layer.inputSlots) {
      if (t && !seen.has(t) && !(t.producer && inside.has(t.producer))) {
        seen.add(t);
        inputs.push(t);
      }
    }
  }
  for (const layer of ordered) {
    for (const t of layer.outputs) {
      if (network!.isOutput(t) || t.getUsers().some((u) => !inside.has(u))) outputs.push(t);
    }
  }
  return { inputs, outputs };
}

export function replaceSubgraph(network: Network, spec: ReplaceSubgraphSpec): ReplaceSubgraphResult {
  const { layers } = spec;
  if (layers.length === 0) throw new NetworkError('replaceSubgraph needs at least one layer');
  for (const l of layers) {
    if (l.network !== network) throw new NetworkError(`layer ${l.name} belongs to another network`, { where: l.name });
    if (l.isRemoved()) throw new NetworkError(`layer ${l.name} is already removed`, { where: l.name });
  }
  const inside = new Set(layers);
  const boundary = subgraphBoundary(layers);
  return network.transaction(() => {
    const before = network.allLayers.length;
    const newOutputs = [...spec.build([...boundary.inputs], boundary)];
    const newLayers = network.allLayers.slice(before);
    if (newOutputs.length !== boundary.outputs.length) {
      throw new NetworkError(`build returned ${newOutputs.length} tensors for ${boundary.outputs.length} subgraph outputs (${boundary.outputs.map((t) => t.name).join(', ')})`, {
        hint: 'return one new tensor per boundary output, in the same order',
      });
    }
    for (const l of newLayers) {
      for (const t of l.inputSlots) {
        if (t?.producer && inside.has(t.producer)) {
          throw new NetworkError(`new layer ${l.name} reads ${t.name}, produced by ${t.producer.name}, which is being replaced`, {
            where: l.name,
            hint: 'build the replacement from the boundary inputs only',
          });
        }
      }
    }
    boundary.outputs.forEach((old, i) => {
      const neu = newOutputs[i]!;
      if (neu.network !== network) throw new NetworkError(`new output ${i} (${neu.name}) belongs to another network`, { where: neu.name });
      if (neu.dtype !== old.dtype || !sameShape(neu.shape, old.shape)) {
        throw new ShapeError(
          `new output ${i} (${neu.name}) is ${neu.dtype}${formatShape(neu.shape)} but the output it replaces (${old.name}) is ${old.dtype}${formatShape(old.shape)}`,
          {
            where: old.name,
            hint: 'the replacement must compute a tensor of the same dtype and shape',
          },
        );
      }
    });
    boundary.outputs.forEach((old, i) => old.replaceAllUsesWith(newOutputs[i]!));
    const order = network.layers.filter((l) => inside.has(l)).reverse();
    for (const l of order) l.markRemoved();
    return { ...boundary, newOutputs, newLayers };
  });
}
