/** What an op exporter sees of one layer: the writer, the layer, its input and output names, the target. */
import type { Layer } from '../../network/layer.js';
import type { DType, TensorType } from '../../ops/types.js';
import type { GraphWriter } from './graph-writer.js';

/** 'onnx': standard ops only; 'ort': onnxruntime's com.microsoft contrib ops where it has kernels. */
export type ExportTarget = 'onnx' | 'ort';

export interface Emit {
  readonly w: GraphWriter;
  readonly layer: Layer;
  /** Input names, '' where an optional input is absent. */
  readonly ins: readonly string[];
  readonly outs: readonly string[];
  readonly target: ExportTarget;
  /** The default-domain opset the network was read at: the form of its Opaque layers' nodes. */
  readonly readOpset: number;
}

export function inputType(e: Emit, i: number): TensorType {
  return e.layer.inputs[i]!.type;
}

export function dtypeOf(e: Emit): DType {
  return e.layer.outputs[0]!.dtype;
}

/** A fresh intermediate name under the layer's name. */
export function temp(e: Emit, what: string): string {
  return e.w.fresh(`${e.layer.name}/${what}`);
}
