/** A ValueInfoProto's tensor type as netsat's TensorType: dims checked, dim_params as symbols, unknown dims named by the caller. */
import type { ValueInfoProto } from 'onnx-buf';
import type { Dim, TensorType } from '../../ops/types.js';
import { checkedDim, checkedType } from './dims.js';
import { dtypeFromOnnx } from './dtypes.js';

/** A dim_param as a symbol the network accepts. */
export const symbolOf = (param: string): Dim => param.replace(/[^A-Za-z_0-9*]/g, '_');

/** Undefined where the value has no tensor type with a shape; `unknown(k)` names dim k when the file gives neither size nor name. */
export function tensorTypeOf(v: ValueInfoProto, unknown: (k: number) => Dim): TensorType | undefined {
  if (v.type?.value.case !== 'tensorType') return undefined;
  const t = v.type.value.value;
  if (!t.shape) return undefined;
  const dtype = dtypeFromOnnx(t.elemType, v.name);
  const shape = t.shape.dim.map((d, k) => {
    if (d.value.case === 'dimValue') return checkedDim(d.value.value, v.name);
    return d.value.value ? symbolOf(d.value.value) : unknown(k);
  });
  return checkedType({ dtype, shape }, v.name);
}
