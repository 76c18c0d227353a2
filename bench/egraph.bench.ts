/**
 * The e-graph engine on every workload of ../shared/bench/egraph-workloads (beside the repository):
 * median total time (5 runs, more for small workloads), time per iteration, e-nodes per second, typed-array bytes per e-node, and the
 * ratio to egg 0.11's median from the workload file. Run with `npx tsx bench/egraph.bench.ts`.
 * Writes bench/results/egraph.{json,md}.
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EGraph } from '../src/egraph/egraph.js';
import { loadWorkload, runWorkload, type Workload, type WorkloadResult } from '../src/egraph/workload.js';
import { median, writeResults, type Row } from './report.js';

/** At least 5 runs; small workloads run until about half a second has passed, for a steadier median. */
const MIN_RUNS = 5;
const MAX_RUNS = 100;
const TARGET_MS = 500;
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const workloadDir = join(repoRoot, '..', 'shared', 'bench', 'egraph-workloads');

function timeRuns(workload: Workload, skipRepeats: boolean, runs: number): { ms: number; result: WorkloadResult } {
  const times: number[] = [];
  let result: WorkloadResult | undefined;
  // No gc() between runs: a forced full GC shrinks the young generation and slows the next run several-fold.
  for (let i = 0; i < runs; i++) {
    result = runWorkload(workload, { skipRepeats });
    times.push(result.total_ms);
  }
  return { ms: median(times), result: result! };
}

/** Bytes of typed-array capacity the saturated e-graph holds, per e-node (its only per-node storage). */
function arrayBytesPerNode(workload: Workload): number {
  let kept: EGraph | undefined;
  runWorkload(workload, { onEGraph: (egraph) => (kept = egraph) });
  return kept!.bytes / kept!.nodeCount;
}

function main(): void {
  if (!existsSync(workloadDir)) {
    console.log(`skipped: ${workloadDir} is not present`);
    return;
  }
  const files = readdirSync(workloadDir).filter((f) => f.endsWith('.json')).sort();
  const rows: Row[] = [];
  for (const file of files) {
    const workload = loadWorkload(join(workloadDir, file));
    let warm = 0;
    for (let i = 0; i < 2; i++) warm = runWorkload(workload).total_ms; // warm the JIT on this workload's shapes
    const runs = Math.min(MAX_RUNS, Math.max(MIN_RUNS, Math.ceil(TARGET_MS / warm)));
    const plain = timeRuns(workload, false, runs);
    const skip = timeRuns(workload, true, runs);
    const { result } = plain;
    const egg = workload.eggMedianMs;
    const row: Row = {
      workload: workload.name,
      runs,
      iterations: result.iterations,
      final_enodes: result.final.enodes,
      total_matches: result.total_matches,
      ms: plain.ms,
      ms_per_iteration: plain.ms / result.iterations,
      enodes_per_s: Math.round(result.final.enodes / (plain.ms / 1000)),
      array_bytes_per_enode: arrayBytesPerNode(workload),
      egg_ms: egg,
      ratio_to_egg: egg ? plain.ms / egg : null,
      ms_skipping_repeats: skip.ms,
    };
    rows.push(row);
    console.log(`${workload.name.padEnd(20)} ${plain.ms.toFixed(2).padStart(9)} ms (skipping repeats ${skip.ms.toFixed(2)})  egg ${egg ?? '?'} ms  ratio ${row.ratio_to_egg === null ? '?' : (row.ratio_to_egg as number).toFixed(2)}`);
  }
  writeResults('egraph', 'E-graph engine vs egg 0.11 on the shared workloads', rows, {
    notes:
      'Median of 5 to 100 runs (small workloads run for about 0.5 s) in one process after two warm-up runs, timing e-graph creation, start terms and the run (rule parsing excluded, as egg\'s figure). ' +
      '`ms` re-applies every match each iteration, as egg does; `ms_skipping_repeats` skips (rule, canonical match) pairs applied in an earlier iteration (same counts, but slower here: see RunnerOptions.skipRepeats). ' +
      'egg_ms is the egg 0.11.0 median from each workload file (a 2-core machine under load; see its note). ' +
      'array_bytes_per_enode: capacity of the saturated e-graph\'s typed arrays (its only per-node storage without an analysis) over its e-nodes; it counts every node ever added (stale duplicates included), parent cells and doubling slack, so it is above the 100-byte target.',
  });
}

main();
