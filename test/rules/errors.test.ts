import { describe, expect, it } from 'vitest';
import { NetsatError } from '../../src/errors.js';
import { RuleFileError, type RuleSyntaxError } from '../../src/rules/errors.js';
import { loadRuleFile, loadRuleText } from '../../src/rules/load.js';

/** The message of the single error in `text` (a file named t.rules). */
function onlyError(text: string): RuleSyntaxError {
  try {
    loadRuleText(text, 't.rules');
  } catch (e) {
    expect(e).toBeInstanceOf(RuleFileError);
    const errors = (e as RuleFileError).errors;
    expect(errors).toHaveLength(1);
    return errors[0]!;
  }
  throw new Error('expected a RuleFileError');
}

describe('golden error messages', () => {
  it('syntax error: expected tokens, file:line:col and a caret', () => {
    const e = onlyError('# x\nrule r: (Relu ?x => ?x\n');
    expect(e.message).toBe('t.rules:2:18: syntax error: expected ")", a digit, "_", "?", "(", or ":"\n' + '  rule r: (Relu ?x => ?x\n' + '                   ^');
    expect([e.file, e.line, e.col]).toEqual(['t.rules', 2, 18]);
  });

  it('unknown op, with the closest name', () => {
    expect(onlyError('rule r: (MatMull ?a ?b) => ?a').message).toBe(
      't.rules:1:10: unknown op "MatMull"\n' + '  rule r: (MatMull ?a ?b) => ?a\n' + '           ^^^^^^^\n' + '  hint: did you mean MatMul?',
    );
  });

  it('wrong arity, naming the inputs', () => {
    expect(onlyError('rule r: (Conv ?x) => ?x').message).toBe('t.rules:1:10: Conv takes 2 to 3 inputs (x, w, b), got 1\n' + '  rule r: (Conv ?x) => ?x\n' + '           ^^^^');
  });

  it('unknown attribute, with the closest name', () => {
    expect(onlyError('rule r: (Transpose ?x :perms [1 0]) => ?x').message).toBe(
      't.rules:1:23: Transpose has no attribute "perms"\n' + '  rule r: (Transpose ?x :perms [1 0]) => ?x\n' + '                        ^^^^^^\n' + '  hint: did you mean perm?',
    );
  });

  it('variable on the right not bound on the left', () => {
    expect(onlyError('rule r: (Relu ?x) => (Add ?x ?y)').message).toBe(
      't.rules:1:30: ?y is not bound on the left side\n' +
        '  rule r: (Relu ?x) => (Add ?x ?y)\n' +
        '                               ^^\n' +
        '  hint: bind ?y in the left side, or remove it from the right side',
    );
  });

  it('condition on an unbound variable', () => {
    expect(onlyError('rule r: (Relu ?x) => ?x\n  if rank(?z) == 2').message).toBe(
      't.rules:2:11: condition uses ?z, which the left side does not bind\n' + '    if rank(?z) == 2\n' + '            ^^\n' + '  hint: bind ?z in the left side',
    );
  });

  it('unknown applier, with the closest name', () => {
    expect(onlyError('rule r: (BatchNorm ?x ?s ?b ?m ?v) => apply fold_conv_bn').message).toBe(
      't.rules:1:45: unknown applier "fold_conv_bn"\n' +
        '  rule r: (BatchNorm ?x ?s ?b ?m ?v) => apply fold_conv_bn\n' +
        '                                              ^^^^^^^^^^^^\n' +
        '  hint: did you mean fold_conv_batchnorm?',
    );
  });

  it('bad output index', () => {
    expect(onlyError('rule r: (Split.2 ?x) => ?x').message).toBe(
      't.rules:1:10: Split has no output 2 (it has 2)\n' + '  rule r: (Split.2 ?x) => ?x\n' + '           ^^^^^^^\n' + '  hint: outputs are numbered from 0: Split.0 to Split.1',
    );
  });

  it('refuses <=> when the right side binds fewer variables, or uses an applier', () => {
    expect(onlyError('rule r: (Mul ?x ?y) <=> (Relu ?x)').what).toBe('a rule written <=> must bind on the right every variable of the left; ?y missing');
    expect(
      onlyError(
        'rule r: (BatchNorm (Conv ?x ?w :strides ?strides :pads ?pads :dilations ?dilations :group ?group) ?scale ?shift ?mean ?var :epsilon ?eps) <=> apply fold_conv_batchnorm',
      ).what,
    ).toBe('a rule with an applier runs one way only');
  });

  it('reports every error of a file at once, in source order', () => {
    let error: unknown;
    try {
      loadRuleFile('test/rules/fixtures/errors.rules');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RuleFileError);
    const errors = (error as RuleFileError).errors;
    expect(errors.map((e) => `${e.line}:${e.col} ${e.what}`)).toEqual([
      '2:23 syntax error: expected ")", a digit, "_", "?", "(", or ":"',
      '3:19 unknown op "MatMull"',
      '4:14 MatMul takes 2 inputs (A, B), got 3',
      '5:39 Transpose has no attribute "perms"',
      '6:42 ?y is not bound on the left side',
      '7:49 condition uses ?z, which the left side does not bind',
      '8:59 unknown applier "fold_conv_bn"',
      '9:19 Relu has no output 1 (it has 1)',
    ]);
    expect((error as RuleFileError).message.startsWith('8 errors in test/rules/fixtures/errors.rules:\n\ntest/rules/fixtures/errors.rules:2:23: syntax error')).toBe(true);
  });

  it('more checks: attribute kinds, left-side expressions, tensors used as values, unknown functions, sample hints', () => {
    const whats = (text: string) => {
      try {
        loadRuleText(text, 't.rules');
        return [];
      } catch (e) {
        return (e as RuleFileError).errors.map((x) => x.what);
      }
    };
    expect(whats('rule r: (Transpose ?x :perm relu) => ?x')).toEqual(['Transpose.perm must be ints, got "relu"']);
    expect(whats('rule r: (Transpose ?x :perm {range(2)}) => ?x')).toEqual(['on the left, attribute "perm" must be a literal or a variable']);
    expect(whats('rule r: (Relu ?x) => ?x if ?x == 2')).toEqual(['?x is a tensor; use it through a function such as rank(?x) or value(?x)']);
    expect(whats('rule r: (Relu ?x) => ?x if rnak(?x) == 2')).toEqual(['unknown function rnak']);
    expect(whats('rule r: (Relu ?x) => ?x if dim(?x) == 2')).toEqual(['dim takes 2 argument(s), got 1']);
    expect(whats('rule r: (Relu ?x) => ?x sample ?y: [2]')).toEqual(['sample hint for ?y, which the rule does not bind']);
    expect(whats('rule r: (Relu ?x) => ?x sample ?x: [2] float128')).toEqual(['"float128" is not a dtype']);
    expect(whats('rule r: (Relu ?x) => ?x sample tol = 1')).toEqual(['unknown sample setting "tol"']);
    expect(whats('rule r: (Relu ?x), (Neg ?x) => ?x')).toEqual(['the left side has 2 pattern(s) but the right side has 1']);
    expect(whats('rule r: (Relu ?x) => ?x\nrule r: (Neg ?x) => ?x')).toEqual(['duplicate rule name "r"']);
    expect(whats('rule r: (Add ?x 1) => (Mul 2 3)')).toEqual(['Mul: a number operand takes its dtype from a tensor operand beside it, and there is none']);
    expect(whats('rule r: (Reshape ?x) => ?x')).toEqual(['Reshape needs attribute "shape" (ints)']);
    expect(whats('rule r: ?x => (Relu ?x)')).toEqual(['a left side must be an op pattern']);
    expect(whats('rule r: (LayerNorm ?x _ ?b) => ?x')).toEqual(['input "weight" of LayerNorm is required; _ marks an absent optional input']);
    expect(whats('rule r: (Relu ?x) => (Transpose ?x :perm ?x)')).toEqual(['?x is not bound on the left side as an attribute']);
    expect(whats('text before any rule\nrule r: (Relu ?x) => ?x')).toEqual(['syntax error: expected "rule"']);
  });

  it('every error is a NetsatError; a missing file too', () => {
    expect(() => loadRuleFile('test/rules/fixtures/no-such-file.rules')).toThrow(NetsatError);
  });
});
