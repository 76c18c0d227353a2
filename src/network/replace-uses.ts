/**
 * replaceAllUsesWith, the one rewiring primitive: every live consumer of a tensor (and its slot
 * among the network outputs) moves to a replacement, FLayerInfo follows, and when shapes may
 * change the consumers are re-inferred. Runs in a transaction, so a failure changes nothing.
 */
import { NetworkError, ShapeError } from '../errors.js';
import { inferTypes } from '../ops/registry.js';
import { formatShape, sameShape } from '../ops/shape.js';
import { FLayerInfoMemo } from './flayer-info.js';
import type { Tensor } from './tensor.js';

export interface ReplaceOptions {
  /**
   * Allow a replacement of another shape (the remove-padding rewrite needs it). Consumers' output
   * types are then re-inferred downstream; one that no longer type-checks is an error naming it.
   */
  allowShapeChange?: boolean;
}

export function replaceAllUses(old: Tensor, rep: Tensor, options: ReplaceOptions): void {
  const network = old.network;
  const where = `${old.name} -> ${rep.name}`;
  if (rep.network !== network) {
    throw new NetworkError(`cannot replace ${old.name} with ${rep.name}: it belongs to network "${rep.network.name}"`, {
      where,
      hint: 'tensors cannot cross networks',
    });
  }
  if (rep === old) return;
  if (rep.isDead()) {
    throw new NetworkError(`cannot replace ${old.name} with ${rep.name}: its producer ${rep.producer!.name} is removed`, { where });
  }
  if (rep.dtype !== old.dtype) {
    throw new ShapeError(`cannot replace ${old.name} (${old.dtype}) with ${rep.name} (${rep.dtype}): dtypes differ`, {
      where,
      hint: 'insert a Cast (F.cast) so the replacement has the same dtype',
    });
  }
  const shapeChanges = !sameShape(rep.shape, old.shape);
  if (shapeChanges && !options.allowShapeChange) {
    throw new ShapeError(`cannot replace ${old.name} ${formatShape(old.shape)} with ${rep.name} ${formatShape(rep.shape)}: shapes differ`, {
      where,
      hint: 'reshape the replacement, or pass {allowShapeChange: true} to re-infer the consumers',
    });
  }
  const users = old.getUsers();
  for (const user of users) {
    if (network.dependsOn(rep, user)) {
      throw new NetworkError(`replacing ${old.name} with ${rep.name} would create a cycle: ${rep.name} is computed from ${user.name}, which reads ${old.name}`, {
        where,
        hint: 'the replacement must not depend on the consumers of the tensor it replaces',
      });
    }
  }
  const memo = FLayerInfoMemo.instance();
  network.transaction(() => {
    for (const user of users) {
      user.inputSlots.forEach((t, i) => {
        if (t === old) network.rewireInput(user, i, rep);
      });
      memo.get(user)?.replaceInputWith(old, rep);
    }
    const slot = network.outputs.indexOf(old);
    if (slot >= 0) {
      // An input or another output keeps its own name: the output slot gets an Identity of it.
      const slotTensor = network.isInput(rep) || network.isOutput(rep) ? network.addLayer('Identity', [rep]).outputs[0]! : rep;
      network.setOutputs(network.outputs.map((o) => (o === old ? slotTensor : o)));
      network.takeOverName(old, slotTensor);
    }
    if (shapeChanges) reinferDownstream(rep);
  });
}

/** Re-infers output types of every live layer downstream of `changed`, in topological order. */
function reinferDownstream(changed: Tensor): void {
  const network = changed.network;
  const dirty = new Set<Tensor>([changed]);
  for (const layer of network.layers) {
    if (!layer.inputSlots.some((t) => t && dirty.has(t))) continue;
    const types = inferTypes(
      layer.opDef,
      layer.inputSlots.map((t) => t?.type),
      layer.attributes,
      layer.name,
    );
    types.forEach((type, k) => {
      const out = layer.outputs[k]!;
      if (type.dtype !== out.dtype || !sameShape(type.shape, out.shape)) {
        network.retypeTensor(out, type);
        dirty.add(out);
      }
    });
  }
}
