/**
 * Saturation with the shipped rule libraries on block networks built the way PyTorch exports them:
 * each fused form must land in the same e-class as the decomposed layers it replaces (so extraction
 * can choose it), under the default limits, and no rule may merge tensors of different types.
 */
import { describe, expect, it } from 'vitest';
import { networkToEGraph } from '../../src/lower/to-egraph.js';
import type { Network } from '../../src/network/network.js';
import { shippedRuleFiles } from '../../src/rules/library.js';
import { saturateEGraph } from '../../src/tensor/saturate.js';
import { buildBertBlock, TINY_BERT } from '../../src/zoo/bert.js';
import { buildGpt2Block, TINY_GPT2 } from '../../src/zoo/gpt2.js';
import { buildExportedLlama, EXPORTED_LLAMA_EXAMPLE } from '../../src/zoo/llama-exported.js';
import { buildFireModule, TINY_FIRE } from '../../src/zoo/squeezenet.js';

const files = shippedRuleFiles();

/** For each fused op (with output index), the ops of the original layers whose class holds it. */
function fusedForms(network: Network) {
  const ng = networkToEGraph(network);
  const { report } = saturateEGraph(ng, files);
  const forms = new Map<string, Set<string>>();
  for (const layer of network.layers) {
    layer.outputs.forEach((t) => {
      const cls = ng.egraph.find(ng.classOf.get(t)!);
      for (const node of ng.egraph.classNodes(cls)) {
        const form = ng.language.format(ng.egraph.nodeOp(node), ng.egraph.nodePayload(node));
        if (!forms.has(form)) forms.set(form, new Set());
        forms.get(form)!.add(layer.op);
      }
    });
  }
  return { forms, report };
}

describe('saturation with the shipped rules finds the fused forms', () => {
  it('Llama block with GQA and rotary embedding (exported form)', () => {
    const { forms } = fusedForms(buildExportedLlama(EXPORTED_LLAMA_EXAMPLE));
    expect(forms.get('RMSNorm')).toContain('Mul'); // the decomposed norm's last Mul
    expect(forms.get('SkipRMSNorm')).toContain('Mul');
    expect(forms.get('SkipRMSNorm.1')).toContain('Add'); // the residual sum
    expect(forms.get('RotaryEmbedding')).toContain('Add'); // x*cos + rotate_half(x)*sin
    expect(forms.get('SwiGLU')).toContain('Mul');
    expect(forms.get('GptAttention')).toBeDefined(); // attention-gqa-rotary-causal, on the rotated heads
    // Merged QKV: q, k and v projections are outputs 0, 1, 2 of a Split of one MatMul.
    for (const k of ['Split', 'Split.1', 'Split.2']) expect(forms.get(k)).toContain('MatMul');
  });

  it('BERT block with erf-GELU', () => {
    const { forms } = fusedForms(buildBertBlock(TINY_BERT));
    expect(forms.get('Gelu')).toContain('Mul');
    expect(forms.has('FusedLinear')).toBe(true);
    expect(forms.get('SkipLayerNorm')).toContain('LayerNorm');
    expect(forms.get('SkipLayerNorm.1')).toContain('Add');
    expect(forms.get('GptAttention')).toBeDefined();
    for (const k of ['Split', 'Split.1', 'Split.2']) expect(forms.get(k)).toContain('MatMul');
  });

  it('GPT-2 block with tanh-GELU', () => {
    const { forms } = fusedForms(buildGpt2Block(TINY_GPT2));
    expect(forms.get('Gelu')).toContain('Mul');
    expect(forms.has('FusedLinear')).toBe(true);
    expect(forms.get('GptAttention')).toBeDefined();
    expect(forms.get('SkipLayerNorm.1')).toContain('Add');
  });

  it('SqueezeNet fire module with batch norm', () => {
    const { forms, report } = fusedForms(buildFireModule(TINY_FIRE));
    expect(forms.get('FusedConv')).toContain('Relu');
    // The two expand convs share their input: merged into one wider conv and split.
    expect(forms.get('Split.1')).toBeDefined();
    expect(report.stopReason).toBe('saturated');
  });
});
