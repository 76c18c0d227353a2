/**
 * The shipped rule libraries (rules/*.rules at the package root) and loading a mix of paths and
 * already-parsed files. The package root is the nearest folder above this code that holds a
 * package.json, so the libraries are found from src/ and from a bundle in dist/ alike.
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NetsatError } from '../errors.js';
import type { RuleFile } from './ast.js';
import { loadRuleFile } from './load.js';

/** The folder holding the shipped .rules files. */
function shippedRulesDir(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) {
      const rules = join(dir, 'rules');
      if (existsSync(rules)) return rules;
      break;
    }
    if (dirname(dir) === dir) break;
  }
  throw new NetsatError('the shipped rule libraries (rules/*.rules) were not found beside netsat', { hint: 'reinstall netsat, or pass rule files explicitly' });
}

/** Paths of the shipped libraries, sorted by name. */
export function shippedRulePaths(): string[] {
  const dir = shippedRulesDir();
  return readdirSync(dir)
    .filter((f) => f.endsWith('.rules'))
    .sort()
    .map((f) => join(dir, f));
}

/** Every shipped library, loaded and checked. */
export function shippedRuleFiles(): RuleFile[] {
  return shippedRulePaths().map(loadRuleFile);
}

/** Loads paths and passes parsed files through. */
export function loadRuleFiles(sources: readonly (RuleFile | string)[]): RuleFile[] {
  return sources.map((s) => (typeof s === 'string' ? loadRuleFile(s) : s));
}
