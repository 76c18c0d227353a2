/** Whether a tensor is computed from constants alone (every path up ends at an input-free layer). */
import type { Tensor } from '../../network/tensor.js';

/** True when every path above `t`, within `depth` layers, ends at a layer without inputs. */
export function isConstantFoldable(t: Tensor, depth = 10): boolean {
  const p = t.producer;
  if (!p) return false; // a network input varies
  if (p.inputSlots.every((x) => x === undefined)) return true;
  if (depth === 0) return false;
  return p.inputSlots.every((x) => x === undefined || isConstantFoldable(x, depth - 1));
}
