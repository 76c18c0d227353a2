/**
 * Random instances of a rule's variables for check-rules: a shape, dtype, data and constness for
 * each tensor variable, and a value for each attribute variable. Sample hints shape the draw
 * (`?x: [B, S, H]` with letters drawn from 1..5 per instance, `?two = 2`, `const`, `in [lo, hi]`);
 * unhinted tensors get random ranks and dims from a small per-instance pool, so that shapes of
 * different variables often agree, and rejection (in check-rules) keeps only instances where the
 * left side builds and the condition holds. Everything follows from the seed.
 */
import { getOp } from '../ops/registry.js';
import type { AttrSpec, AttrValue, DType, NDArray, Shape, TensorType } from '../ops/types.js';
import { DTYPES } from '../ops/types.js';
import { randomArray, rng, seedFor } from '../interp/random.js';
import { ropeTables } from '../ops/kernels/rotary.js';
import type { Expr, Rule, SampleHint, SampleTable } from './ast.js';
import type { RuleEnv } from './env.js';
import { evaluate } from './expr.js';
import { SKIP, toAttr } from './value.js';

/** Letters of shape templates take values in 1..LETTER_MAX. */
const LETTER_MAX = 5;

export interface TensorDraw {
  readonly type: TensorType;
  readonly constant: boolean;
  readonly data: NDArray;
}

export interface Instance {
  /** Seeds the whole instance: shapes, data and attribute values. */
  readonly seed: number;
  readonly letters: ReadonlyMap<string, number>;
  readonly tensors: ReadonlyMap<string, TensorDraw>;
  /** Attribute values: pinned by hints, or drawn while the left side is built. */
  readonly attrs: Map<string, AttrValue>;
}

/** Where an attribute variable is bound: the op, the attribute name, and the types of the op's inputs. */
export interface AttrDrawSite {
  readonly op: string;
  readonly attr: string;
  readonly inputs: readonly (TensorType | undefined)[];
}

const NO_ENV: RuleEnv = {
  type: () => undefined,
  isConstant: () => undefined,
  constValue: () => undefined,
  constArray: () => undefined,
  attr: () => undefined,
};

function lettersOf(expr: Expr, out: Set<string>): void {
  if (expr.kind === 'name') out.add(expr.name);
  else if (expr.kind === 'list') expr.items.forEach((e) => lettersOf(e, out));
  else if (expr.kind === 'binary') {
    lettersOf(expr.left, out);
    lettersOf(expr.right, out);
  } else if (expr.kind === 'neg' || expr.kind === 'not') lettersOf(expr.arg, out);
  else if (expr.kind === 'call') expr.args.forEach((e) => lettersOf(e, out));
}

function scaled(a: NDArray, lo: number, hi: number): NDArray {
  const data = a.data.slice();
  for (let i = 0; i < data.length; i++) data[i] = lo + ((data[i]! + 1) / 2) * (hi - lo);
  return { ...a, data };
}

/** An additive causal mask over the last two dims: 0 on and below the diagonal, -1e9 above. */
function causalMask(shape: readonly number[]): NDArray {
  const cols = shape[shape.length - 1] ?? 1;
  const rows = shape[shape.length - 2] ?? 1;
  const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let k = 0; k < data.length; k++) {
    const j = k % cols;
    const i = Math.floor(k / cols) % rows;
    data[k] = j <= i ? 0 : -1e9;
  }
  return { dtype: 'float32', shape: [...shape], data };
}

/** RoPE cos or sin tables [..., S, R] for positions 0..S-1, each leading block the same table. */
function ropeTable(shape: readonly number[], base: number, which: 'cos' | 'sin'): NDArray {
  const rotary = shape[shape.length - 1] ?? 0;
  const positions = shape[shape.length - 2] ?? 1;
  const table = ropeTables(positions, rotary, base)[which];
  const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let k = 0; k < data.length; k++) data[k] = table[k % table.length]!;
  return { dtype: 'float32', shape: [...shape], data };
}

/** The data of a named table; one RoPE base per instance (log-uniform in 10..1e6), so that its cos and sin agree. */
function tableData(table: SampleTable, shape: readonly number[], instanceSeed: number): NDArray {
  if (table === 'causal') return causalMask(shape);
  const base = 10 ** (1 + 5 * rng(seedFor(instanceSeed, 'rope base'))());
  return ropeTable(shape, base, table === 'rope_cos' ? 'cos' : 'sin');
}

export class Sampler {
  private readonly letterNames: string[];
  private readonly hints: Map<string, SampleHint>;
  private random: () => number = Math.random;

  /** `tensors` and `attrs`: the variables of the side the instance is drawn for. */
  constructor(
    rule: Rule,
    private readonly tensors: readonly string[],
    private readonly seed: number,
  ) {
    this.hints = new Map(rule.sample.flatMap((h) => (h.kind === 'setting' ? [] : [[h.variable, h] as const])));
    const letters = new Set<string>();
    for (const h of rule.sample) {
      if (h.kind === 'shape') h.dims.forEach((d) => lettersOf(d, letters));
      if (h.kind === 'value') lettersOf(h.value, letters);
    }
    this.letterNames = [...letters];
  }

  private int(lo: number, hi: number): number {
    return lo + Math.floor(this.random() * (hi - lo + 1));
  }

