/**
 * onnxruntime forms of fused kinds (target 'ort'): com.microsoft contrib ops, used only where
 * onnxruntime's CPU provider has a kernel for the dtype and shapes (float32) and it pays. The skip
 * norms are written as Add + norm: com.microsoft SkipLayerNormalization and
 * SkipSimplifiedLayerNormalization measured up to 2× slower than the pair on the CPU provider
 * (2 threads, [1, 32, 256] to [1, 512, 1024]). An exporter returns false to fall back to the
 * standard decomposition.
 */
import type { Emit } from './emit.js';
import { dtypeOf, inputType } from './emit.js';
import { writeGptAttentionOrt } from './gpt-attention.js';
import { writeRotaryOrt } from './rotary.js';

type OrtExporter = (e: Emit) => boolean;

const MS = 'com.microsoft';
const eps = (e: Emit) => ({ f: e.layer.attributes['epsilon'] as number });

/** RMSNorm as onnxruntime's SimplifiedLayerNormalization, which it registers in the default domain. */
function simplifiedNorm(e: Emit, x: string, weight: string, out: string): void {
  e.w.node('SimplifiedLayerNormalization', [x, weight], [out], { axis: -1, epsilon: eps(e), stash_type: 1 });
}

const FUSED_CONV_ACTIVATIONS: Readonly<Record<string, string>> = { relu: 'Relu', sigmoid: 'Sigmoid', tanh: 'Tanh' };

export const ORT_EXPORTERS: Readonly<Record<string, OrtExporter>> = {
  RMSNorm: (e) => {
    simplifiedNorm(e, e.ins[0]!, e.ins[1]!, e.outs[0]!);
    return true;
  },
  SkipRMSNorm: (e) => {
    e.w.node('Add', [e.ins[0]!, e.ins[1]!], [e.outs[1]!]);
    simplifiedNorm(e, e.outs[1]!, e.ins[2]!, e.outs[0]!);
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
