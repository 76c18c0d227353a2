import { describe, expect, it } from 'vitest';
import { checkRules } from '../../src/rules/check-rules.js';
import { formatCheckReport } from '../../src/rules/format-check-report.js';
import { shippedRulePaths } from '../../src/rules/library.js';
import { loadRuleFile, loadRuleText } from '../../src/rules/load.js';
import { checkRulesWithOrt } from '../../src/rules/ort-check.js';

/** Every shipped library: a new rules/*.rules file is checked without being listed here. */
const SHIPPED = shippedRulePaths();

/**
 * onnxruntime runs both sides of this many instances per direction (of the 200 the interpreter
 * compares), to keep the suite quick on CI's two cores; `netsat check-rules` runs all of them.
 */
const ORT_INSTANCES = 10;

describe('check-rules on the shipped libraries', async () => {
  const report = await checkRulesWithOrt(SHIPPED, { seed: 1, ortInstances: ORT_INSTANCES });

  it('globs every file in rules/', () => {
    expect(report.files.length).toBeGreaterThanOrEqual(4);
    expect(report.files.some((f) => f.endsWith('exporter-cleanup.rules'))).toBe(true);
  });

  it('passes every rule, in each direction, on 200 instances with both oracles', () => {
    const bad = report.results.filter((r) => r.status !== 'pass');
    expect(bad, formatCheckReport(report)).toEqual([]);
    expect(report.results.every((r) => r.instances === 200)).toBe(true);
    expect(report.failed + report.unsampled + report.uncovered).toBe(0);
  });

  it('runs onnxruntime on instances of every direction', () => {
    const unrun = report.results.filter((r) => !r.ort || r.ort.ran === 0).map((r) => `${r.rule} ${r.direction}: ${r.ort?.skipReason}`);
    expect(unrun).toEqual([]);
  });

  it('takes every letter of the hints above 1 in most instances, and every variable above 1 in some', () => {
    for (const r of report.results) {
      for (const [letter, n] of Object.entries(r.coverage.letters)) expect(n, `${r.rule}: ${letter}`).toBeGreaterThan(r.instances / 2);
      for (const [v, n] of Object.entries(r.coverage.variables)) if (!r.coverage.oneElement.includes(v)) expect(n, `${r.rule}: ${v}`).toBeGreaterThan(0);
    }
  });

  it('varies what the hints pin in a share of the instances of every hinted rule', () => {
    const unvaried = report.results.filter((r) => Object.keys(r.coverage.letters).length > 0 && r.coverage.varied === 0);
    expect(unvaried).toEqual([]);
  });

  it('gives every shipped rule a description', () => {
    const undocumented = SHIPPED.flatMap((path) =>
      loadRuleFile(path)
        .rules.filter((r) => r.doc.join('').trim() === '')
        .map((r) => `${path}: ${r.name}`),
    );
    expect(undocumented).toEqual([]);
  });

  it('checks both directions of <=> rules', () => {
    const assoc = report.results.filter((r) => r.rule === 'matmul-assoc').map((r) => r.direction);
    expect(assoc).toEqual(['forward', 'backward']);
  });

  it('summarizes in one line, and prints a coverage line per rule when verbose', () => {
    const n = report.results.length;
    const ran = report.results.reduce((k, r) => k + r.ort!.ran, 0);
    expect(formatCheckReport(report)).toBe(
      `check-rules: ${n} rule directions in ${SHIPPED.length} file(s), 200 instances each, seed 1: ${n} passed, 0 failed, 0 uncovered, 0 unsampled; onnxruntime ran ${ran} instances`,
    );
    const verbose = formatCheckReport(report, { verbose: true });
    expect(verbose).toMatch(
      /PASS {6}\S+fusion-llm\.rules: attention-causal {2}200 instances\n {4}coverage: B>1 \d+, S>1 \d+, H>1 \d+, D>1 \d+; \?q 200, \?k 200, \?scale one element, \?mask \d+, \?v 200; \d+ varied; float32 \d+(, float16 \d+)?\n {4}onnxruntime: \d+ instances ran/,
    );
  });
});

