/**
 * The shapes a Reshape or an Expand produces, for rule conditions that must check what an
 * intermediate tensor of a matched pattern looks like (the head reshapes of attention). The ops'
 * own shape inference answers, so a condition and the op can never disagree about ONNX semantics
 * (Reshape: 0 copies the input dim at that index, one -1 is inferred; Expand: numpy broadcasting).
 */
import { ShapeError } from '../errors.js';
import { getOp, inferTypes, resolveAttrs } from '../ops/registry.js';
import type { Dim } from '../ops/types.js';
import { dimValue, SKIP, SymbolicDim } from './value.js';
import type { Outcome, Value } from './value.js';

/** A list value as a shape; undefined when an item is not a dim. */
function asShape(v: Value): Dim[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const dims: Dim[] = [];
  for (const d of v as readonly Value[]) {
    if (d instanceof SymbolicDim) dims.push(d.name);
    else if (typeof d === 'number' && Number.isInteger(d) && d >= 0) dims.push(d);
    else return undefined;
  }
  return dims;
}

function asInts(v: Value): number[] | undefined {
  return Array.isArray(v) && v.every((x) => typeof x === 'number' && Number.isInteger(x)) ? (v as number[]) : undefined;
}

/**
 * The output shape of `op` ('Reshape' or 'Expand') on an input of `shape` with target `target`.
 * False when the target does not fit a fully known shape (no such op exists, so no match can hold);
 * SKIP when the shape has symbolic dims the answer depends on, or the arguments are not shapes.
 */
export function shapeAfter(op: 'Reshape' | 'Expand', shape: Value, target: Value): Outcome {
  const input = asShape(shape);
  const ints = asInts(target);
  if (!input || !ints) return SKIP;
  try {
    const def = getOp(op);
    const [out] = inferTypes(def, [{ dtype: 'float32', shape: input }], resolveAttrs(def, { shape: ints }));
    return out!.shape.map(dimValue);
  } catch (e) {
    if (!(e instanceof ShapeError)) throw e;
    return input.every((d) => typeof d === 'number') ? false : SKIP;
  }
}
