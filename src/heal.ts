/**
 * Self-healing: when an optimized network fails verification, find the rules that broke it. The
 * suspects are the rules behind the new layers that feed a failing output (their provenance says
 * which; every rule that applied when provenance is off). Rules are switched off by bisection until
 * the result verifies, keeping only those whose absence is needed; the smallest part of the input
 * on which the culprits still break the result is cut out so it can become a test.
 */
import { NetsatError } from './errors.js';
import type { Network } from './network/network.js';
import { subnetwork } from './network/subnetwork.js';
import type { Tensor } from './network/tensor.js';
import type { OptimizeReport } from './report/optimize-report.js';

/** The live layers `outputs` are computed from. */
function layersFeeding(outputs: readonly Tensor[]): Set<string> {
  const seen = new Set<string>();
  const stack = [...outputs];
  while (stack.length > 0) {
    const layer = stack.pop()!.producer;
    if (!layer || seen.has(layer.name)) continue;
    seen.add(layer.name);
    for (const t of layer.inputs) if (t) stack.push(t);
  }
  return seen;
}

/**
 * The rules to bisect over, narrowest first: those behind the new layers of `optimized` that feed
 * an output failing in `report` (by provenance), then every rule that applied. The first group can
 * miss the culprit: a rule that only rewired a kept layer (x for -x) leaves no new layer behind.
 */
export function suspectRules(optimized: Network, report: OptimizeReport): string[][] {
  const v = report.verification;
  const failing = v.pass === false ? v.outputs.flatMap((o, k) => (o.pass ? [] : [optimized.outputs[k]!])) : [];
  const feeding = layersFeeding(failing);
  const fromProvenance = new Set(report.newLayers.filter((p) => feeding.has(p.layer)).flatMap((p) => p.rules));
  const applied = report.rules.filter((r) => r.applied > 0).map((r) => r.name);
  const suspects = applied.filter((r) => fromProvenance.has(r));
  return suspects.length > 0 && suspects.length < applied.length ? [suspects, applied] : [applied];
}

/**
 * The fewest of `suspects` to switch off so that `verifies` holds, by repeated bisection: with
 * C the culprits so far and R the rest, the shortest prefix P of R such that C + P verifies ends in
 * a culprit, and only P before it can still hold others. Undefined when switching all off fails too.
 */
export async function findCulprits(suspects: readonly string[], verifies: (off: readonly string[]) => Promise<boolean>): Promise<string[] | undefined> {
  if (!(await verifies(suspects))) return undefined;
  const culprits: string[] = [];
  let rest = [...suspects];
  while (!(await verifies(culprits))) {
    let lo = 1;
    let hi = rest.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (await verifies([...culprits, ...rest.slice(0, mid)])) hi = mid;
      else lo = mid + 1;
    }
    culprits.push(rest[lo - 1]!);
    rest = rest.slice(0, lo - 1);
  }
  return culprits;
}

/** Parts of the input tried as reproducers, at most this many (each costs an optimize run). */
const MAX_PARTS = 24;

/**
 * The smallest part of `input` the culprits still break, smallest tried first: the layers each new
 * layer of theirs replaced, and each layer the failed run removed, cut out as networks of their
 * own; `fails` optimizes and checks one. The whole input when no part fails alone.
 */
export async function smallestFailing(input: Network, failed: OptimizeReport, culprits: readonly string[], fails: (part: Network) => Promise<boolean>): Promise<Network> {
  const made = failed.newLayers.filter((p) => p.rules.some((r) => culprits.includes(r))).map((p) => p.replaced);
  const parts = [...made, ...failed.removed.map((name) => [name])].sort((a, b) => a.length - b.length).slice(0, MAX_PARTS);
  for (const names of parts) {
    let part: Network;
    try {
      part = subnetwork(input, names, `${input.name}-part`);
    } catch (e) {
      if (!(e instanceof NetsatError)) throw e;
      continue; // a part that cannot stand alone (an opaque op without its context): try the next
    }
    if (part.outputs.length > 0 && (await fails(part))) return part;
  }
  return input;
}
