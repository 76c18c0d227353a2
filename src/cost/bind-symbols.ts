/**
 * Cost models need numbers: symbolic dims ("batch", "batch*seq") are replaced by values from the
 * model's `symbolValues`; a symbol with no value counts as 1, so an unbound model compares graphs as
 * if every symbolic size were 1 (bind the real sizes for meaningful absolute costs).
 */
import { bindShape } from '../ops/shape.js';
import type { Shape, TensorType } from '../ops/types.js';

export type SymbolValues = Readonly<Record<string, number>>;

function symbolsOf(shape: Shape): string[] {
  const out: string[] = [];
  for (const d of shape) {
    if (typeof d === 'string') for (const f of d.split('*')) if (!/^\d+$/.test(f.trim())) out.push(f.trim());
  }
  return out;
}

/** The type with every symbolic dim evaluated (unbound symbols = 1). */
export function bindType(t: TensorType, values: SymbolValues, where: string): TensorType {
  if (t.shape.every((d) => typeof d === 'number')) return t;
  const bindings = new Map<string, number>();
  for (const s of symbolsOf(t.shape)) bindings.set(s, values[s] ?? 1);
  return { dtype: t.dtype, shape: bindShape(t.shape, bindings, where) };
}
