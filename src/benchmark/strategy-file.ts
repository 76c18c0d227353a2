/**
 * Strategy files: a small JSON format (docs/bench.md), checked key by key. Every error names the
 * file, line and column of the offending key or value, says what is wrong and what is expected.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DEVICE_IDS } from '../cost/device.js';
import type { DeviceId } from '../cost/device.js';
import type { ExtractorName } from '../extract/selection.js';
import { NetsatError } from '../errors.js';
import { StrategyFileError } from './errors.js';
import { lineCol, JsonSyntaxError, parseJsonWithPositions } from './json-positions.js';
import { BUILT_IN_STRATEGIES, builtInStrategy, strategyRulePaths } from './strategy.js';
import type { Strategy, StrategyLimits } from './strategy.js';

export const STRATEGY_FORMAT = 'netsat-strategy/1';
const EXTRACTORS: readonly ExtractorName[] = ['tree', 'dag', 'ilp'];
const KEYS = ['format', 'name', 'version', 'description', 'rules', 'limits', 'extractor', 'device'] as const;
const LIMIT_KEYS = ['iterations', 'nodes', 'timeMs'] as const;
/** Limits a file leaves out: the built-ins'. */
const DEFAULT_LIMITS = BUILT_IN_STRATEGIES[0]!.limits;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isPositiveInteger = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0;

/** Reads and checks the strategy file at `path`. */
export function readStrategyFile(path: string): Strategy {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new StrategyFileError(`cannot read strategy file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { where: path, hint: 'check the path' });
  }
  return parseStrategy(text, path);
}

/** Checks strategy JSON `text`; `path` names it in errors and anchors its relative rule paths. */
export function parseStrategy(text: string, path: string): Strategy {
  let parsed: ReturnType<typeof parseJsonWithPositions>;
  try {
    parsed = parseJsonWithPositions(text);
  } catch (e) {
    if (!(e instanceof JsonSyntaxError)) throw e;
    throw new StrategyFileError(`the strategy file is not valid JSON: ${e.message}`, { where: `${path}:${lineCol(text, e.offset)}`, hint: 'fix the JSON syntax there' });
  }
  const fail = (key: string, what: string, hint: string): never => {
    throw new StrategyFileError(what, { where: `${path}:${lineCol(text, parsed.offsets.get(key) ?? 0)}`, hint });
  };
  const json = parsed.value;
  if (!isObject(json)) return fail('', 'a strategy file holds one JSON object', `start from {"format": "${STRATEGY_FORMAT}", "name": "mine", "version": 1, "rules": ["algebra"]}`);
  checkKeys(json, KEYS, '', fail);
  if (json['format'] !== STRATEGY_FORMAT) fail(json['format'] === undefined ? '' : 'format', `"format" must be "${STRATEGY_FORMAT}"`, `add "format": "${STRATEGY_FORMAT}"`);
  if (typeof json['name'] !== 'string' || !/^[a-z0-9][a-z0-9._-]*$/.test(json['name']))
    fail(json['name'] === undefined ? '' : 'name', '"name" must be a lower-case name (letters, digits, . _ -)', 'e.g. "name": "llm-ilp"');
  if (!isPositiveInteger(json['version']))
    fail(json['version'] === undefined ? '' : 'version', '"version" must be a positive integer', 'e.g. "version": 1; bump it when you change the strategy');
  if (json['description'] !== undefined && typeof json['description'] !== 'string')
    fail('description', '"description" must be a string', 'one line saying what the strategy is for');
  const strategy: Strategy = {
    name: json['name'] as string,
    version: json['version'] as number,
    description: (json['description'] as string | undefined) ?? '',
    rules: rules(json['rules'], dirname(path), fail),
    limits: limits(json['limits'], fail),
    extractor: oneOf(json['extractor'], EXTRACTORS, 'extractor', 'dag', fail),
    device: oneOf<DeviceId>(json['device'], DEVICE_IDS, 'device', 'h100-sxm', fail),
    source: path,
  };
  // Shipped library names are checked now, so a misspelt one is reported at its position.
  (json['rules'] as string[]).forEach((_, i) => {
    try {
      strategyRulePaths({ ...strategy, rules: [strategy.rules[i]!] });
    } catch (e) {
      if (!(e instanceof NetsatError)) throw e;
      fail(`rules[${i}]`, e.what, e.hint ?? '');
    }
  });
  return strategy;
}

type Fail = (key: string, what: string, hint: string) => never;

function checkKeys(json: Record<string, unknown>, known: readonly string[], prefix: string, fail: Fail): void {
  for (const key of Object.keys(json)) {
    if (!known.includes(key)) fail(`${prefix}${key}`, `unknown key "${key}"`, `keys allowed here: ${known.join(', ')}`);
  }
}

function rules(value: unknown, dir: string, fail: Fail): string[] {
  if (!Array.isArray(value))
    return fail(value === undefined ? '' : 'rules', '"rules" must be an array of rule library names or .rules paths', 'e.g. "rules": ["algebra", "fusion-llm"], or [] for none');
  return value.map((rule, i) => {
    if (typeof rule !== 'string' || rule === '')
      return fail(`rules[${i}]`, 'a rule entry must be a non-empty string', 'a shipped library name ("algebra") or a path to a .rules file');
    if (!(rule.includes('/') || rule.endsWith('.rules'))) return rule;
    const path = join(dir, rule);
    if (!existsSync(path)) fail(`rules[${i}]`, `rule file "${rule}" does not exist (looked for ${path})`, 'paths are relative to the strategy file');
    return path;
  });
}

function limits(value: unknown, fail: Fail): StrategyLimits {
  if (value === undefined) return DEFAULT_LIMITS;
  if (!isObject(value)) return fail('limits', '"limits" must be an object', `e.g. "limits": {"iterations": 12, "nodes": 40000, "timeMs": 20000}`);
  checkKeys(value, LIMIT_KEYS, 'limits.', fail);
  for (const key of LIMIT_KEYS) {
    if (value[key] !== undefined && !isPositiveInteger(value[key])) fail(`limits.${key}`, `"limits.${key}" must be a positive integer`, `leave it out for ${DEFAULT_LIMITS[key]}`);
  }
  return { ...DEFAULT_LIMITS, ...(value as Partial<StrategyLimits>) };
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], key: string, fallback: T, fail: Fail): T {
  if (value === undefined) return fallback;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  return fail(key, `"${key}" must be one of ${allowed.join(', ')}`, `leave it out for ${fallback}`);
}

/** A strategy by name (built-in) or by file (a path ending in .json). */
export function resolveStrategy(spec: string): Strategy {
  return spec.endsWith('.json') ? readStrategyFile(spec) : builtInStrategy(spec);
}
