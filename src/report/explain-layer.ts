/**
 * `netsat explain`: where a layer of an optimized network came from, read from the provenance
 * section optimize stored in the file: the original layers it replaced, the rules, the proof.
 */
import { NetsatError } from '../errors.js';
import type { NetworkFile } from '../io/network-file.js';

/** The layer is unknown, or the file has no provenance. */
export class ExplainError extends NetsatError {}

export function explainLayer(file: NetworkFile, layerName: string, path = 'the file'): string {
  const layer = file.network.getLayer(layerName);
  if (!layer) throw new ExplainError(`${path} has no layer "${layerName}"`, { where: layerName, hint: 'see the layer names with `netsat inspect`' });
  const p = file.provenance;
  if (!p) {
    throw new ExplainError(`${path} carries no provenance`, { where: path, hint: 'explain reads networks written by `netsat optimize`; optimize the network first' });
  }
  const entry = p.newLayers.find((n) => n.layer === layerName);
  const head = `layer ${layerName} (${layer.op})${layer.isRemoved() ? ', removed' : ''}`;
  if (!entry) {
    return p.removed.includes(layerName)
      ? `${head}: an original layer of ${p.source}, displaced by the optimization`
      : `${head}: an original layer of ${p.source}, kept as it was`;
  }
  const lines = [
    `${head}: added by netsat optimize from ${p.source}`,
    `  replaces: ${entry.replaced.length ? entry.replaced.join(', ') : '(no original layer: an intermediate of a rewrite)'}`,
    `  rules: ${entry.rules.length ? entry.rules.join(', ') : '(none recorded)'}`,
  ];
  const proof = p.proofs[layerName];
  if (proof?.length) {
    lines.push('  proof (original term to this layer):');
    proof.forEach((s, i) => lines.push(`    ${i + 1}. ${s.rule}${s.direction === 'backward' ? ' (right to left)' : ''} -> ${s.op}`));
  } else lines.push('  proof: not recorded (explanations were off, or the layer has no original term)');
  return lines.join('\n');
}
