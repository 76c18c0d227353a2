/**
 * What rule conditions, computed attributes and appliers may ask about a match. check-rules answers
 * from the networks it builds; the e-graph loader answers from e-class analysis data. An answer of
 * `undefined` means "not known here" (a shape the analysis could not infer, a constant whose value
 * is not kept), and makes the expression that needed it evaluate to "skip" rather than fail.
 */
import type { AttrValue, NDArray, TensorType } from '../ops/types.js';

export interface RuleEnv {
  /** The dtype and shape of tensor variable `variable` (with its `?`). */
  type(variable: string): TensorType | undefined;
  /** Whether the tensor is a constant (a weight or literal), when known. */
  isConstant(variable: string): boolean | undefined;
  /** The value of a constant with one element. */
  constValue(variable: string): number | undefined;
  /** The data of a small constant, for predicates over a whole constant (a causal mask). */
  constArray(variable: string): NDArray | undefined;
  /** The value bound to attribute variable `variable`. */
  attr(variable: string): AttrValue | undefined;
}
