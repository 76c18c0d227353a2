/**
 * Builds a pattern bottom-up through a RuleBuilder: variables become their bound handles, numbers
 * become scalar constants shaped like their tensor siblings, attribute expressions are evaluated
 * against the RuleEnv. This is how check-rules builds both sides and how a loader builds a right side.
 */
import type { AttrValue, Attrs } from '../ops/types.js';
import type { Pattern } from './ast.js';
import type { RuleBuilder } from './builder.js';
import type { RuleEnv } from './env.js';
import { evaluate } from './expr.js';
import { RuleEvaluationError, SKIP, toAttr } from './value.js';

/** Where an attribute variable is being bound: the op, the attribute, and the op's built inputs. */
export interface AttrSite<H> {
  readonly op: string;
  readonly attr: string;
  readonly inputs: readonly (H | undefined)[];
}

export interface InstantiateContext<H> {
  readonly build: RuleBuilder<H>;
  readonly env: RuleEnv;
  /** The handle of tensor variable `variable`. */
  tensor(variable: string): H;
  /**
   * The value of attribute variable `variable` used as a whole attribute value. Defaults to
   * `env.attr`; check-rules draws left-side attribute values here, knowing the op's inputs.
   */
  attrVariable?(variable: string, site: AttrSite<H>): AttrValue | undefined;
}

/** The handle `pattern` builds, or SKIP when an attribute cannot be computed for this match. */
export function instantiate<H>(pattern: Pattern, ctx: InstantiateContext<H>): H | typeof SKIP {
  switch (pattern.kind) {
    case 'var':
      return ctx.tensor(pattern.name);
    case 'absent':
    case 'number':
      // The checker refuses these as whole sides; as operands they are built by their op below.
      throw new RuleEvaluationError(`a ${pattern.kind === 'number' ? 'number' : '_'} cannot stand alone as a side`, { hint: 'use it as an operand of an op' });
    case 'op': {
      const inputs: (H | undefined)[] = [];
      for (const p of pattern.inputs) {
        if (p.kind === 'absent' || p.kind === 'number') {
          inputs.push(undefined);
          continue;
        }
        const h = instantiate(p, ctx);
        if (h === SKIP) return SKIP;
        inputs.push(h);
      }
      const like = inputs.find((h) => h !== undefined);
      pattern.inputs.forEach((p, i) => {
        if (p.kind === 'number') inputs[i] = ctx.build.scalar(p.value, like!);
      });
      const attrs: Record<string, AttrValue> = {};
      for (const a of pattern.attrs) {
        const v =
          a.value.kind === 'var'
            ? (ctx.attrVariable?.(a.value.name, { op: pattern.op, attr: a.name, inputs }) ?? ctx.env.attr(a.value.name) ?? SKIP)
            : toAttrOrSkip(evaluate(a.value, ctx.env));
        if (v === SKIP) return SKIP;
        attrs[a.name] = v;
      }
      return ctx.build.op(pattern.op, inputs, attrs as Attrs, pattern.output);
    }
  }
}

function toAttrOrSkip(v: ReturnType<typeof evaluate>): AttrValue | typeof SKIP {
  return v === SKIP ? SKIP : toAttr(v);
}
