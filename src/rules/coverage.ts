/**
 * What a rule's compared instances exercised: how many had each letter of its sample hints above
 * 1, how many had each tensor variable with a dim above 1, and how many varied a hint. A rule can
 * look proven on instances where every batch or head count is 1 (where attention over the folded
 * batch is attention per item); check-rules refuses to pass it unless every letter and every
 * variable not hinted as one element was above 1 in some instance.
 */
import { numel } from '../ops/shape.js';
import type { Rule } from './ast.js';
import type { Instance } from './sample.js';
import { lettersOf } from './sample.js';

export interface Coverage {
  /** Per letter of the sample hints: instances in which it was above 1 in a tensor that kept its hinted shape. */
  readonly letters: Readonly<Record<string, number>>;
  /** Per tensor variable: instances in which it had a dim above 1 (more than one element). */
  readonly variables: Readonly<Record<string, number>>;
  /** Variables the hints give one element (`?eps: []`, `?zero = 0`): no dim of theirs can be above 1. */
  readonly oneElement: readonly string[];
  /** Instances that varied a hinted variable or the dtype; the others honoured every hint. */
  readonly varied: number;
  /** Instances per dtype of the tensors whose hint names none: the dtypes the condition let through. */
  readonly dtypes: Readonly<Record<string, number>>;
}

/** Whether `rule`'s hint makes `variable` one element: a pinned scalar, or a shape of literal 1s. */
function hintedOneElement(rule: Rule, variable: string): boolean {
  return rule.sample.some((h) => h.kind !== 'setting' && h.variable === variable && (h.kind === 'value' || h.dims.every((d) => d.kind === 'number' && d.value === 1)));
}

export class CoverageCounter {
  private readonly letters = new Map<string, number>();
  /** The letters of each tensor variable's shape template. */
  private readonly templates = new Map<string, ReadonlySet<string>>();
  private readonly variables: Map<string, number>;
  private varied = 0;
  private readonly dtypes = new Map<string, number>();

  constructor(
    private readonly rule: Rule,
    private readonly tensors: readonly string[],
  ) {
    this.variables = new Map(tensors.map((v) => [v, 0]));
    for (const h of rule.sample) {
      if (h.kind !== 'shape') continue;
      const letters = new Set<string>();
      h.dims.forEach((d) => lettersOf(d, letters));
      this.templates.set(h.variable, letters);
    }
  }

  add(instance: Instance): void {
    for (const [letter, value] of instance.letters) this.letters.set(letter, (this.letters.get(letter) ?? 0) + (value > 1 && this.inUse(letter, instance) ? 1 : 0));
    for (const [variable, draw] of instance.tensors) {
      if (numel(draw.type.shape as number[]) > 1) this.variables.set(variable, (this.variables.get(variable) ?? 0) + 1);
    }
    if (instance.varied.size || instance.dtype !== 'float32') this.varied++;
    this.dtypes.set(instance.dtype, (this.dtypes.get(instance.dtype) ?? 0) + 1);
  }

  /** A letter is in use when a tensor whose hint mentions it kept its hinted shape (a varied one may have set that dim to 1). */
  private inUse(letter: string, instance: Instance): boolean {
    return [...this.templates].some(([v, letters]) => letters.has(letter) && !instance.varied.has(v));
  }

  result(): Coverage {
    return {
      letters: Object.fromEntries(this.letters),
      variables: Object.fromEntries(this.variables),
      oneElement: this.tensors.filter((v) => hintedOneElement(this.rule, v)),
      varied: this.varied,
      dtypes: Object.fromEntries(this.dtypes),
    };
  }
}

/** The letters and variables no instance had above 1 (variables hinted one element aside). */
export function coverageGaps(c: Coverage): string[] {
  const letters = Object.entries(c.letters).flatMap(([l, n]) => (n === 0 ? [l] : []));
  const variables = Object.entries(c.variables).flatMap(([v, n]) => (n === 0 && !c.oneElement.includes(v) ? [v] : []));
  return [...letters, ...variables];
}
