/**
 * Device specifications for the roofline model, kept as JSON data files in ./devices with the source
 * of every number. Peak rates are dense (no structured sparsity).
 */
import type { DType } from '../ops/types.js';
import { CostModelError } from './errors.js';
import a100 from './devices/a100-sxm.json' with { type: 'json' };
import cpu from './devices/cpu-x86.json' with { type: 'json' };
import h100 from './devices/h100-sxm.json' with { type: 'json' };
import h200 from './devices/h200.json' with { type: 'json' };
import l4 from './devices/l4.json' with { type: 'json' };

export interface DeviceSpec {
  readonly id: string;
  readonly name: string;
  /** Peak FLOP/s by dtype; dtypes not listed use `float32`. GPU float16 is the tensor-core rate. */
  readonly peakFlops: Partial<Record<DType, number>> & { readonly float32: number };
  /** Main-memory bandwidth, bytes/s. */
  readonly memoryBandwidth: number;
  /** Fixed cost of starting one kernel (or one op dispatch on a CPU), µs. */
  readonly launchOverheadUs: number;
  /** Where each number comes from. */
  readonly source: Readonly<Record<string, string>>;
}

export const DEVICE_IDS = ['h100-sxm', 'h200', 'a100-sxm', 'l4', 'cpu-x86'] as const;
export type DeviceId = (typeof DEVICE_IDS)[number];

// Imported, so the build bundles them and dist/ needs no data files beside it.
const BUILT_IN: Record<DeviceId, unknown> = { 'h100-sxm': h100, h200, 'a100-sxm': a100, l4, 'cpu-x86': cpu };

function checkSpec(spec: DeviceSpec, where: string): DeviceSpec {
  const positive = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v > 0;
  if (!positive(spec.peakFlops?.float32) || !positive(spec.memoryBandwidth) || !(spec.launchOverheadUs >= 0)) {
    throw new CostModelError('a device needs peakFlops.float32 > 0, memoryBandwidth > 0 and launchOverheadUs >= 0', { where });
  }
  return spec;
}

/** The spec of a built-in device, or a spec given inline (checked). */
export function loadDevice(device: DeviceId | DeviceSpec): DeviceSpec {
  if (typeof device !== 'string') return checkSpec(device, `device "${device.id}"`);
  if (!(DEVICE_IDS as readonly string[]).includes(device)) {
    throw new CostModelError(`unknown device "${device}"`, { hint: `built-in devices: ${DEVICE_IDS.join(', ')}; or pass a DeviceSpec` });
  }
  return checkSpec(BUILT_IN[device as DeviceId] as DeviceSpec, `device file ${device}.json`);
}