describe('check-rules on wrong rules', () => {
  const report = checkRules(['test/rules/fixtures/wrong.rules'], { instances: 20 });
  const byName = new Map(report.results.map((r) => [r.rule, r]));

  it.each(['sign-flipped', 'transpose-missing', 'wrong-split-axis', 'wrong-epsilon'])('catches %s with a counterexample', (name) => {
    const r = byName.get(name)!;
    expect(r.status).toBe('fail');
    const c = r.counterexample!;
    expect(c.variables.length).toBeGreaterThan(0);
    expect(c.variables.every((v) => /^\?\w+(: \w+\[[\d, ]*\]( const)?( = \S+)?| = .+)$/.test(v))).toBe(true);
    expect(typeof c.seed).toBe('number');
    expect(c.problem).toMatch(/values differ|shapes or dtypes differ|does not build/);
  });

  it('reports the counterexample in the text report', () => {
    const text = formatCheckReport(report);
    expect(text).toContain('FAIL      test/rules/fixtures/wrong.rules: wrong-epsilon');
    expect(text).toMatch(/counterexample \(instance seed \d+, attempt \d+, after \d+ agreeing instances\):\n {6}\?w: float32\[\d+\]/);
    expect(text).toContain('4 failed');
    expect(text).toContain('    coverage: ');
  });

  it('a wrong epsilon differs by values, not shapes', () => {
    const c = byName.get('wrong-epsilon')!.counterexample!;
    expect(c.problem).toMatch(/values differ beyond rtol 0.0001, atol 0.00001/);
    expect(c.maxAbsError).toBeGreaterThan(1e-3);
  });

  it('is deterministic for a seed', () => {
    const again = checkRules(['test/rules/fixtures/wrong.rules'], { instances: 20 });
    expect(again.results).toEqual(report.results);
  });
});

describe('check-rules reporting', () => {
  it('reports a rule with no instance instead of passing it', () => {
    const report = checkRules(['test/rules/fixtures/unsampled.rules'], { instances: 5, attemptsPerInstance: 10 });
    expect(report.results).toHaveLength(1);
    const r = report.results[0]!;
    expect(r.status).toBe('unsampled');
    expect(r.note).toBe('0 of 5 instances found in 50 draws; most draws were rejected because the condition does not hold');
    expect(formatCheckReport(report)).toContain('UNSAMPLED test/rules/fixtures/unsampled.rules: impossible');
  });

  it('fails a rule whose instances never had a variable above one element', () => {
    const file = loadRuleText('# Sound, but only ever tried on one element.\nrule single: (Identity ?x) => ?x\n  if numel(?x) == 1', 'inline');
    const r = checkRules([file], { instances: 20 }).results[0]!;
    expect(r.status).toBe('uncovered');
    expect(r.note).toBe('no instance had ?x above 1 (vary the sample hints)');
    expect(r.coverage.variables['?x']).toBe(0);
  });

  it('fails a rule whose condition keeps a letter of its hints at 1', () => {
    const file = loadRuleText('# Proven only for B = 1.\nrule batch-one: (Relu ?x) => (Relu ?x)\n  if dim(?x, 0) == 1\n  sample ?x: [B, N]', 'inline');
    const report = checkRules([file], { instances: 20 });
    const r = report.results[0]!;
    expect(r.status).toBe('uncovered');
    expect(r.note).toBe('no instance had B above 1 (vary the sample hints)');
    expect(r.coverage.letters).toMatchObject({ B: 0 });
    expect(formatCheckReport(report)).toContain('UNCOVERED inline: batch-one\n    no instance had B above 1');
  });

  it('accepts parsed files and honours per-rule tolerances', () => {
    const file = loadRuleText(
      '# Off by 1e-3 relative: passes only with the widened tolerance.\nrule scaled: (Relu ?x) => (Relu (Mul ?x 1.001))\n  sample ?x: [N] in [0.5, 1], rtol = 0.01',
      'inline',
    );
    expect(checkRules([file]).results[0]!.status).toBe('pass');
    const strict = loadRuleText('rule scaled: (Relu ?x) => (Relu (Mul ?x 1.001))\n  sample ?x: [N] in [0.5, 1]', 'inline');
    expect(checkRules([strict]).results[0]!.status).toBe('fail');
  });

  it('reports a right side that does not build as a failure', () => {
    const file = loadRuleText('rule bad: (Relu ?x) => (MatMul ?x ?x)\n  sample ?x: [2, 3]', 'inline');
    const r = checkRules([file]).results[0]!;
    expect(r.status).toBe('fail');
    expect(r.counterexample!.problem).toMatch(/^the target side does not build: MatMul/);
  });

  it('multi-pattern rules compare every unioned output', () => {
    const file = loadRuleText('rule swapped: (Relu ?x), (Neg ?x) => (Neg ?x), (Relu ?x)\n  sample ?x: [N]', 'inline');
    const r = checkRules([file]).results[0]!;
    expect(r.status).toBe('fail');
    expect(r.counterexample!.output).toBe(0);
  });
});
