/**
 * Device specifications for the roofline model, kept as JSON data files in ./devices with the source
 * of every number. Peak rates are dense (no structured sparsity).
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { DType } from '../ops/types.js';
import { CostModelError } from './errors.js';

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

// Beside this file in the repository; from a bundle in dist/, the same folder under src/.
const CANDIDATE_DIRS = [new URL('./devices/', import.meta.url), new URL('../src/cost/devices/', import.meta.url)];

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
  for (const dir of CANDIDATE_DIRS) {
    const path = fileURLToPath(new URL(`${device}.json`, dir));
    if (existsSync(path)) return checkSpec(JSON.parse(readFileSync(path, 'utf8')) as DeviceSpec, path);
  }
  throw new CostModelError(`device file ${device}.json not found`, { hint: 'src/cost/devices/ must ship beside the code' });
}
