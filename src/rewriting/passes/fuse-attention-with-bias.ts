/**
 * FuseAttentionWithBias: a projection's bias add feeding a GptAttention layer folds into the
 * attention's qkvBias input (TensorRT-LLM's one built-in pass). Unlike the original it marks the
 * old attention and the add removed, leaves the old FLayerInfo untouched, and ignores dead users.
 */
import { FLayerInfoMemo } from '../../network/flayer-info.js';
import { gptAttention } from '../../network/functional/fused.js';
import type { GptAttentionArgs } from '../../network/functional/fused.js';
import { reshape } from '../../network/functional/primitives.js';
import type { Layer } from '../../network/layer.js';
import { Tensor } from '../../network/tensor.js';
import { PatternRewriter } from '../patterns.js';
import { isConstantFoldable } from './constant-foldable.js';

export class FuseAttentionWithBiasPass extends PatternRewriter {
  constructor() {
    super('fuse_attention_with_bias', { rootLayer: ['GptAttention'] });
  }

  override matchAndRewrite(layer: Layer): boolean {
    if (layer.op !== 'GptAttention' || layer.outputs.length !== 2) return false;
    const info = FLayerInfoMemo.instance().get(layer);
    if (!info) return false;
    const qkv = info.rawInputs.qkv;
    if (!(qkv instanceof Tensor) || qkv.getUsers().length !== 1) return false;
    if (info.rawInputs.qkvBias !== undefined) return false;
    const add = qkv.getParent();
    if (add?.op !== 'Add') return false;
    const [a, b] = add.inputSlots;
    if (!a || !b) return false;
    const folds = [a, b].filter((t) => isConstantFoldable(t));
    if (folds.length !== 1) return false;
    const bias = folds[0]!;
    const input = bias === a ? b : a;
    const width = qkv.shape[qkv.shape.length - 1];
    if (typeof width !== 'number' || input.shape.length !== qkv.shape.length) return false;
    if (bias.shape.reduce<number>((n, d) => n * (typeof d === 'number' ? d : NaN), 1) !== width || bias.shape[bias.shape.length - 1] !== width) return false;
    const network = layer.network;
    network.transaction(() => {
      const flatBias = bias.shape.length === 1 ? bias : reshape(bias, [width]);
      const args = { ...info.cloneInputs(), qkv: input, qkvBias: flatBias } as unknown as GptAttentionArgs;
      const outputs = gptAttention(args);
      info.replaceOutputUsesWith(outputs);
      layer.markRemoved();
      add.markRemoved();
    });
    return true;
  }
}
