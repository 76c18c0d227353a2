/**
 * Text rendering of a check-rules report: one line per rule and direction with its coverage line
 * (and onnxruntime's figures when that oracle ran), counterexamples in full.
 */
import type { CheckReport, OrtVerdict, RuleCheckResult } from './check-rules.js';
import type { Coverage } from './coverage.js';

function formatError(x: number): string {
  return Number.isFinite(x) ? x.toExponential(2) : String(x);
}

/** `coverage: B>1 170, S>1 168; ?q 200, ?scale one element; 96 varied; float32 190, float16 10`: instances above 1 per letter and variable, and per dtype. */
export function formatCoverage(c: Coverage): string {
  const letters = Object.entries(c.letters).map(([l, n]) => `${l}>1 ${n}`);
  const variables = Object.entries(c.variables).map(([v, n]) => (c.oneElement.includes(v) ? `${v} one element` : `${v} ${n}`));
  const dtypes = Object.entries(c.dtypes).map(([d, n]) => `${d} ${n}`);
  return `coverage: ${[letters.join(', '), variables.join(', '), `${c.varied} varied`, dtypes.join(', ')].filter((s) => s).join('; ')}`;
}

function formatOrt(o: OrtVerdict): string {
  const skipped = o.skipped ? `, ${o.skipped} skipped (${o.skipReason})` : '';
  return `onnxruntime: ${o.ran} instances ran${skipped}`;
}

function formatResult(r: RuleCheckResult): string[] {
  const head = `${r.status.toUpperCase().padEnd(9)} ${r.file}: ${r.rule}${r.direction === 'backward' ? ' (right to left)' : ''}`;
  const figures = [`    ${formatCoverage(r.coverage)}`, ...(r.ort ? [`    ${formatOrt(r.ort)}`] : [])];
  if (r.status === 'pass') return [`${head}  ${r.instances} instances`, ...figures];
  if (r.status === 'unsampled' || r.status === 'uncovered') return [head, `    ${r.note}`, ...figures];
  const c = r.counterexample!;
  const rel = Number.isNaN(c.maxRelError) ? '' : `, max rel error ${formatError(c.maxRelError)}`;
  const errors = Number.isFinite(c.maxAbsError) ? [`    output ${c.output}: max abs error ${formatError(c.maxAbsError)}${rel} (rtol ${r.rtol}, atol ${r.atol})`] : [];
  return [
    head,
    `    ${c.problem}`,
    ...errors,
    `    counterexample (instance seed ${c.seed}, attempt ${c.attempt}, after ${r.instances} agreeing instances):`,
    ...c.variables.map((v) => `      ${v}`),
    ...figures,
  ];
}

/** The report as text; failing, uncovered and unsampled rules first, then a summary line. */
export function formatCheckReport(report: CheckReport, options: { verbose?: boolean } = {}): string {
  const bad = report.results.filter((r) => r.status !== 'pass');
  const shown = options.verbose ? [...bad, ...report.results.filter((r) => r.status === 'pass')] : bad;
  const lines = shown.flatMap(formatResult);
  const ort = report.results.filter((r) => r.ort).reduce((n, r) => n + r.ort!.ran, 0);
  lines.push(
    `check-rules: ${report.results.length} rule directions in ${report.files.length} file(s), ${report.instances} instances each, seed ${report.seed}: ` +
      `${report.passed} passed, ${report.failed} failed, ${report.uncovered} uncovered, ${report.unsampled} unsampled` +
      (report.results.some((r) => r.ort) ? `; onnxruntime ran ${ort} instances` : ''),
  );
  return lines.join('\n');
}
