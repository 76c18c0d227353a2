/**
 * Cost models need numbers: symbolic dims ("batch", "batch*seq") are replaced by values from the
 * model's `symbolValues`; a symbol with no value counts as 1, so an unbound model compares graphs as
 * if every symbolic size were 1 (bind the real sizes for meaningful absolute costs).
 */
import { bindShape, shapeSymbols } from '../ops/shape.js';
import type { TensorType } from '../ops/types.js';

export type SymbolValues = Readonly<Record<string, number>>;

/** The type with every symbolic dim evaluated (unbound symbols = 1). */
export function bindType(t: TensorType, values: SymbolValues, where: string): TensorType {
  if (t.shape.every((d) => typeof d === 'number')) return t;
  const bindings = new Map<string, number>();
  for (const s of shapeSymbols(t.shape)) bindings.set(s, values[s] ?? 1);
  return { dtype: t.dtype, shape: bindShape(t.shape, bindings, where) };
}
