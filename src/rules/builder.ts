/**
 * How a rule's right side is built, independent of where: check-rules builds layers of a Network
 * (handles are Tensors), the e-graph loader adds e-nodes (handles are e-class ids). Pattern right
 * sides and TypeScript appliers both build through this interface only.
 */
import type { Attrs, TensorType } from '../ops/types.js';
import type { RuleEnv } from './env.js';

export interface RuleBuilder<H> {
  /**
   * Output `outputIndex` of `op` applied to `inputs` (undefined for an absent optional input), with
   * these attributes (defaults filled in by the builder). Throws a NetsatError when the types do not
   * fit, which makes the rule not apply to this match.
   */
  op(op: string, inputs: readonly (H | undefined)[], attrs: Attrs, outputIndex?: number): H;
  /** A rank-0 constant holding `value`, with the dtype of `like`. */
  scalar(value: number, like: H): H;
  /** The type of a handle, when known. */
  type(handle: H): TensorType | undefined;
}

/** What an applier sees of one match. */
export interface ApplierContext<H> {
  readonly env: RuleEnv;
  readonly build: RuleBuilder<H>;
  /** The handle bound to tensor variable `variable` (with its `?`); undefined when the left side has none. */
  bound(variable: string): H | undefined;
}

/**
 * A rule right side computed in TypeScript (`=> apply name`). It returns one handle per left-side
 * pattern, to be unioned with (or, in check-rules, compared against) that pattern's match, or
 * undefined when it does not apply to this match.
 */
export interface Applier {
  readonly name: string;
  /** One line: what it builds and why it pays. */
  readonly doc: string;
  /** Variables (tensor or attribute) the left side must bind. */
  readonly needs: readonly string[];
  apply<H>(ctx: ApplierContext<H>): readonly H[] | undefined;
}
