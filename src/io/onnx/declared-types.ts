/**
 * A file's value_info checked against inference: the file is not trusted blindly. Dtypes and ranks
 * must agree, as must dims both sides know; where inference gives a symbol and the file a number,
 * the file's number is taken (it may know a size inference cannot), and the reverse keeps the number.
 */
import { formatShape } from '../../ops/shape.js';
import type { TensorType } from '../../ops/types.js';
import { OnnxImportError } from './errors.js';

/** The type of tensor `name`: inferred and declared merged, or an OnnxImportError on a conflict. */
export function reconcileDeclared(name: string, inferred: TensorType | undefined, declared: TensorType | undefined, where: string): TensorType | undefined {
  if (!inferred || !declared) return inferred ?? declared;
  const conflict = (what: string) =>
    new OnnxImportError(
      `the file declares ${name} as ${declared.dtype} ${formatShape(declared.shape)}, but the op gives ${inferred.dtype} ${formatShape(inferred.shape)}: ${what}`,
      {
        where,
        hint: `fix or drop the value_info of ${name} (onnx.shape_inference.infer_shapes recomputes it)`,
      },
    );
  if (inferred.dtype !== declared.dtype) throw conflict('the dtypes differ');
  if (inferred.shape.length !== declared.shape.length) throw conflict('the ranks differ');
  const shape = inferred.shape.map((d, i) => {
    const f = declared.shape[i]!;
    if (typeof d === 'number' && typeof f === 'number' && d !== f) throw conflict(`dimension ${i} differs`);
    return typeof f === 'number' ? f : d;
  });
  return { dtype: inferred.dtype, shape };
}
