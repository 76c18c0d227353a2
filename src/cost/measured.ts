/**
 * The measured cost model: a table of (op, attributes, input shapes, dtype) -> microseconds, from a
 * real device. A node matching an entry's shapes takes its time; a node between measured sizes of the
 * same op, attributes, dtype and ranks is interpolated linearly along the roofline time of the
 * entries (so "size" means the work the roofline model sees: FLOPs or bytes, whichever bounds);
 * anything else falls back to the roofline model of the table's device, with one warning per kind.
 */
import { getOp, inferTypes, resolveAttrs } from '../ops/registry.js';
import type { Attrs, DType, TensorType } from '../ops/types.js';
import type { SymbolValues } from './bind-symbols.js';
import type { CostModel } from './cost-model.js';
import type { DeviceId, DeviceSpec } from './device.js';
import { CostModelError } from './errors.js';
import { roofline } from './roofline.js';

export interface MeasuredEntry {
  readonly op: string;
  readonly attrs?: Attrs;
  readonly dtype: DType;
  /** Static input shapes, in input order. */
  readonly inputs: readonly (readonly number[])[];
  readonly us: number;
}

export interface MeasuredTable {
  /** The device the times were measured on; its roofline model is the fallback. */
  readonly device: DeviceId | DeviceSpec;
  readonly entries: readonly MeasuredEntry[];
}

export interface MeasuredOptions {
  readonly symbolValues?: SymbolValues;
  /** Receives each fallback warning once per op kind; console.warn by default. */
  readonly onWarning?: (message: string) => void;
}

interface Point {
  readonly work: number;
  readonly shapes: string;
  readonly us: number;
}

const groupKey = (op: string, attrs: Attrs, dtype: DType | undefined, ranks: readonly number[]) => `${op}|${JSON.stringify(attrs)}|${dtype}|${ranks.join(',')}`;

export function measured(table: MeasuredTable, options: MeasuredOptions = {}): CostModel {
  const fallback = roofline(table.device, options.symbolValues ? { symbolValues: options.symbolValues } : {});
  const warn = options.onWarning ?? ((m: string) => console.warn(m));
  const workOf = (op: string, attrs: Attrs, inputs: readonly (TensorType | undefined)[], outputs: readonly TensorType[]) => {
    const b = fallback.breakdown(op, attrs, inputs, outputs);
    return Math.max(b.computeUs, b.memoryUs);
  };

  const groups = new Map<string, Point[]>();
  table.entries.forEach((e, i) => {
    const where = `measured table entry ${i} (${e.op})`;
    if (!(typeof e.us === 'number' && Number.isFinite(e.us) && e.us >= 0)) {
      throw new CostModelError(`"us" must be a finite non-negative number, got ${JSON.stringify(e.us)}`, { where });
    }
    const def = getOp(e.op);
    const attrs = resolveAttrs(def, e.attrs ?? {}, where);
    const inputs: TensorType[] = e.inputs.map((shape) => ({ dtype: e.dtype, shape }));
    const outputs = inferTypes(def, inputs, attrs, where);
    const key = groupKey(
      e.op,
      attrs,
      e.dtype,
      e.inputs.map((s) => s.length),
    );
    const points = groups.get(key) ?? [];
    points.push({ work: workOf(e.op, attrs, inputs, outputs), shapes: JSON.stringify(e.inputs), us: e.us });
    groups.set(key, points);
  });
  for (const points of groups.values()) points.sort((a, b) => a.work - b.work);

  const warned = new Set<string>();
  return {
    name: 'measured',
    nodeCost(op, attrs, inputs, outputs) {
      const present = inputs.filter((t): t is TensorType => t !== undefined);
      const key = groupKey(
        op,
        attrs,
        present[0]?.dtype,
        present.map((t) => t.shape.length),
      );
      const points = groups.get(key);
      if (points) {
        const shapes = JSON.stringify(present.map((t) => t.shape));
        const exact = points.find((p) => p.shapes === shapes);
        if (exact) return exact.us;
        const work = workOf(op, attrs, inputs, outputs);
        const hi = points.findIndex((p) => p.work >= work);
        if (hi > 0) {
          const a = points[hi - 1]!;
          const b = points[hi]!;
          return b.work === a.work ? b.us : a.us + ((work - a.work) / (b.work - a.work)) * (b.us - a.us);
        }
        if (hi === 0 && points[0]!.work === work) return points[0]!.us;
      }
      if (!warned.has(key)) {
        warned.add(key);
        warn(`measured: no measured sizes around ${op} ${JSON.stringify(attrs)} (${present[0]?.dtype ?? 'no input'}); using ${fallback.name}`);
      }
      return fallback.nodeCost(op, attrs, inputs, outputs);
    },
  };
}