  /** Instance number `attempt`; the same (seed, attempt) always gives the same instance. */
  draw(attempt: number): Instance {
    const seed = seedFor(this.seed, `instance ${attempt}`);
    this.random = rng(seed);
    const letters = new Map(this.letterNames.map((l) => [l, this.int(1, LETTER_MAX)]));
    const pool = [this.int(1, LETTER_MAX), this.int(1, LETTER_MAX)];
    const commonRank = this.int(0, 4);
    const tensors = new Map<string, TensorDraw>();
    const attrs = new Map<string, AttrValue>();
    for (const [variable, hint] of this.hints) {
      if (hint.kind !== 'value' || this.tensors.includes(variable)) continue;
      const v = evaluate(hint.value, NO_ENV, letters);
      if (v !== SKIP) {
        const attr = toAttr(v);
        if (attr !== SKIP) attrs.set(variable, attr);
      }
    }
    for (const variable of this.tensors) {
      const hint = this.hints.get(variable);
      const dataSeed = seedFor(seed, variable);
      if (hint?.kind === 'value') {
        const value = evaluate(hint.value, NO_ENV, letters) as number;
        tensors.set(variable, { type: { dtype: 'float32', shape: [] }, constant: true, data: { dtype: 'float32', shape: [], data: Float32Array.of(value) } });
        continue;
      }
      let shape: number[];
      let dtype: DType = 'float32';
      let constant = this.random() < 0.5;
      let range: readonly [number, number] = [-1, 1];
      let table: SampleTable | undefined;
      if (hint?.kind === 'shape') {
        table = hint.table;
        shape = hint.dims.map((d) => evaluate(d, NO_ENV, letters) as number);
        dtype = hint.dtype ?? dtype;
        constant = hint.constant || constant;
        range = hint.range ?? range;
      } else {
        // Most variables share the instance's rank, so that ops over several of them often build.
        const rank = this.random() < 0.7 ? commonRank : this.int(0, 4);
        shape = Array.from({ length: rank }, () => pool[this.int(0, 1)]!);
      }
      const raw = randomArray(dtype, shape, dataSeed, dtype === 'bool' ? {} : { intRange: [Math.ceil(range[0]), Math.floor(range[1]) + 1] });
      const data = table ? tableData(table, shape, seed) : dtype === 'float32' || dtype === 'float16' ? scaled(raw, range[0], range[1]) : raw;
      tensors.set(variable, { type: { dtype, shape }, constant, data });
    }
    return { seed, letters, tensors, attrs };
  }

  /**
   * A value for attribute variable `variable` first met at `site`: its hint, or a draw that fits
   * the attribute's kind and the op's inputs (a permutation of the input's axes for perm, an axis
   * of the input for axis, a small variation of the default otherwise). Undefined when no draw is
   * possible (a sizes list such as Split's split): such a rule needs a hint.
   */
  drawAttr(instance: Instance, variable: string, site: AttrDrawSite): AttrValue | undefined {
    const known = instance.attrs.get(variable);
    if (known !== undefined) return known;
    const spec = getOp(site.op).attributes[site.attr];
    const value = spec ? this.attrFor(site, spec) : undefined;
    if (value !== undefined) instance.attrs.set(variable, value);
    return value;
  }

  /** A Reshape or Expand target for an input of `shape`: the same dims, all in one, reversed, with a 1 in front, or copied with 0. */
  private targetShape(shape: Shape): number[] | undefined {
    if (!shape.every((d) => typeof d === 'number')) return undefined;
    const dims = shape as number[];
    const choices = [dims, [-1], [...dims].reverse(), [1, ...dims], dims.map((d, i) => (i === 0 ? 0 : d))];
    return choices[this.int(0, choices.length - 1)];
  }

  private attrFor(site: AttrDrawSite, spec: AttrSpec): AttrValue | undefined {
    const rank = site.inputs[0]?.shape.length ?? 0;
    const axes = Array.from({ length: rank }, (_, i) => i);
    if (site.attr === 'perm') {
      for (let i = axes.length - 1; i > 0; i--) {
        const j = this.int(0, i);
        [axes[i], axes[j]] = [axes[j]!, axes[i]!];
      }
      return axes;
    }
    if (site.attr === 'axis') return rank === 0 ? 0 : this.int(-rank, rank - 1);
    if (site.attr === 'axes') return rank === 0 ? [] : axes.filter(() => this.random() < 0.5);
    if (site.attr === 'shape') return this.targetShape(site.inputs[0]?.shape ?? []);
    const d = spec.default;
    switch (spec.kind) {
      case 'bool':
        return this.random() < 0.5;
      case 'dtype':
        return DTYPES[this.int(0, DTYPES.length - 1)];
      case 'string':
        return spec.oneOf ? spec.oneOf[this.int(0, spec.oneOf.length - 1)]! : typeof d === 'string' ? d : undefined;
      case 'int':
        return typeof d === 'number' ? d + this.int(0, 1) : this.int(1, 3);
      case 'float':
        return typeof d === 'number' ? d + this.random() / 2 : this.random();
      case 'ints':
        return Array.isArray(d) ? (d as number[]).map((x) => x + this.int(0, 1)) : undefined;
      default:
        return undefined;
    }
  }
}
