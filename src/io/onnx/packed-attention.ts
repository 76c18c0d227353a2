/**
 * A non-causal GptAttention together with the projection that makes its qkv, as one
 * com.microsoft Attention (target 'ort'): onnxruntime's Attention multiplies input [B, S, H] by
 * weights [H, 3H], adds bias [3H] and attends over the q, k and v thirds, so the MatMul (or
 * FusedLinear without activation) and the Split + MultiHeadAttention become one node.
 */
import type { Layer } from '../../network/layer.js';
import type { Tensor } from '../../network/tensor.js';
import type { Emit } from './emit.js';

/** The projection layer and the tensors Attention reads; bias is the projection's or the attention's, if either has one. */
export interface QkvProjection {
  layer: Layer;
  input: Tensor;
  weight: Tensor;
  bias: Tensor | undefined;
}

const isConstant = (l: Layer | undefined) => l?.op === 'Constant' && l.constantData !== undefined;

/**
 * The projection that makes `qkv` [B, S, 3H] (static B and S) for one attention only: a MatMul or
 * a FusedLinear (no activation, no transB) of [B, S, H] with a constant [H, 3H] weight; at most one
 * bias between it and `qkvBias`, of shape [3H] (Attention adds only one). Undefined otherwise.
 */
export function qkvProjection(qkv: Tensor, qkvBias: Tensor | undefined, hidden: number): QkvProjection | undefined {
  const layer = qkv.getParent();
  if (!layer || qkv.isNetworkOutput() || qkv.getUsers().length !== 1) return undefined;
  const linear = layer.op === 'FusedLinear' && layer.attributes['activation'] === 'none' && !layer.attributes['transB'];
  if (layer.op !== 'MatMul' && !linear) return undefined;
  const [input, weight, linearBias] = layer.inputs as [Tensor, Tensor, Tensor | undefined];
  const [b, s, h] = input.shape;
  if (input.shape.length !== 3 || typeof b !== 'number' || typeof s !== 'number' || h !== hidden) return undefined;
  if (!isConstant(weight.getParent()) || weight.shape.length !== 2 || weight.shape[0] !== hidden || weight.shape[1] !== 3 * hidden) return undefined;
  if (linearBias && qkvBias) return undefined;
  const bias = linearBias ?? qkvBias;
  if (bias && (bias.shape.length !== 1 || bias.shape[0] !== 3 * hidden)) return undefined;
  return { layer, input, weight, bias };
}

/** The Attention node, in place of the projection and the attention (scale = 1/(√Dh·qScaling), not unidirectional). */
export function writePackedAttention(e: Emit, p: QkvProjection, heads: number, scale: number): void {
  const { w } = e;
  const width = 3 * (p.weight.shape[0] as number);
  // Its CPU kernel reads the bias unconditionally (a model without one crashes it): zeros stand in.
  const bias = p.bias?.name ?? w.constant('float32', [width], new Array<number>(width).fill(0));
  w.node('Attention', [p.input.name, p.weight.name, bias], [e.outs[0]!], { num_heads: heads, scale: { f: scale }, unidirectional: 0 }, 'com.microsoft');
}
