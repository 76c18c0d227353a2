/**
 * The LLM blocks as PyTorch exports them, at 1, 4 and 32 layers: each layer holds what its config
 * says (projections, attention, norms, GQA repeats), full width costs no weight memory, and the
 * small copies keep the structure with seeded weights.
 */
import { describe, expect, it } from 'vitest';
import type { Network } from '../../src/network/network.js';
import { zooEntry } from '../../src/zoo/catalog.js';
import { opHistogram } from './op-histogram.js';

// Llama and Qwen2, per layer: q, k, v, o, gate, up, down projections + scores and context = 9
// MatMuls; one Softmax; two RMSNorms (Pow, ReduceMean, Sqrt, Reciprocal and two Muls each);
// rotary on q and k (two Slices, a Neg, a Concat, two Muls and an Add each); k and v repeated for
// GQA (Unsqueeze, Expand, Reshape each); SiLU as x·Sigmoid(x); gate·up; the 1/√d scale; Adds for
// two residuals, two norm epsilons, two rotaries and the mask (+3 for Qwen2's q/k/v biases);
// Reshapes: q, k, v into heads, two repeats, context back; Transposes: q, k, v, kᵀ, context.
const decoderLayer = (qkvBias: boolean) => ({
  MatMul: 9,
  Softmax: 1,
  Pow: 2,
  ReduceMean: 2,
  Sqrt: 2,
  Reciprocal: 2,
  Mul: 4 + 4 + 1 + 1 + 1,
  Slice: 4,
  Neg: 2,
  Concat: 2,
  Unsqueeze: 2,
  Expand: 2,
  Sigmoid: 1,
  Add: 7 + (qkvBias ? 3 : 0),
  Reshape: 6,
  Transpose: 5,
});
// GPT-2, per layer: c_attn, c_proj, c_fc, mlp c_proj + scores and context = 6 MatMuls, each linear
// with its bias Add; one Split of c_attn into q, k, v; two LayerNorms; tanh-GELU (Pow, Tanh, four
// Muls, two Adds); the scale Mul; the mask Add; two residual Adds; q, k, v and context reshaped and
// transposed (k's transpose composed with kᵀ).
const GPT2_LAYER = { MatMul: 6, Split: 1, LayerNorm: 2, Softmax: 1, Pow: 1, Tanh: 1, Mul: 5, Add: 4 + 2 + 1 + 2, Reshape: 4, Transpose: 4 };

const times = (perLayer: Record<string, number>, layers: number) => Object.fromEntries(Object.entries(perLayer).map(([op, n]) => [op, n * layers]));

const weightShape = (network: Network, name: string) => network.getTensor(name)?.shape;

const MODELS = [
  { base: 'llama-3-8b', layer: decoderLayer(false) },
  { base: 'qwen2-7b', layer: decoderLayer(true) },
  { base: 'gpt2', layer: GPT2_LAYER },
];

/** Constants beyond scalars that carry data even at full width: the exporter folds mask and rotary tables in. */
const TABLES = new Set(['attention_mask.causal', 'rotary.cos', 'rotary.sin']);

describe.each(MODELS)('$base blocks', ({ base, layer }) => {
  it.each([1, 4, 32])('x%i builds shape-only at full width with its layers’ op counts', (layers) => {
    const entry = zooEntry(`${base}-x${layers}`);
    expect(entry).toMatchObject({ group: 'llm', layers });
    const network = entry.build();
    network.validate();
    expect(opHistogram(network)).toEqual(times(layer, layers));
    const tensors = network.layers.filter((l) => l.op === 'Constant' && (l.constantData?.data.length ?? 0) > 1).map((l) => l.name);
    expect(tensors.filter((name) => !TABLES.has(name))).toEqual([]);
  });

  it('x1 has a small copy with seeded weights and the same op counts', () => {
    const small = zooEntry(`${base}-x1`).buildWithWeights!();
    small.validate();
    expect(opHistogram(small)).toEqual(layer);
    expect(small.layers.filter((l) => l.op === 'Constant').every((l) => l.constantData !== undefined)).toBe(true);
  });
});

describe('LLM configs', () => {
  it('Llama-3-8B: hidden 4096, 32 query and 8 key-value heads of 128, intermediate 14336', () => {
    const network = zooEntry('llama-3-8b-x1').build();
    expect(network.inputs[0]!.shape).toEqual([1, 128, 4096]);
    expect(weightShape(network, 'model.layers.0.self_attn.q_proj.weight')).toEqual([4096, 4096]);
    expect(weightShape(network, 'model.layers.0.self_attn.k_proj.weight')).toEqual([4096, 8 * 128]);
    expect(weightShape(network, 'model.layers.0.mlp.gate_proj.weight')).toEqual([4096, 14336]);
  });

  it('Qwen2-7B: hidden 3584, 28 query and 4 key-value heads of 128 with q/k/v biases, intermediate 18944', () => {
    const network = zooEntry('qwen2-7b-x1').build();
    expect(weightShape(network, 'model.layers.0.self_attn.q_proj.bias')).toEqual([3584]);
    expect(weightShape(network, 'model.layers.0.self_attn.v_proj.weight')).toEqual([3584, 4 * 128]);
    expect(weightShape(network, 'model.layers.0.self_attn.v_proj.bias')).toEqual([4 * 128]);
    expect(weightShape(network, 'model.layers.0.mlp.down_proj.weight')).toEqual([18944, 3584]);
  });

  it('GPT-2: hidden 768 with a 3072-wide MLP', () => {
    const network = zooEntry('gpt2-x1').build();
    expect(weightShape(network, 'h.0.attn.c_attn.weight')).toEqual([768, 3 * 768]);
    expect(weightShape(network, 'h.0.mlp.c_fc.weight')).toEqual([768, 3072]);
  });
});
