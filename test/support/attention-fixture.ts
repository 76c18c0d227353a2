/**
 * A small copy of TensorRT-LLM's graph-rewriting test fixture (`create_gpt_attention_network`):
 * input [B, S, hidden] → MatMul(W [hidden, qkvWidth]) → Add(bias [qkvWidth]) → one recorded
 * GptAttention, whose two outputs are marked `output` and `presentKeyValue`. Weights are seeded.
 */
import * as fused from '../../src/network/functional/fused.js';
import * as primitives from '../../src/network/functional/primitives.js';
import { Network } from '../../src/network/network.js';
import type { Layer } from '../../src/network/layer.js';
import type { Tensor } from '../../src/network/tensor.js';
import type { NDArray } from '../../src/ops/types.js';
import { randomArray, seedFor } from '../../src/interp/random.js';

export const BATCH = 2;
export const SEQ = 8;
export const HIDDEN = 32;
export const HEADS = 4;
export const KV_HEADS = 4;
export const HEAD_SIZE = 8;
export const QKV_WIDTH = (HEADS + 2 * KV_HEADS) * HEAD_SIZE; // 96
export const FIXTURE_SEED = 1234;

/** The functional builders, as src/index.ts exports them. */
export const F = { ...primitives, ...fused };

/** The attention arguments of the fixture other than its tensors. */
export const ATTENTION_SCALARS = {
  numHeads: HEADS,
  numKvHeads: KV_HEADS,
  headSize: HEAD_SIZE,
  qScaling: 1,
  maxContextLength: SEQ,
} as const;

/** The seeded weight W [hidden, qkvWidth] (scale 0.2, so scores are neither flat nor one-hot). */
export function weightData(): NDArray {
  return randomArray('float32', [HIDDEN, QKV_WIDTH], seedFor(FIXTURE_SEED, 'W'), { floatScale: 0.2 });
}

/** The seeded bias [qkvWidth]. */
export function biasData(): NDArray {
  return randomArray('float32', [QKV_WIDTH], seedFor(FIXTURE_SEED, 'bias'), { floatScale: 0.5 });
}

/** A seeded value for the network input `input` [B, S, hidden]. */
export function inputData(seed = 7): NDArray {
  return randomArray('float32', [BATCH, SEQ, HIDDEN], seedFor(seed, 'input'));
}

export interface AttentionFixture {
  network: Network;
  input: Tensor;
  weight: Tensor;
  bias: Tensor;
  matmul: Layer;
  add: Layer;
  attention: Layer;
  /** The matmul's output. */
  projected: Tensor;
  /** The add's output, the attention's qkv. */
  qkv: Tensor;
  output: Tensor;
  presentKeyValue: Tensor;
}

export interface FixtureOptions {
  /** Build `input@W - bias` instead of `input@W + bias` (the AddToSub reference). */
  subtractBias?: boolean;
  /** The bias comes from a network input `biasInput` instead of a constant. */
  biasFromInput?: boolean;
  /** Give the attention call a qkvBias of its own (a second constant, `qkvBias`). */
  withQkvBias?: boolean;
  /** Extra scalar arguments for the attention call (pagedKvCache...). */
  attention?: Partial<Omit<Parameters<typeof F.gptAttention>[0], 'qkv' | 'qkvBias' | 'contextLengths'>>;
  name?: string;
}

/** Builds the fixture network. */
export function buildAttentionNetwork(options: FixtureOptions = {}): AttentionFixture {
  const network = new Network(options.name ?? 'gpt2_attention');
  const input = network.addInput('input', 'float32', [BATCH, SEQ, HIDDEN]);
  const weight = network.addConstant({ dtype: 'float32', shape: [HIDDEN, QKV_WIDTH], data: weightData(), name: 'W' });
  const bias = options.biasFromInput
    ? network.addInput('biasInput', 'float32', [QKV_WIDTH])
    : network.addConstant({ dtype: 'float32', shape: [QKV_WIDTH], data: biasData(), name: 'bias' });
  const projected = F.matmul(input, weight);
  const qkv = options.subtractBias ? F.sub(projected, bias) : F.add(projected, bias);
  const qkvBias = options.withQkvBias ? network.addConstant({ dtype: 'float32', shape: [QKV_WIDTH], data: biasData(), name: 'qkvBias' }) : undefined;
  const outs = F.gptAttention({ qkv, ...(qkvBias ? { qkvBias } : {}), ...ATTENTION_SCALARS, ...options.attention });
  const output = outs[0]!;
  network.markOutput(output, 'output');
  const presentKeyValue = outs[1];
  if (presentKeyValue) network.markOutput(presentKeyValue, 'presentKeyValue');
  return {
    network,
    input,
    weight,
    bias,
    matmul: projected.getParent()!,
    add: qkv.getParent()!,
    attention: output.getParent()!,
    projected,
    qkv,
    output,
    presentKeyValue: presentKeyValue ?? output,
  };
}
