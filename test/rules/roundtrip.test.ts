import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { opNames } from '../../src/ops/registry.js';
import { SAMPLE_TABLES } from '../../src/rules/ast.js';
import type { BinaryOperator, Expr, Pattern, Rule, SampleHint } from '../../src/rules/ast.js';
import { loadRuleText } from '../../src/rules/load.js';
import { parseRules } from '../../src/rules/parse.js';
import { printRules } from '../../src/rules/print.js';

const SHIPPED = ['rules/algebra.rules', 'rules/fusion-llm.rules', 'rules/fusion-cnn.rules'];

/** The tree without source positions, for comparing parses of different texts. */
function strip(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (k, v) => (k === 'span' || k === 'opSpan' || k === 'nameSpan' ? undefined : v)));
}

function parseClean(text: string): Rule[] {
  const { rules, errors } = parseRules(text, 'printed');
  expect(errors.map((e) => e.message)).toEqual([]);
  return rules;
}

describe('parse → print → parse', () => {
  it.each(SHIPPED)('round-trips %s, and the printed text loads and checks', (path) => {
    const file = loadRuleText(readFileSync(path, 'utf8'), path);
    const printed = printRules(file.rules);
    expect(strip(parseClean(printed))).toEqual(strip(file.rules));
    expect(loadRuleText(printed, 'printed').rules).toHaveLength(file.rules.length);
    expect(printRules(parseClean(printed))).toBe(printed);
  });

  it('normalizes op names and drops trailing absent inputs', () => {
    const [rule] = parseClean('rule r: (rms_norm ?x ?w) => (matmul ?x (TRANSPOSE ?w))');
    expect(printRules([rule!])).toBe('rule r: (RMSNorm ?x ?w) => (MatMul ?x (Transpose ?w))\n');
    const [conv] = parseClean('rule c: (Conv ?x ?w _) => (Conv ?x ?w)');
    expect(conv!.rhs.kind === 'patterns' && strip(conv!.rhs.patterns)).toEqual(strip(conv!.lhs));
  });
});

// ---- generated rules ---------------------------------------------------------------------------

const KEYWORDS = new Set(['rule', 'apply', 'if', 'sample', 'and', 'or', 'not', 'const', 'in', 'true', 'false']);
const span = { start: 0, end: 0 };
const ident = fc.stringMatching(/^[a-z][a-z0-9_]{0,5}$/).filter((s) => !KEYWORDS.has(s));
const variable = ident.map((n) => `?${n}`);
const number = fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }).map((x) => (Object.is(x, -0) ? 0 : x));

const expr: fc.Arbitrary<Expr> = fc.letrec<{ e: Expr }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    number.map((value): Expr => ({ kind: 'number', value, span })),
    fc.boolean().map((value): Expr => ({ kind: 'bool', value, span })),
    ident.map((name): Expr => ({ kind: 'name', name, span })),
    variable.map((name): Expr => ({ kind: 'var', name, span })),
    fc.array(tie('e'), { maxLength: 3 }).map((items): Expr => ({ kind: 'list', items, span })),
    fc.tuple(ident, fc.array(tie('e'), { maxLength: 3 })).map(([fn, args]): Expr => ({ kind: 'call', fn, args, span })),
    tie('e').map((arg): Expr => ({ kind: 'not', arg, span })),
    tie('e').map((arg): Expr => ({ kind: 'neg', arg, span })),
    fc
      .tuple(fc.constantFrom<BinaryOperator>('or', 'and', '==', '!=', '<', '<=', '>', '>=', '+', '-', '*', '/', '%'), tie('e'), tie('e'))
      .map(([op, left, right]): Expr => ({ kind: 'binary', op, left, right, span })),
  ),
})).e;

const pattern: fc.Arbitrary<Pattern> = fc.letrec<{ p: Pattern }>((tie) => ({
  p: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    variable.map((name): Pattern => ({ kind: 'var', name, span })),
    fc
      .record({
        op: fc.constantFrom(...opNames()),
        output: fc.nat(3),
        inputs: fc.array(
          fc.oneof(
            tie('p'),
            fc.constant<Pattern>({ kind: 'absent', span }),
            number.map((value): Pattern => ({ kind: 'number', value, span })),
          ),
          { maxLength: 3 },
        ),
        attrs: fc.array(fc.record({ name: ident, value: expr, span: fc.constant(span) }), { maxLength: 2 }),
      })
      .map((r): Pattern => ({ kind: 'op', ...r, span, opSpan: span })),
  ),
})).p;

const hint: fc.Arbitrary<SampleHint> = fc.oneof(
  fc.record({
    kind: fc.constant('shape' as const),
    variable,
    dims: fc.array(expr, { maxLength: 3 }),
    constant: fc.boolean(),
    range: fc.option(fc.tuple(number, number), { nil: undefined }),
    dtype: fc.option(fc.constantFrom('float32' as const, 'int64' as const), { nil: undefined }),
    table: fc.option(fc.constantFrom(...SAMPLE_TABLES), { nil: undefined }),
    span: fc.constant(span),
  }),
  fc.record({ kind: fc.constant('value' as const), variable, value: expr, span: fc.constant(span) }),
  fc.record({ kind: fc.constant('setting' as const), name: ident, value: number, span: fc.constant(span) }),
);

const rule: fc.Arbitrary<Rule> = fc.record({
  name: fc.stringMatching(/^[a-z][a-z0-9.-]{0,8}$/),
  nameSpan: fc.constant(span),
  doc: fc.array(
    fc.stringMatching(/^[ -~]{0,20}$/).map((s) => s.trimEnd()),
    { maxLength: 2 },
  ),
  lhs: fc.array(pattern, { minLength: 1, maxLength: 2 }),
  rhs: fc.oneof(
    fc.array(pattern, { minLength: 1, maxLength: 2 }).map((patterns) => ({ kind: 'patterns' as const, patterns })),
    ident.map((name) => ({ kind: 'applier' as const, name, span })),
  ),
  bidirectional: fc.boolean(),
  condition: fc.option(expr, { nil: undefined }),
  sample: fc.array(hint, { maxLength: 3 }),
  span: fc.constant(span),
});

describe('generated rules', () => {
  it('print, parse without errors, and print → parse is then the identity', () => {
    fc.assert(
      fc.property(fc.array(rule, { minLength: 1, maxLength: 3 }), (rules) => {
        const once = parseClean(printRules(rules));
        expect(once).toHaveLength(rules.length);
        expect(strip(parseClean(printRules(once)))).toEqual(strip(once));
      }),
      { seed: 42, numRuns: 300 },
    );
  });
});
