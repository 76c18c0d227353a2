/**
 * The roofline cost model: a node costs max(FLOPs / peak FLOP/s, bytes moved / bandwidth) plus one
 * kernel launch, in microseconds. FLOPs and bytes come from the op registry's `cost()` facts. A fused
 * op's facts count only its own inputs and outputs, so it pays its intermediate tensors' traffic
 * once (inside the kernel) and one launch instead of several: that is why fusion wins here.
 */
import { getOp, hasOp } from '../ops/registry.js';
import type { Attrs, DType, OpDef, TensorType } from '../ops/types.js';
import { bindType, type SymbolValues } from './bind-symbols.js';
import type { CostModel } from './cost-model.js';
import { loadDevice, type DeviceId, type DeviceSpec } from './device.js';
import { CostModelError } from './errors.js';

export interface RooflineOptions {
  /** Values of symbolic dims; unbound ones count as 1. */
  readonly symbolValues?: SymbolValues;
  /** Ops that run no kernel (inputs, weights, constants, metadata-only views): cost 0. */
  readonly freeOps?: readonly string[];
  /** Op lookup; the registry by default. */
  readonly lookup?: (op: string) => OpDef | undefined;
}

export interface RooflineModel extends CostModel {
  readonly device: DeviceSpec;
  /** The two roofline terms and the total, in µs, for reports. */
  breakdown(op: string, attrs: Attrs, inputs: readonly (TensorType | undefined)[], outputs: readonly TensorType[]): RooflineBreakdown;
}

export interface RooflineBreakdown {
  readonly computeUs: number;
  readonly memoryUs: number;
  readonly launchUs: number;
  readonly totalUs: number;
}

/**
 * Ops that run no kernel: graph inputs and weights, and metadata-only views (a reshape or an
 * identity only relabels a buffer on every runtime netsat targets).
 */
const DEFAULT_FREE_OPS = ['Input', 'Weight', 'Constant', 'Identity', 'Reshape', 'Flatten', 'Squeeze', 'Unsqueeze'];

/** The peak rate for the dtype the node computes in (its first output's). */
function peakFor(device: DeviceSpec, dtype: DType | undefined): number {
  return (dtype && device.peakFlops[dtype]) || device.peakFlops.float32;
}

export function roofline(device: DeviceId | DeviceSpec, options: RooflineOptions = {}): RooflineModel {
  const spec = loadDevice(device);
  const values = options.symbolValues ?? {};
  const free = new Set(options.freeOps ?? DEFAULT_FREE_OPS);
  const lookup = options.lookup ?? ((op: string) => (hasOp(op) ? getOp(op) : undefined));
  const breakdown = (op: string, attrs: Attrs, inputs: readonly (TensorType | undefined)[], outputs: readonly TensorType[]): RooflineBreakdown => {
    if (free.has(op)) return { computeUs: 0, memoryUs: 0, launchUs: 0, totalUs: 0 };
    const def = lookup(op);
    if (!def) {
      throw new CostModelError(`roofline cannot price op "${op}": it is not in the op registry`, {
        where: `roofline(${spec.id})`,
        hint: 'add the op to src/ops, or list it in freeOps if it runs no kernel',
      });
    }
    const ins = inputs.map((t) => (t ? bindType(t, values, op) : undefined));
    const outs = outputs.map((t) => bindType(t, values, op));
    const facts = def.cost(ins, outs, attrs);
    const computeUs = (facts.flops / peakFor(spec, outs[0]?.dtype ?? ins[0]?.dtype)) * 1e6;
    const memoryUs = ((facts.bytesRead + facts.bytesWritten) / spec.memoryBandwidth) * 1e6;
    const launchUs = spec.launchOverheadUs;
    return { computeUs, memoryUs, launchUs, totalUs: Math.max(computeUs, memoryUs) + launchUs };
  };
  return {
    name: `roofline(${spec.id})`,
    device: spec,
    breakdown,
    nodeCost: (op, attrs, inputs, outputs) => breakdown(op, attrs, inputs, outputs).totalUs,
  };
}
