/**
 * onnxruntime forms of fused kinds (target 'ort'): com.microsoft contrib ops, used only where
 * onnxruntime's CPU provider has a kernel for the dtype and shapes (float32) and it pays. A skip
 * norm whose sum is read on (pre-norm blocks: the residual stream) is written as Add + norm:
 * com.microsoft SkipLayerNormalization and SkipSimplifiedLayerNormalization with the sum output
 * measured slower than the pair on the CPU provider (Whisper's encoder and GPT-2 11-12% end to
 * end, 2 threads; up to 2× per node), and onnxruntime leaves that pair unfused itself. A
 * SkipLayerNorm whose sum nothing reads (post-norm, BERT) is SkipLayerNormalization, the node
 * onnxruntime's own optimizer makes of the pair. An exporter returns false to fall back to the
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

/** RMSNorm as onnxruntime's SimplifiedLayerNormalization, which it registers in the default domain. */
function simplifiedNorm(e: Emit, x: string, weight: string, out: string): void {
  e.w.node('SimplifiedLayerNormalization', [x, weight], [out], { axis: -1, epsilon: eps(e), stash_type: 1 });
}

/** SkipLayerNormalization's input is [B, S, H] and its skip that shape, [1, S, H] or [S, H] (gamma and beta are [H] already). */
function skipLayerNormFits(e: Emit): boolean {
  const x = inputType(e, 0).shape;
  const skip = inputType(e, 1).shape;
  return x.length === 3 && [x, [1, x[1]!, x[2]!], x.slice(1)].some((form) => sameShape(skip, form));
}

/** Whether anything reads the skip norm's sum output. */
function sumRead(e: Emit): boolean {
  const sum = e.layer.outputs[1]!;
  return sum.getUsers().length > 0 || sum.isNetworkOutput();
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
  SkipLayerNorm: (e) => {
    if (sumRead(e) || !skipLayerNormFits(e)) return false;
    e.w.node('SkipLayerNormalization', e.ins[3] ? e.ins.slice(0, 4) : e.ins.slice(0, 3), [e.outs[0]!], { epsilon: eps(e) }, MS);
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
