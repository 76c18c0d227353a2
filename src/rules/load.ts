/**
 * Loading rule files: parse, then check, and throw one RuleFileError listing every problem of the
 * file (syntax and semantics together, in source order). A loaded RuleFile is valid: every op,
 * arity, attribute, variable and applier in it has been checked.
 */
import { readFileSync } from 'node:fs';
import { NetsatError } from '../errors.js';
import type { RuleFile } from './ast.js';
import { checkRules } from './check.js';
import { RuleFileError } from './errors.js';
import { parseRules } from './parse.js';

/** Loaded files by name and text: a RuleFile is immutable, and parsing the shipped libraries takes about half a second, once per optimize call without this. */
const loaded = new Map<string, RuleFile>();
const LOADED_KEPT = 64;

/** Parses and checks `text`; throws RuleFileError with all problems when there are any. */
export function loadRuleText(text: string, file = '<rules>'): RuleFile {
  const key = `${file}\0${text}`;
  const hit = loaded.get(key);
  if (hit) return hit;
  const ruleFile = parseAndCheck(text, file);
  if (loaded.size >= LOADED_KEPT) loaded.delete(loaded.keys().next().value!);
  loaded.set(key, ruleFile);
  return ruleFile;
}

function parseAndCheck(text: string, file: string): RuleFile {
  const parsed = parseRules(text, file);
  const ruleFile: RuleFile = { file, text, rules: parsed.rules };
  const errors = [...parsed.errors, ...checkRules(ruleFile)].sort((a, b) => a.line - b.line || a.col - b.col);
  if (errors.length) throw new RuleFileError(file, errors);
  return ruleFile;
}

/** Reads, parses and checks a .rules file. */
export function loadRuleFile(path: string): RuleFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new NetsatError(`cannot read rule file ${path}: ${e instanceof Error ? e.message : String(e)}`, { where: path, hint: 'check the path' });
  }
  return loadRuleText(text, path);
}
