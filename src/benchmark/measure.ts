/**
 * Measured latency of an original and an optimized ONNX model in onnxruntime-node on the CPU. The two
 * run interleaved, round by round and in alternating order, so both see the same machine state;
 * sessions use 2 intra-op threads that sleep when idle (sessionOptions), and the benchmark measures
 * one cell at a time with nothing else running (see bench.ts). A sample averages enough back-to-back
 * runs to last 2 ms.
 */
import { performance } from 'node:perf_hooks';
import type { InferenceSession } from 'onnxruntime-node';
import { createSession, seededFeeds } from '../io/onnx/verify-ort.js';
import type { MeasuredLatency, Spread } from './result.js';

export interface MeasureOptions {
  seed: number;
  warmup: number;
  repeats: number;
}

/** The value below which a fraction `q` of the sorted `xs` lie, interpolated. */
function quantile(sorted: readonly number[], q: number): number {
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
}

/** Median and middle half of `xs` (not empty). */
export function spreadOf(xs: readonly number[]): Spread {
  const sorted = [...xs].sort((a, b) => a - b);
  return { median: quantile(sorted, 0.5), low: quantile(sorted, 0.25), high: quantile(sorted, 0.75) };
}

/** A sample should last this long at least: a tiny model's single run is shorter than the timer's noise. */
const SAMPLE_MS = 2;

/** Milliseconds per run, averaged over `runs` back-to-back runs. */
async function timeRuns(session: InferenceSession, feeds: InferenceSession.FeedsType, runs: number): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < runs; i++) await session.run(feeds);
  return (performance.now() - start) / runs;
}

/** Times `original` against `optimized` on the same seeded inputs. */
export async function measureLatency(original: Uint8Array, optimized: Uint8Array, options: MeasureOptions): Promise<MeasuredLatency> {
  const feeds = seededFeeds(original, { seed: options.seed });
  const sessions = [await createSession(original), await createSession(optimized)] as const;
  try {
    for (let i = 0; i < options.warmup; i++) for (const s of sessions) await s.run(feeds);
    const runs = Math.max(1, Math.ceil(SAMPLE_MS / (await timeRuns(sessions[0], feeds, 1))));
    const times: [number[], number[]] = [[], []];
    for (let round = 0; round < options.repeats; round++) {
      // ABBA: the one that runs second in a round gets warmer caches, so the order alternates.
      const order = round % 2 === 0 ? [0, 1] : [1, 0];
      for (const which of order) times[which]!.push(await timeRuns(sessions[which]!, feeds, runs));
    }
    return {
      runtime: 'onnxruntime-node (CPU)',
      warmup: options.warmup,
      repeats: options.repeats,
      originalMs: spreadOf(times[0]),
      optimizedMs: spreadOf(times[1]),
      speedup: spreadOf(times[0].map((t, i) => t / times[1][i]!)),
    };
  } finally {
    await Promise.all(sessions.map((s) => s.release()));
  }
}
