/**
 * Errors of .rules files. Each problem is a RuleSyntaxError that points at the source: file:line:col,
 * the line itself and a caret under the offending text. Loading a file reports all its problems at
 * once in one RuleFileError.
 */
import { NetsatError } from '../errors.js';
import type { Span } from './ast.js';

/** 1-based line and column of `offset` in `text`, and the text of that line. */
function positionOf(text: string, offset: number): { line: number; col: number; lineText: string } {
  const at = Math.max(0, Math.min(offset, text.length));
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  const lineEndAt = text.indexOf('\n', at);
  const lineEnd = lineEndAt < 0 ? text.length : lineEndAt;
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < lineStart; i = text.indexOf('\n', i + 1)) line++;
  return { line, col: at - lineStart + 1, lineText: text.slice(lineStart, lineEnd).replace(/\r$/, '') };
}

export interface RuleErrorSource {
  /** File path or label. */
  readonly file: string;
  /** The whole text of the file. */
  readonly text: string;
  readonly span: Span;
  readonly hint?: string | undefined;
}

/** One problem in a rule file, with its position and a caret line under the source. */
export class RuleSyntaxError extends NetsatError {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  /** The source line the error points into. */
  readonly sourceLine: string;
  /** Spaces and carets marking the span under `sourceLine`. */
  readonly caret: string;

  constructor(what: string, source: RuleErrorSource) {
    const { line, col, lineText } = positionOf(source.text, source.span.start);
    super(what, { where: `${source.file}:${line}:${col}`, hint: source.hint });
    this.file = source.file;
    this.line = line;
    this.col = col;
    this.sourceLine = lineText;
    const width = Math.max(1, Math.min(source.span.end - source.span.start, lineText.length - col + 1));
    this.caret = ' '.repeat(col - 1) + '^'.repeat(width);
    const hint = source.hint ? `\n  hint: ${source.hint}` : '';
    this.message = `${this.where}: ${what}\n  ${lineText}\n  ${this.caret}${hint}`;
  }
}

/** Every problem of one rule file, reported together. */
export class RuleFileError extends NetsatError {
  readonly errors: readonly RuleSyntaxError[];

  constructor(file: string, errors: readonly RuleSyntaxError[]) {
    const count = errors.length === 1 ? '1 error' : `${errors.length} errors`;
    super(`${count} in ${file}`, { where: file, hint: 'fix the rules above; every problem of the file is listed' });
    this.errors = errors;
    this.message = `${count} in ${file}:\n\n${errors.map((e) => e.message).join('\n\n')}`;
  }
}

/** True for the engine's stack overflow, which a rule nested thousands of levels deep can cause. */
export function isStackOverflow(e: unknown): boolean {
  return e instanceof RangeError && /call stack/i.test(e.message);
}

/** The problem reported for such a rule. */
export const TOO_DEEP = 'rule is nested too deeply to process';
