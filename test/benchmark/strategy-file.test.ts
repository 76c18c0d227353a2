import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StrategyFileError } from '../../src/benchmark/errors.js';
import { lineCol, parseJsonWithPositions } from '../../src/benchmark/json-positions.js';
import { BUILT_IN_STRATEGIES, builtInStrategy, strategyRulePaths } from '../../src/benchmark/strategy.js';
import { parseStrategy, readStrategyFile, resolveStrategy } from '../../src/benchmark/strategy-file.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');

/** The error parseStrategy throws for `text`. */
function errorOf(text: string): StrategyFileError {
  try {
    parseStrategy(text, 'mine.json');
  } catch (e) {
    if (e instanceof StrategyFileError) return e;
    throw e;
  }
  throw new Error('no error');
}

describe('strategy files', () => {
  it('reads a file: rule paths relative to it, shipped libraries by name, built-in limits where left out', () => {
    const s = readStrategyFile(join(FIXTURES, 'unsound-strategy.json'));
    expect(s).toMatchObject({ name: 'unsound', version: 1, extractor: 'dag', device: 'h100-sxm', limits: { iterations: 4, nodes: 5000, timeMs: 20_000 } });
    expect(s.rules).toEqual([join(FIXTURES, 'unsound.rules')]);
    const shipped = parseStrategy('{"format": "netsat-strategy/1", "name": "a", "version": 2, "rules": ["algebra"], "extractor": "ilp"}', 'a.json');
    expect(strategyRulePaths(shipped)[0]).toMatch(/rules[/\\]algebra\.rules$/);
    expect(shipped.extractor).toBe('ilp');
  });

  it('reports a JSON syntax error with file:line:col', () => {
    const e = errorOf('{\n  "format": "netsat-strategy/1",\n  "name": "a"\n  "version": 1\n}');
    expect(e.where).toBe('mine.json:4:3');
    expect(e.what).toMatch(/not valid JSON: expected '}'/);
  });

  it('points at the offending key or value, with what is allowed', () => {
    const head = '{\n  "format": "netsat-strategy/1",\n  "name": "a",\n  "version": 1,\n';
    const cases: [string, string, RegExp][] = [
      [`${head}  "rules": [],\n  "extracter": "dag"\n}`, 'mine.json:6:3', /unknown key "extracter"/],
      [`${head}  "rules": [],\n  "limits": { "nodes": -5 }\n}`, 'mine.json:6:15', /"limits.nodes" must be a positive integer/],
      [`${head}  "rules": ["algebra", "fusion-gpu"]\n}`, 'mine.json:5:24', /names rule library "fusion-gpu", which is not shipped/],
      [`${head}  "rules": ["missing.rules"]\n}`, 'mine.json:5:13', /rule file "missing.rules" does not exist/],
      [`${head}  "rules": [],\n  "device": "tpu"\n}`, 'mine.json:6:3', /"device" must be one of h100-sxm/],
      ['{"format": "netsat-strategy/1", "name": "a", "rules": []}', 'mine.json:1:1', /"version" must be a positive integer/],
    ];
    for (const [text, where, what] of cases) {
      const e = errorOf(text);
      expect(e.where).toBe(where);
      expect(e.message).toMatch(what);
      expect(e.hint).toBeTruthy();
    }
  });

  it('reads a missing file as a typed error naming it', () => {
    expect(() => readStrategyFile(join(FIXTURES, 'nope.json'))).toThrow(/cannot read strategy file: ENOENT/);
  });

  it('resolves built-in names and lists them for an unknown one', () => {
    expect(resolveStrategy('llm').rules).toEqual(['algebra', 'exporter-cleanup', 'fusion-llm']);
    expect(() => builtInStrategy('fastest')).toThrow(/unknown strategy "fastest"[\s\S]*none, algebra, llm, cnn, all/);
    for (const s of BUILT_IN_STRATEGIES) expect(strategyRulePaths(s)).toHaveLength(s.rules.length);
  });

  it('resolves a relative rule path from a strategy file in another folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'netsat-strategy-'));
    writeFileSync(join(dir, 'r.rules'), 'rule id-relu: (Relu (Relu ?x)) => (Relu ?x)\n');
    writeFileSync(join(dir, 's.json'), '{"format": "netsat-strategy/1", "name": "s", "version": 1, "rules": ["r.rules"]}');
    expect(readStrategyFile(join(dir, 's.json')).rules).toEqual([join(dir, 'r.rules')]);
  });
});

describe('JSON with positions', () => {
  it('reads every JSON value as JSON.parse does (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.boolean(), (value, pretty) => {
        const text = JSON.stringify(value, null, pretty ? 2 : undefined);
        expect(parseJsonWithPositions(text).value).toEqual(JSON.parse(text));
      }),
      { seed: 20261203, numRuns: 300 },
    );
  });

  it('records where each key starts', () => {
    const text = '{\n  "a": [1, {"b": true}],\n  "c": null\n}';
    const { offsets } = parseJsonWithPositions(text);
    expect(lineCol(text, offsets.get('a')!)).toBe('2:3');
    expect(lineCol(text, offsets.get('a[1].b')!)).toBe('2:13');
    expect(lineCol(text, offsets.get('c')!)).toBe('3:3');
  });
});
