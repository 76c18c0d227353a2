/**
 * `netsat explain`: where a layer of an optimized network came from, read from the provenance
 * section optimize stored in the file: the original layers it replaced, the rules, the proof. The
 * query is a layer name, an op (`SkipRMSNorm`, `com.microsoft::Attention`) or a part of a name;
 * an original layer the optimization displaced is answered with the new layer that replaced it.
 */
import { NetsatError } from '../errors.js';
import type { NetworkFile, NetworkProvenance } from '../io/network-file.js';
import type { Layer } from '../network/layer.js';
import { shownOp } from './op-name.js';

/** The layer is unknown, or the file has no provenance. */
export class ExplainError extends NetsatError {}

/** How many layers one query explains in full; the rest are named. */
const SHOWN = 8;

function explainOne(layer: Layer, p: NetworkProvenance): string {
  const entry = p.newLayers.find((n) => n.layer === layer.name);
  // An ONNX file for onnxruntime holds a new layer in onnxruntime's ops (SkipRMSNorm as Add + SimplifiedLayerNormalization).
  const written = entry && entry.op !== layer.op && entry.op !== shownOp(layer) ? `; netsat's ${entry.op}, written in onnxruntime's ops` : '';
  const head = `layer ${layer.name} (${shownOp(layer)}${written})${layer.isRemoved() ? ', removed' : ''}`;
  if (!entry) return p.removed.includes(layer.name) ? explainDisplaced(layer.name, p) : `${head}: an original layer of ${p.source}, kept as it was`;
  const lines = [
    `${head}: added by netsat optimize from ${p.source}`,
    `  replaces: ${entry.replaced.length ? entry.replaced.join(', ') : '(no original layer: an intermediate of a rewrite)'}`,
    `  rules: ${entry.rules.length ? entry.rules.join(', ') : '(none recorded)'}`,
  ];
  const proof = p.proofs[layer.name];
  if (proof?.length) {
    lines.push('  proof (original term to this layer):');
    proof.forEach((s, i) => lines.push(`    ${i + 1}. ${s.rule}${s.direction === 'backward' ? ' (right to left)' : ''} -> ${s.op}`));
  } else lines.push('  proof: not recorded (explanations were off, or the layer has no original term)');
  return lines.join('\n');
}

/** An original layer no longer in the network: which new layer took its place, if one did. */
function explainDisplaced(name: string, p: NetworkProvenance): string {
  const by = p.newLayers.find((n) => n.replaced.includes(name));
  return by
    ? `layer ${name}: an original layer of ${p.source}, replaced by ${by.layer} (${by.op})`
    : `layer ${name}: an original layer of ${p.source}, displaced by the optimization`;
}

/** Live layers the query names: exactly, else by op, else by a part of the name (case-insensitive). */
function layersFor(file: NetworkFile, query: string): Layer[] {
  const exact = file.network.getLayer(query);
  if (exact) return [exact];
  const q = query.toLowerCase();
  const live = file.network.layers.filter((l) => l.op !== 'Constant');
  const byOp = live.filter((l) => shownOp(l).toLowerCase() === q || l.op.toLowerCase() === q);
  return byOp.length ? byOp : live.filter((l) => l.name.toLowerCase().includes(q));
}

export function explainLayer(file: NetworkFile, query: string, path = 'the file'): string {
  const p = file.provenance;
  if (!p) {
    throw new ExplainError(`${path} carries no provenance`, { where: path, hint: 'explain reads networks written by `netsat optimize`; optimize the network first' });
  }
  const layers = layersFor(file, query);
  if (layers.length === 0) {
    if (p.removed.includes(query) || p.newLayers.some((n) => n.replaced.includes(query))) return explainDisplaced(query, p);
    throw new ExplainError(`${path} has no layer named, of op, or with a name containing "${query}"`, {
      where: query,
      hint: `see the layer names and ops with \`netsat inspect\`; new layers: ${
        p.newLayers
          .slice(0, 6)
          .map((n) => n.layer)
          .join(', ') || '(none)'
      }`,
    });
  }
  const shown = layers.slice(0, SHOWN).map((l) => explainOne(l, p));
  if (layers.length > SHOWN)
    shown.push(
      `... and ${layers.length - SHOWN} more: ${layers
        .slice(SHOWN)
        .map((l) => l.name)
        .join(', ')}`,
    );
  return shown.join('\n\n');
}
