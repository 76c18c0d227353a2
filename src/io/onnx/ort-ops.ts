/**
 * onnxruntime forms of fused kinds (target 'ort'): com.microsoft contrib ops, used only where
 * onnxruntime's CPU provider has a kernel for the dtype and shapes (float32; the skip input the
 * same shape as x; rank 2 or 3 for the skip norms). An exporter returns false to fall back to the
 * standard decomposition.
 */
import { sameShape } from '../../ops/shape.js';
import type { Emit } from './emit.js';
import { dtypeOf, inputType } from './emit.js';
import { writeGptAttentionOrt } from './gpt-attention.js';
import { writeRotaryOrt } from './rotary.js';

type OrtExporter = (e: Emit) => boolean;

const MS = 'com.microsoft';
const eps = (e: Emit) => ({ f: e.layer.attributes['epsilon'] as number });

/** The skip norms' kernels read x [B, S, H] or [T, H] and a skip of the same shape. */
function skipFits(e: Emit): boolean {
  const x = inputType(e, 0).shape;
  return (x.length === 2 || x.length === 3) && sameShape(inputType(e, 1).shape, x);
}

const FUSED_CONV_ACTIVATIONS: Readonly<Record<string, string>> = { relu: 'Relu', sigmoid: 'Sigmoid', tanh: 'Tanh' };

export const ORT_EXPORTERS: Readonly<Record<string, OrtExporter>> = {
  RMSNorm: (e) => {
    // SimplifiedLayerNormalization is registered by onnxruntime in the default domain.
    e.w.node('SimplifiedLayerNormalization', [e.ins[0]!, e.ins[1]!], e.outs, { axis: -1, epsilon: eps(e), stash_type: 1 });
    return true;
  },
  SkipRMSNorm: (e) => {
    if (!skipFits(e)) return false;
    e.w.node('SkipSimplifiedLayerNormalization', [e.ins[0]!, e.ins[1]!, e.ins[2]!], [e.outs[0]!, '', '', e.outs[1]!], { epsilon: eps(e) }, MS);
    return true;
  },
  SkipLayerNorm: (e) => {
    if (!skipFits(e)) return false;
    const ins = e.ins[3] ? [e.ins[0]!, e.ins[1]!, e.ins[2]!, e.ins[3]] : [e.ins[0]!, e.ins[1]!, e.ins[2]!];
    e.w.node('SkipLayerNormalization', ins, [e.outs[0]!, '', '', e.outs[1]!], { epsilon: eps(e) }, MS);
    return true;
  },
  Gelu: (e) => {
    e.w.node(e.layer.attributes['approximate'] === 'tanh' ? 'FastGelu' : 'Gelu', [e.ins[0]!], e.outs, {}, MS);
    return true;
  },
  FusedConv: (e) => {
    const act = FUSED_CONV_ACTIVATIONS[e.layer.attributes['activation'] as string];
    if (!act) return false;
    const at = e.layer.attributes;
    const attrs = {
      kernel_shape: inputType(e, 1).shape.slice(2) as number[],
      strides: at['strides'] as number[],
      pads: at['pads'] as number[],
      dilations: at['dilations'] as number[],
      group: at['group'] as number,
      activation: act,
    };
    e.w.node('FusedConv', e.ins[2] ? [...e.ins] : [e.ins[0]!, e.ins[1]!], e.outs, attrs, MS);
    return true;
  },
  GptAttention: writeGptAttentionOrt,
  RotaryEmbedding: writeRotaryOrt,
};

/** Writes the layer in its onnxruntime form when there is one that fits; false otherwise. */
export function exportForOrt(e: Emit): boolean {
  const write = ORT_EXPORTERS[e.layer.op];
  return dtypeOf(e) === 'float32' && write !== undefined && write(e);
}
