/**
 * The memory budget of an optimize run (`maxMemoryBytes`, `--max-memory`; default 1 GiB of the
 * process's resident memory). Saturation, where an e-graph and its explanations grow, stops at it
 * and hands on what it has. Verification cannot be cut short, and no unchecked result is handed
 * back: a check whose size (known before it starts) does not fit is a BudgetError. What stopped,
 * and the run's peak, go into the report.
 */
import { readFileSync } from 'node:fs';
import { BudgetError, NetsatError } from './errors.js';
import type { Network } from './network/network.js';
import type { Tensor } from './network/tensor.js';
import type { InputValues } from './interp/given-inputs.js';
import { storageBytes } from './ops/ndarray.js';
import { numelEstimate } from './ops/shape.js';
import type { RunReport } from './egraph/runner.js';

export const DEFAULT_MAX_MEMORY_BYTES = 2 ** 30;

/** What the budget did in one run: the limit, the process's peak resident memory, and the stages it stopped. */
export interface BudgetReport {
  maxMemoryBytes: number;
  peakRssBytes: number;
  stops: string[];
}

/** The largest size checking draws for a symbolic dim (input sets bind symbols to primes up to 11). */
const LARGEST_SYMBOL = 11;

/** The size a symbolic dim counts as. */
type SizeOf = (symbol: string) => number;

/**
 * The size a check binds each symbolic dim to, at most: LARGEST_SYMBOL where it is drawn, or the
 * largest size an input set the user gives fixes it to (a given sequence of 2048 is a dim of 2048).
 */
function checkedSizes(network: Network, given: readonly InputValues[] = []): SizeOf {
  const sizes = new Map<string, number>();
  for (const values of given)
    for (const t of network.inputs)
      t.shape.forEach((d, i) => {
        const size = values[t.name]?.shape[i];
        if (typeof d === 'string' && size !== undefined) sizes.set(d, Math.max(sizes.get(d) ?? 0, size));
      });
  return (symbol) => Math.max(LARGEST_SYMBOL, sizes.get(symbol) ?? 0);
}

/**
 * What onnxruntime's check takes beside two copies of the weights: measured 30-60 MiB (BERT, MobileNet:
 * the same run with and without the check), with room for a collector that lags on a loaded machine.
 */
const ONNXRUNTIME_BYTES = 80 * 2 ** 20;

/**
 * An upper bound of the memory a check of `network` needs beyond what the process holds: the
 * interpreter draws every shape-only constant for each network and holds the widest values in
 * flight; onnxruntime holds each written model and its session's copy of the weights beside its
 * own runtime. Symbolic dims count at the sizes the check binds them to (`given`: the user's input sets).
 */
export function verificationBytes(network: Network, byOnnxruntime: boolean, given?: readonly InputValues[]): number {
  const sizeOf = checkedSizes(network, given);
  let widest = 0;
  for (const layer of network.layers) if (layer.op !== 'Constant') for (const t of layer.outputs) widest = Math.max(widest, tensorBytes(t, sizeOf));
  return (byOnnxruntime ? ONNXRUNTIME_BYTES : 0) + 2 * constantBytes(network, 'all', sizeOf) + 8 * widest;
}

/**
 * Bytes of the network's constants, symbolic dims at their largest drawn size: all of them (a check
 * draws the shape-only ones), or only those `held` with data (nothing else materializes the rest).
 */
function constantBytes(network: Network, which: 'all' | 'held', sizeOf: SizeOf): number {
  let bytes = 0;
  for (const layer of network.layers) if (layer.op === 'Constant' && (which === 'all' || layer.constantData)) for (const t of layer.outputs) bytes += tensorBytes(t, sizeOf);
  return bytes;
}

function tensorBytes(t: Tensor, sizeOf: SizeOf): number {
  return numelEstimate(t.shape, sizeOf) * storageBytes(t.dtype);
}

/** Throws a BudgetError when checking `network` does not fit in what is left of `maxMemoryBytes`. */
export function requireVerificationFits(network: Network, byOnnxruntime: boolean, maxMemoryBytes: number, given?: readonly InputValues[]): void {
  const need = verificationBytes(network, byOnnxruntime, given);
  const left = maxMemoryBytes - process.memoryUsage.rss();
  if (need <= left) return;
  throw new BudgetError(`checking the result needs about ${size(need)}, and ${size(Math.max(0, left))} of the ${size(maxMemoryBytes)} memory budget are left`, {
    where: `verification of ${network.name}`,
    hint: 'raise the budget (--max-memory, maxMemoryBytes), or turn the check off knowingly (--no-verify, verify: false)',
  });
}

/**
 * What saturation may hold: the budget less what the stages after it need (the check, when there is
 * one, and the weights held once more for the result written out), so a saturation that fills its share
 * still ends checked, not with a BudgetError.
 */
export function saturationMemoryBytes(network: Network, maxMemoryBytes: number, checkedByOnnxruntime: boolean | undefined, given?: readonly InputValues[]): number {
  const check = checkedByOnnxruntime === undefined ? 0 : verificationBytes(network, checkedByOnnxruntime, given);
  // Constants held with data have static shapes: no symbol to size.
  return maxMemoryBytes - check - constantBytes(network, 'held', () => LARGEST_SYMBOL);
}

/** The stages saturation's stop reason says the budget cut short. */
export function saturationStops(run: RunReport): string[] {
  const after = `after ${run.iterations.length} iterations, ${run.final.enodes} e-nodes`;
  if (run.stopReason === 'memory_limit') return [`saturation stopped at the memory budget ${after}`];
  if (run.stopReason === 'time_limit') return [`saturation stopped at its time limit ${after}`];
  if (run.stopReason === 'node_limit') return [`saturation stopped at its e-node limit ${after}`];
  return [];
}

/** The process's resident memory now and its peak so far. */
export function memoryNow(): { rssBytes: number; peakRssBytes: number } {
  return { rssBytes: process.memoryUsage.rss(), peakRssBytes: peakRssBytes() };
}

/**
 * The process's peak resident memory so far. On Linux this is the kernel's high-water mark of the
 * process's own memory (VmHWM): getrusage's maxRSS, which Node reports, survives exec, so a
 * netsat spawned by a process of 400 MiB would report a peak of 400 MiB before doing anything.
 */
export function peakRssBytes(): number {
  const hwm = process.platform === 'linux' ? /^VmHWM:\s*(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8')) : null;
  return (hwm ? Number(hwm[1]) : process.resourceUsage().maxRSS) * 1024;
}

/** Bytes in the largest binary unit that keeps a whole number above zero. */
function size(bytes: number): string {
  for (const [unit, n] of [
    ['GiB', 2 ** 30],
    ['MiB', 2 ** 20],
    ['KiB', 2 ** 10],
  ] as const)
    if (bytes >= n) return `${Math.round(bytes / n)} ${unit}`;
  return `${bytes} bytes`;
}

const UNITS: Record<string, number> = { '': 2 ** 20, b: 1, k: 1e3, kb: 1e3, kib: 2 ** 10, m: 1e6, mb: 1e6, mib: 2 ** 20, g: 1e9, gb: 1e9, gib: 2 ** 30 };

/** Parses a size such as `1GiB`, `512MiB`, `800MB` or `300` (MiB) into bytes. */
export function parseByteSize(text: string, where: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = m ? UNITS[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined || Number(m[1]) <= 0) {
    throw new NetsatError(`"${text}" is not a memory size`, { where, hint: 'write a positive size such as 1GiB, 512MiB or 800MB (a plain number is MiB)' });
  }
  return Math.round(Number(m[1]) * unit);
}
