/**
 * What `--profile` prints: each stage's time and memory, and the rules that cost the most (time
 * searching and applying, e-nodes added) with how often they matched and applied, so a run that hit
 * a limit shows which stage and which rules took it there.
 */
import { alignedLines } from '../text-table.js';
import type { OptimizeReport } from './optimize-report.js';

/** Rules listed, by time. */
const TOP_RULES = 12;

const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(0);

export function formatProfile(report: OptimizeReport): string {
  const stages = alignedLines(
    ['stage', 'ms', 'RSS MiB', 'peak MiB'],
    report.stages.map((s) => [s.stage, s.ms.toFixed(0), mib(s.rssBytes), mib(s.peakRssBytes)]),
  );
  const searched = report.rules.filter((r) => r.ms > 0);
  const top = [...searched].sort((a, b) => b.ms - a.ms).slice(0, TOP_RULES);
  const rules = alignedLines(
    ['rule', 'ms', 'matches', 'applied', 'e-nodes'],
    top.map((r) => [r.name, r.ms.toFixed(0), String(r.matches), String(r.applied), String(r.enodes)]),
  );
  const run = report.runner;
  const budget = report.budget;
  return [
    `Profile: ${report.times.totalMs.toFixed(0)} ms; peak memory ${mib(budget.peakRssBytes)} MiB of the ${mib(budget.maxMemoryBytes)} MiB budget; saturation ${run.iterations.length} iterations (${run.stopReason}), ${run.initial.enodes} -> ${run.final.enodes} e-nodes`,
    '',
    ...stages.lines,
    '',
    `Rules by time (${top.length} of the ${searched.length} searched; e-nodes: added by their applications):`,
    ...rules.lines,
    ...budget.stops.map((s) => `Budget: ${s}.`),
  ].join('\n');
}

/** The profile as data (`--profile out.json`): stages, rules by time, the budget, and each saturation iteration. */
export function profileData(report: OptimizeReport) {
  return {
    totalMs: report.times.totalMs,
    budget: report.budget,
    stages: report.stages,
    rules: [...report.rules].filter((r) => r.matches > 0).sort((a, b) => b.ms - a.ms),
    iterations: report.runner.iterations,
  };
}
