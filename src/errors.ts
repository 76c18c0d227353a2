/**
 * Typed errors of the network side of netsat. Each says what is wrong, where (op, layer, tensor,
 * file position) and what to do, in one message a user can act on. The e-graph engine has its own
 * errors in src/egraph, since it imports nothing of the project.
 */

export interface ErrorDetails {
  /** Where: an op, layer or tensor name, or a file position. */
  readonly where?: string;
  /** What to do about it. */
  readonly hint?: string;
}

/** Base class: every error netsat throws on bad input is a NetsatError. */
export class NetsatError extends Error {
  /** The message without the location and hint, for re-wrapping with a better location. */
  readonly what: string;
  readonly where: string | undefined;
  readonly hint: string | undefined;

  constructor(message: string, details: ErrorDetails = {}) {
    const where = details.where ? ` (at ${details.where})` : '';
    const hint = details.hint ? `\n  hint: ${details.hint}` : '';
    super(`${message}${where}${hint}`);
    this.name = new.target.name;
    this.what = message;
    this.where = details.where;
    this.hint = details.hint;
  }
}

/** A structural problem: unknown names, cycles, tensors of another network, removed layers. */
export class NetworkError extends NetsatError {}

/** Shapes or dtypes that do not fit an op, or a replacement whose type differs. */
export class ShapeError extends NetsatError {}

/** An attribute missing, of the wrong kind, or out of range. */
export class AttributeError extends NetsatError {}

/** Serialized network JSON of a wrong version or with unknown ops. */
export class FormatError extends NetsatError {}

/** A rewrite pattern misbehaved: duplicate label, iteration cap reached, missing hook. */
export class PatternError extends NetsatError {}

/** The interpreter could not run a network (missing input data, wrong input shape). */
export class InterpretError extends NetsatError {}

/** A run's memory budget cannot hold a stage that may not be cut short (the check of the result). */
export class BudgetError extends NetsatError {}

/**
 * The optimized network does not compute what the input computed (and was not healed). `report`
 * holds the comparison per output; `failing` names the first output that differs.
 */
export class VerificationError extends NetsatError {
  constructor(
    message: string,
    readonly report: { readonly outputs: readonly { readonly name: string; readonly pass: boolean }[] },
    details: ErrorDetails = {},
  ) {
    super(message, details);
  }

  get failing(): string[] {
    return this.report.outputs.filter((o) => !o.pass).map((o) => o.name);
  }
}
