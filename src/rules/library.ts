/**
 * The shipped rule libraries (rules/*.rules at the package root) and loading a mix of paths and
 * already-parsed files. The libraries are found beside the code in the repository and in the
 * published package alike (src/rules → ../../rules, dist → ../rules).
 */
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { NetsatError } from '../errors.js';
import type { RuleFile } from './ast.js';
import { loadRuleFile } from './load.js';

const CANDIDATES = [new URL('../../rules/', import.meta.url), new URL('../rules/', import.meta.url)];

/** The folder holding the shipped .rules files. */
export function shippedRulesDir(): string {
  for (const url of CANDIDATES) {
    const dir = fileURLToPath(url);
    if (existsSync(dir) && readdirSync(dir).some((f) => f.endsWith('.rules'))) return dir;
  }
  throw new NetsatError('the shipped rule libraries (rules/*.rules) were not found beside netsat', { hint: 'reinstall netsat, or pass rule files explicitly' });
}

/** Paths of the shipped libraries, sorted by name. */
export function shippedRulePaths(): string[] {
  const dir = shippedRulesDir();
  return readdirSync(dir)
    .filter((f) => f.endsWith('.rules'))
    .sort()
    .map((f) => `${dir}${f}`);
}

/** Every shipped library, loaded and checked. */
export function shippedRuleFiles(): RuleFile[] {
  return shippedRulePaths().map(loadRuleFile);
}

/** Loads paths and passes parsed files through. */
export function loadRuleFiles(sources: readonly (RuleFile | string)[]): RuleFile[] {
  return sources.map((s) => (typeof s === 'string' ? loadRuleFile(s) : s));
}
