import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NetsatError } from '../../src/errors.js';
import { RuleFileError } from '../../src/rules/errors.js';
import { loadRuleText } from '../../src/rules/load.js';

/** Loading either succeeds or throws a RuleFileError whose errors all point into the text. */
function loadsOrExplains(text: string): void {
  try {
    loadRuleText(text, 'fuzz.rules');
  } catch (e) {
    expect(e).toBeInstanceOf(RuleFileError);
    expect(e).toBeInstanceOf(NetsatError);
    const lines = text.split('\n').length;
    for (const err of (e as RuleFileError).errors) {
      expect(err.line).toBeGreaterThanOrEqual(1);
      expect(err.line).toBeLessThanOrEqual(lines);
      expect(err.message).toContain(`fuzz.rules:${err.line}:${err.col}: `);
    }
  }
}

const TOKENS = [
  'rule ',
  'r',
  ':',
  ' => ',
  ' <=> ',
  '(',
  ')',
  'MatMul',
  'Split.1',
  'Transpose',
  ' ?x',
  ' ?p',
  ' _',
  ' 2',
  ' -1.5e3',
  ':perm',
  ' [',
  ']',
  '{',
  '}',
  ' if ',
  ' and ',
  ' or ',
  ' not ',
  '==',
  'rank(?x)',
  'dim(',
  ',',
  ' sample ',
  '?x: [B, S]',
  ' const',
  ' in [0, 1]',
  '# c',
  '\n',
  ' apply ',
  'fold_conv_batchnorm',
  '.',
  '"',
  '\\',
];

describe('the loader on bad input', () => {
  it('random strings never throw an untyped error', () => {
    fc.assert(fc.property(fc.string({ maxLength: 80 }), loadsOrExplains), { seed: 7, numRuns: 1000 });
  });

  it('random token soups never throw an untyped error', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...TOKENS), { maxLength: 40 }), (tokens) => loadsOrExplains(tokens.join(''))),
      { seed: 11, numRuns: 1000 },
    );
  });

  it('rules nested or chained thousands deep are refused or loaded, never overflow untyped', () => {
    for (const text of [
      `rule r: ${'(Relu '.repeat(5000)}?x${')'.repeat(5000)} => ?x`,
      `rule r: (Relu ?x) => ?x if ${'('.repeat(5000)}1${')'.repeat(5000)} == 1`,
      `rule r: (Relu ?x) => ?x if ${'1 + '.repeat(6000)}1 == 1`,
      `rule r: (Relu ?x) => ?x if ${'not '.repeat(20000)}true`,
    ]) {
      loadsOrExplains(text);
    }
    expect(() => loadRuleText(`rule r: ${'(Relu '.repeat(5000)}?x${')'.repeat(5000)} => ?x`, 'deep.rules')).toThrow(/rule is nested too deeply to process/);
  });

  it('mutated library text never throws an untyped error', () => {
    // The first rules of a library (each rule is parsed on its own, so more text adds time, not cases).
    const library = readFileSync('rules/fusion-llm.rules', 'utf8');
    const text = library.slice(0, library.indexOf('# ---- activations'));
    fc.assert(
      fc.property(fc.nat(text.length - 1), fc.nat(40), fc.string({ maxLength: 5 }), (at, cut, insert) => {
        loadsOrExplains(text.slice(0, at) + insert + text.slice(at + cut));
      }),
      { seed: 13, numRuns: 400 },
    );
  });
});
