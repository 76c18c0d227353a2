/**
 * The rule names of some rule files, by file, with each rule's first doc line: what `netsat rules`
 * prints, so the names `why-not` and `--disable-rule` take can be looked up without opening the files.
 */
import { basename } from 'node:path';
import type { RuleFile } from '../rules/ast.js';

export interface RuleListing {
  readonly file: string;
  readonly rules: readonly { readonly name: string; readonly doc: string }[];
}

export function listRules(files: readonly RuleFile[]): RuleListing[] {
  return files.map((f) => ({ file: basename(f.file), rules: f.rules.map((r) => ({ name: r.name, doc: firstSentence(r.doc) })) }));
}

/** A rule's doc comment runs over several lines; its first sentence is its summary. */
function firstSentence(doc: readonly string[]): string {
  const text = doc.map((l) => l.trim()).join(' ');
  const end = text.search(/\.(\s|$)/);
  return end < 0 ? text : text.slice(0, end + 1);
}

export function formatRuleList(listing: readonly RuleListing[]): string {
  const width = Math.max(0, ...listing.flatMap((f) => f.rules.map((r) => r.name.length)));
  const total = listing.reduce((n, f) => n + f.rules.length, 0);
  const files = listing.map((f) => `${f.file} (${f.rules.length})\n${f.rules.map((r) => `  ${r.doc ? `${r.name.padEnd(width)}  ${r.doc}` : r.name}`).join('\n')}`);
  return `${files.join('\n\n')}\n\n${total} rules in ${listing.length} files`;
}
