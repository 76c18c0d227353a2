/** Text rendering of a check-rules report: one line per rule and direction, counterexamples in full. */
import type { CheckReport, RuleCheckResult } from './check-rules.js';

function formatError(x: number): string {
  return Number.isFinite(x) ? x.toExponential(2) : String(x);
}

function formatResult(r: RuleCheckResult): string[] {
  const head = `${r.status.toUpperCase().padEnd(9)} ${r.file}: ${r.rule}${r.direction === 'backward' ? ' (right to left)' : ''}`;
  if (r.status === 'pass') return [`${head}  ${r.instances} instances`];
  if (r.status === 'unsampled') return [head, `    ${r.note}`];
  const c = r.counterexample!;
  const errors = Number.isFinite(c.maxAbsError)
    ? [`    output ${c.output}: max abs error ${formatError(c.maxAbsError)}, max rel error ${formatError(c.maxRelError)} (rtol ${r.rtol}, atol ${r.atol})`]
    : [];
  return [
    head,
    `    ${c.problem}`,
    ...errors,
    `    counterexample (instance seed ${c.seed}, attempt ${c.attempt}, after ${r.instances} agreeing instances):`,
    ...c.variables.map((v) => `      ${v}`),
  ];
}

/** The report as text; failing and unsampled rules first, then a summary line. */
export function formatCheckReport(report: CheckReport, options: { verbose?: boolean } = {}): string {
  const bad = report.results.filter((r) => r.status !== 'pass');
  const shown = options.verbose ? [...bad, ...report.results.filter((r) => r.status === 'pass')] : bad;
  const lines = shown.flatMap(formatResult);
  lines.push(
    `check-rules: ${report.results.length} rule directions in ${report.files.length} file(s), ${report.instances} instances each, seed ${report.seed}: ` +
      `${report.passed} passed, ${report.failed} failed, ${report.unsampled} unsampled`,
  );
  return lines.join('\n');
}
