/** `explain` finds layers by name, by op or by a part of the name, and answers for displaced originals. */
import { describe, expect, it } from 'vitest';
import { optimizeSync } from '../../src/optimize.js';
import { ExplainError, explainLayer } from '../../src/report/explain-layer.js';
import type { NetworkFile } from '../../src/io/network-file.js';
import { readOnnx } from '../../src/io/onnx/decode.js';
import { writeOnnx } from '../../src/io/onnx/export.js';
import { buildExportedLlama, EXPORTED_LLAMA_EXAMPLE } from '../../src/zoo/llama-exported.js';

function optimizedFile(): NetworkFile {
  const { network, report } = optimizeSync(buildExportedLlama(EXPORTED_LLAMA_EXAMPLE), { verify: false });
  return { network, provenance: { source: 'llama', newLayers: report.newLayers, removed: report.removed, proofs: report.proofs } };
}

describe('netsat explain', () => {
  const file = optimizedFile();
  const norms = file.provenance!.newLayers.filter((p) => p.op === 'SkipRMSNorm');

  it('by op: every layer of that op, each with the layers it replaced', () => {
    const text = explainLayer(file, 'skiprmsnorm');
    for (const p of norms) expect(text).toContain(`layer ${p.layer} (SkipRMSNorm): added by netsat optimize`);
    expect(text).toContain(`replaces: ${norms[0]!.replaced.join(', ')}`);
  });

  it('by a part of a name', () => {
    const [one] = norms;
    expect(explainLayer(file, one!.layer.toLowerCase().slice(1))).toContain(`layer ${one!.layer} (SkipRMSNorm)`);
    expect(explainLayer(file, 'RMSNorm_')).toContain('(SkipRMSNorm)');
  });

  it('an original layer the optimization displaced names the layer that replaced it', () => {
    const p = norms[0]!;
    expect(explainLayer(file, p.replaced[0]!)).toContain(`replaced by ${p.layer} (SkipRMSNorm)`);
  });

  it('a new layer read back from an onnxruntime-target ONNX file says which netsat op it was written for', () => {
    const { network } = readOnnx(writeOnnx(file.network, { target: 'ort' }));
    const text = explainLayer({ network, provenance: file.provenance }, norms[0]!.layer);
    expect(text).toContain(`layer ${norms[0]!.layer} (Add; netsat's SkipRMSNorm, written in onnxruntime's ops)`);
    expect(text).toContain(`replaces: ${norms[0]!.replaced.join(', ')}`);
  });

  it('nothing found is a typed error naming the query', () => {
    expect(() => explainLayer(file, 'no-such-layer')).toThrow(ExplainError);
  });
});
