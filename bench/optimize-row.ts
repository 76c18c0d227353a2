/**
 * One row of the scaling benchmark, in its own process so its peak memory is its own: optimizes
 * `blocks` blocks of an architecture with default settings (explanations and verification on) and
 * prints the figures as one JSON line. Where the check does not fit the default 1 GiB budget (full
 * width: every shape-only weight is drawn), optimize stops with a BudgetError; the row then runs
 * without the check and says so, with what the check would need.
 * Run: node --import tsx bench/optimize-row.ts <architecture> <blocks> <full|small>
 */
import { DEFAULT_MAX_MEMORY_BYTES, verificationBytes } from '../src/budget.js';
import { BudgetError } from '../src/errors.js';
import { optimize } from '../src/optimize.js';
import { buildArchitecture } from '../src/zoo/architectures.js';
import type { ArchitectureName } from '../src/zoo/architectures.js';

const [name, blocksArg, width] = process.argv.slice(2) as [ArchitectureName, string, 'full' | 'small'];
const blocks = Number(blocksArg);
const network = buildArchitecture(name, blocks, width);
const rssAtStart = process.memoryUsage.rss();
const checkBytes = verificationBytes(network, false);
// A check far over the budget is known before the run: skip the run that would end in a BudgetError.
const unchecked = () => optimize(network, { verify: false });
const { report } =
  rssAtStart + checkBytes > DEFAULT_MAX_MEMORY_BYTES ? await unchecked() : await optimize(network).catch((e) => (e instanceof BudgetError ? unchecked() : Promise.reject(e)));
const run = report.runner;
const v = report.verification;
console.log(
  JSON.stringify({
    architecture: name,
    width,
    blocks,
    layersBefore: report.layers.before,
    layersAfter: report.layers.after,
    enodes: report.egraph.enodes,
    addedPerBlock: Math.round((run.final.enodes - run.initial.enodes) / blocks),
    iterations: run.iterations.length,
    stop: run.stopReason,
    saturateMs: Math.round(report.times.saturateMs),
    extractMs: Math.round(report.times.extractMs),
    lowerMs: Math.round(report.times.lowerMs),
    verifyMs: Math.round(report.times.verifyMs),
    optimizeMs: Math.round(report.times.totalMs - report.times.verifyMs),
    totalMs: Math.round(report.times.totalMs),
    peakMiB: Math.round(report.budget.peakRssBytes / 2 ** 20),
    runMiB: Math.round((report.budget.peakRssBytes - rssAtStart) / 2 ** 20),
    verified: v.pass === true ? 'yes' : v.skipped !== undefined ? `no: the check (${(checkBytes / 2 ** 30).toFixed(1)} GiB) does not fit the 1 GiB budget` : 'FAILED',
    proofs: Object.keys(report.proofs).length,
    speedup: Number(report.cost.speedup.toFixed(3)),
  }),
);
