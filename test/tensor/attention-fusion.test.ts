/**
 * End to end on the exported Llama (rotary on q and k, GQA repeat): saturation with the shipped
 * rules, extraction and lowering choose GptAttention with its built-in RoPE, and the optimized
 * network computes what the original does.
 */
import { describe, expect, it } from 'vitest';
import { optimize } from '../../src/optimize.js';
import { buildExportedLlama, EXPORTED_LLAMA_EXAMPLE } from '../../src/zoo/llama-exported.js';

describe('exported Llama attention becomes GptAttention', () => {
  it.each([
    ['GQA', EXPORTED_LLAMA_EXAMPLE.kvHeads],
    ['MHA (the repeat by 1)', EXPORTED_LLAMA_EXAMPLE.heads],
  ])('%s', async (_, kvHeads) => {
    const config = { ...EXPORTED_LLAMA_EXAMPLE, kvHeads };
    const { network, report } = await optimize(buildExportedLlama(config));
    expect(report.verification.pass).toBe(true);
    const attention = network.layers.filter((l) => l.op === 'GptAttention');
    expect(attention).toHaveLength(config.layers);
    const headSize = config.hidden / config.heads;
    for (const { attributes: a } of attention) {
      expect(a).toMatchObject({ numHeads: config.heads, numKvHeads: kvHeads, headSize, rotaryDim: headSize, causal: true });
      expect(a.rotaryBase as number).toBeCloseTo(10_000, 1);
    }
    // The rotate-half slices, the head transposes and the softmax are all inside the fused layers.
    for (const op of ['Softmax', 'Slice', 'Neg', 'Transpose', 'Expand']) expect(network.layers.some((l) => l.op === op)).toBe(false);
  });
});
