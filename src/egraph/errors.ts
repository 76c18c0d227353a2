/**
 * The e-graph engine's own typed errors. src/egraph imports nothing else of the project, so these
 * mirror the project's convention on their own: each message says what is wrong, where, and what to do.
 */

export interface EGraphErrorDetails {
  /** Where: a rule name, a file, a column in a pattern, an op. */
  readonly where?: string;
  /** What to do about it. */
  readonly hint?: string;
}

/** Base class of every error the engine throws on bad input or misuse. */
export class EGraphError extends Error {
  /** The message without location and hint. */
  readonly what: string;
  readonly where: string | undefined;
  readonly hint: string | undefined;

  constructor(message: string, details: EGraphErrorDetails = {}) {
    const where = details.where ? ` (at ${details.where})` : '';
    const hint = details.hint ? `\n  hint: ${details.hint}` : '';
    super(`${message}${where}${hint}`);
    this.name = new.target.name;
    this.what = message;
    this.where = details.where;
    this.hint = details.hint;
  }
}

/** A malformed s-expression (term or pattern). `column` is 1-based in `source`. */
export class PatternSyntaxError extends EGraphError {
  constructor(
    message: string,
    readonly source: string,
    readonly column: number,
    hint?: string,
  ) {
    super(`${message}\n  ${source}\n  ${' '.repeat(Math.max(0, column - 1))}^`, { where: `column ${column}`, ...(hint ? { hint } : {}) });
  }
}

/** An op name the language does not know. */
export class UnknownOpError extends EGraphError {
  constructor(
    readonly op: string,
    where?: string,
    hint = 'check the spelling, or declare the op in the language',
  ) {
    super(`unknown op "${op}"`, { ...(where ? { where } : {}), hint });
  }
}

/** An op applied to the wrong number of children. */
export class ArityError extends EGraphError {
  constructor(
    readonly op: string,
    readonly expected: number,
    readonly actual: number,
    where?: string,
  ) {
    super(`op "${op}" takes ${expected} child${expected === 1 ? '' : 'ren'}, got ${actual}`, {
      ...(where ? { where } : {}),
      hint: `write (${op}${' ?x'.repeat(expected)})`.replace('( ', '('),
    });
  }
}

/** A rewrite rule that cannot work as written (unbound right-hand-side variable, empty name, ...). */
export class RuleError extends EGraphError {}

/** A workload file that does not follow the egraph-workload/1 format. */
export class WorkloadError extends EGraphError {}

/** The e-graph was used in a way its current state does not allow (e.g. searched before rebuild()). */
export class EGraphStateError extends EGraphError {}
