/**
 * The op a reader should see for a layer: its registry op, or for an Opaque layer the op it keeps
 * (`com.microsoft::Attention`, `ConstantOfShape`), the way onnxruntime and peers.json name them.
 * "Opaque" says only that netsat does not model the op, not which op it is.
 */
import type { Layer } from '../network/layer.js';

export function shownOp(layer: Pick<Layer, 'op' | 'attributes'>): string {
  if (layer.op !== 'Opaque') return layer.op;
  const domain = layer.attributes['domain'] as string;
  const opType = layer.attributes['opType'] as string;
  return domain && domain !== 'ai.onnx' ? `${domain}::${opType}` : opType;
}
