/**
 * Op names as rule authors may write them: the registry's spelling (`RMSNorm`), or any case with or
 * without underscores (`rms_norm`, `rmsnorm`, `matmul`). All normalize to the registry's name.
 */
import { opNames } from '../ops/registry.js';

const key = (name: string): string => name.replace(/_/g, '').toLowerCase();

const BY_KEY: ReadonlyMap<string, string> = new Map(opNames().map((n) => [key(n), n]));

/** The registry's name for `written`, or undefined when no op has that name. */
export function canonicalOpName(written: string): string | undefined {
  return BY_KEY.get(key(written));
}

/** Edit distance between two strings (insertions, deletions, substitutions). */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * The names among `candidates` closest to `written` (ignoring case and underscores): those at the
 * smallest edit distance if it is at most 3, else those that begin like it (an abbreviation).
 */
export function closestNames(written: string, candidates: readonly string[]): string[] {
  const w = key(written);
  const scored = candidates.map((c) => ({ c, d: editDistance(w, key(c)) }));
  const best = Math.min(...scored.map((s) => s.d));
  if (best <= 3) return scored.filter((s) => s.d === best).map((s) => s.c);
  const prefix = w.slice(0, Math.max(3, Math.ceil(w.length * 0.6)));
  return candidates.filter((c) => key(c).startsWith(prefix));
}
