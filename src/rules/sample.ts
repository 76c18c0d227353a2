/**
 * Random instances of a rule's variables for check-rules: a shape, dtype, data and constness for
 * each tensor variable, and a value for each attribute variable. Sample hints shape the draw
 * (`?x: [B, S, H]`, `?two = 2`, `?p = [0 0 H D]`, `const`, `in [lo, hi]`) but never pin it: letters
 * take values above 1 in most instances (1 in some), and half the instances vary one hinted
 * variable (now and then two) or the dtype (sample-variants.ts: another spelling or another shape
 * of a pinned attribute, a one-element constant of another rank, masks of other shapes), so a
 * condition that holds only for the hinted configuration is exposed. Unhinted tensors get random
 * ranks and dims from a small per-instance pool, so that shapes of different variables often
 * agree, and rejection (in check-rules) keeps only instances where the left side builds and the
 * condition holds. Everything follows from the seed.
 */
import { getOp } from '../ops/registry.js';
import type { AttrSpec, AttrValue, DType, NDArray, Shape, TensorType } from '../ops/types.js';
import { DTYPES } from '../ops/types.js';
import { randomArray, rng, seedFor } from '../interp/random.js';
import { ndarray } from '../ops/ndarray.js';
import { ropeTables } from '../ops/kernels/rotary.js';
import type { Expr, Rule, SampleHint, SampleTable } from './ast.js';
import type { RuleEnv } from './env.js';
import { evaluate } from './expr.js';
import { SKIP, toAttr } from './value.js';
import type { Draw } from './sample-variants.js';
import { attrVariant, maskShapeVariant, shapeVariant, shuffled } from './sample-variants.js';

/** Letters of shape templates take values in 2..LETTER_MAX, and 1 with probability LETTER_ONE. */
const LETTER_MAX = 4;
const LETTER_ONE = 0.15;
/** The share of instances that vary one or two hinted variables or the dtype; the others honour every hint. */
const VARIED_SHARE = 0.5;
/** The share of varied instances that vary the dtype of tensors whose hint names none. */
const VARIED_DTYPE_SHARE = 0.3;
/** How many times more often a mask is varied than another hinted variable: its shapes are many, and a mask check easy to leave incomplete. */
const MASK_WEIGHT = 3;
/** The dtypes they draw from: every one a condition may allow. */
const VARIED_DTYPES: readonly DType[] = ['float32', 'float16', 'int32', 'int64'];
/** How often an unhinted attribute whose default is absent (a Transpose's perm) is drawn absent. */
const ABSENT_SHARE = 0.2;

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
  /** Attribute values, drawn while the left side is built: a hint's value, a variant of it, or a fresh draw. */
  readonly attrs: Map<string, AttrValue>;
  /** The hinted variables this instance varies (empty for an instance that honours every hint). */
  readonly varied: ReadonlySet<string>;
  /** The dtype of tensors whose hint names none: float32, or any numeric dtype in a varying instance. */
  readonly dtype: DType;
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

/** Adds the letters (bare names) of `expr` to `out`. */
export function lettersOf(expr: Expr, out: Set<string>): void {
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

/** Whether a table is an additive mask (causal, with or without a window): its variants are masks too. */
function isMask(table: SampleTable | undefined): boolean {
  return table === 'causal' || table === 'sliding';
}

/**
 * An additive causal mask over the last two dims: 0 where query i sees key j (j <= i, and with a
 * window W > 0 also i - j < W), -1e9 elsewhere.
 */
function causalMask(shape: readonly number[], window = 0): NDArray {
  const cols = shape[shape.length - 1] ?? 1;
  const rows = shape[shape.length - 2] ?? 1;
  const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let k = 0; k < data.length; k++) {
    const j = k % cols;
    const i = Math.floor(k / cols) % rows;
    data[k] = j <= i && (window === 0 || i - j < window) ? 0 : -1e9;
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

/** `a` stored as `dtype` (tables are computed in float32; integer dtypes truncate). */
function toDtype(a: NDArray, dtype: DType): NDArray {
  return a.dtype === dtype ? a : ndarray(dtype, a.shape, a.data);
}

/** The data of a named table; one RoPE base per instance (log-uniform in 10..1e6), so that its cos and sin agree. */
function tableData(table: SampleTable, shape: readonly number[], instanceSeed: number): NDArray {
  if (table === 'causal') return causalMask(shape);
  // Windows of 1..S keys: S sees every key before it, the plain causal mask a windowed rule must also take.
  if (table === 'sliding') return causalMask(shape, 1 + Math.floor(rng(seedFor(instanceSeed, 'window'))() * (shape[shape.length - 1] ?? 1)));
  const base = 10 ** (1 + 5 * rng(seedFor(instanceSeed, 'rope base'))());
  return ropeTable(shape, base, table === 'rope_cos' ? 'cos' : 'sin');
}

export class Sampler {
  private readonly letterNames: string[];
  private readonly hints: Map<string, SampleHint>;
  /** Hinted variables to pick the varied ones from, masks several times over. */
  private readonly variableDraws: string[];
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
    this.variableDraws = [...this.hints].flatMap(([v, h]) => new Array<string>(h.kind === 'shape' && isMask(h.table) ? MASK_WEIGHT : 1).fill(v));
  }

  private int(lo: number, hi: number): number {
    return lo + Math.floor(this.random() * (hi - lo + 1));
  }

  private chance(p: number): boolean {
    return this.random() < p;
  }

  private readonly drawer: Draw = { int: (lo, hi) => this.int(lo, hi), chance: (p) => this.chance(p) };

  /** Instance number `attempt`; the same (seed, attempt) always gives the same instance. */
  draw(attempt: number): Instance {
    const seed = seedFor(this.seed, `instance ${attempt}`);
    this.random = rng(seed);
    const letters = new Map(this.letterNames.map((l) => [l, this.chance(LETTER_ONE) ? 1 : this.int(2, LETTER_MAX)]));
    const adversarial = this.chance(VARIED_SHARE);
    // One hinted variable at a time (two now and then), so each variant meets the condition alone.
    const varied = new Set(adversarial ? [...new Set(shuffled(this.drawer, this.variableDraws))].slice(0, this.chance(0.8) ? 1 : 2) : []);
    const dtype: DType = adversarial && this.chance(VARIED_DTYPE_SHARE) ? VARIED_DTYPES[this.int(0, VARIED_DTYPES.length - 1)]! : 'float32';
    const unhinted = { pool: [this.int(1, LETTER_MAX + 1), this.int(1, LETTER_MAX + 1)], rank: this.int(0, 4) };
    const tensors = new Map<string, TensorDraw>();
    for (const variable of this.tensors) tensors.set(variable, this.drawTensor(variable, { seed, letters, vary: varied.has(variable), dtype, unhinted }));
    return { seed, letters, tensors, attrs: new Map(), varied, dtype };
  }

  /** One tensor variable: from its hint (varied or not), or a random shape from the instance's pool. */
  private drawTensor(
    variable: string,
    c: { seed: number; letters: ReadonlyMap<string, number>; vary: boolean; dtype: DType; unhinted: { pool: number[]; rank: number } },
  ): TensorDraw {
    const hint = this.hints.get(variable);
    if (hint?.kind === 'value') return this.pinnedScalar(evaluate(hint.value, NO_ENV, c.letters) as number, c.dtype, c.vary);
    let constant = this.random() < 0.5;
    if (hint?.kind !== 'shape') {
      // Most variables share the instance's rank, so that ops over several of them often build.
      const rank = this.random() < 0.7 ? c.unhinted.rank : this.int(0, 4);
      const shape = Array.from({ length: rank }, () => c.unhinted.pool[this.int(0, 1)]!);
      const type = { dtype: c.dtype, shape };
      return { type, constant, data: this.data(type, [-1, 1], undefined, seedFor(c.seed, variable), c.seed) };
    }
    let shape = hint.dims.map((d) => evaluate(d, NO_ENV, c.letters) as number);
    if (c.vary) shape = isMask(hint.table) ? maskShapeVariant(this.drawer, shape, this.int(2, 3)) : shapeVariant(this.drawer, shape, this.int(1, LETTER_MAX + 1));
    constant = (hint.constant && !(c.vary && this.chance(0.5))) || constant;
    const type = { dtype: hint.dtype ?? c.dtype, shape };
    // A varied mask is all zeros now and then: no mask at all, whatever its shape.
    const table = isMask(hint.table) && c.vary && this.chance(0.3) ? undefined : hint.table;
    const range = isMask(hint.table) && !table ? ([0, 0] as const) : (hint.range ?? [-1, 1]);
    return { type, constant, data: this.data(type, range, table, seedFor(c.seed, variable), c.seed) };
  }

  /** A hinted scalar constant; varied, one element of another rank, and now and then another value. */
  private pinnedScalar(value: number, dtype: DType, vary: boolean): TensorDraw {
    const shape = vary ? new Array<number>(this.int(0, 3)).fill(1) : [];
    const v = vary && this.chance(0.3) ? value + 1 : value;
    return { type: { dtype, shape }, constant: true, data: ndarray(dtype, shape, [v]) };
  }

  private data(type: TensorType, range: readonly [number, number], table: SampleTable | undefined, dataSeed: number, instanceSeed: number): NDArray {
    const shape = type.shape as number[];
    if (table) return toDtype(tableData(table, shape, instanceSeed), type.dtype);
    if (type.dtype === 'bool') return randomArray('bool', shape, dataSeed);
    const raw = randomArray(type.dtype, shape, dataSeed, { intRange: [Math.ceil(range[0]), Math.floor(range[1]) + 1] });
    return type.dtype === 'float32' || type.dtype === 'float16' ? scaled(raw, range[0], range[1]) : raw;
  }

  /**
   * A value for attribute variable `variable` first met at `site`: its hint, or a draw that fits
   * the attribute's kind and the op's inputs (a permutation of the input's axes for perm, an axis
   * of the input for axis, a small variation of the default otherwise). Undefined when no draw is
   * possible (a sizes list such as Split's split): such a rule needs a hint.
   */
  drawAttr(instance: Instance, variable: string, site: AttrDrawSite): AttrValue | undefined {
    if (instance.attrs.has(variable)) return instance.attrs.get(variable);
    const value = this.pinnedAttr(instance, variable, site) ?? this.freshAttr(site);
    if (value !== undefined) instance.attrs.set(variable, value);
    return value;
  }

  /** The hint's value of attribute variable `variable`, or a variant of it in an instance that varies it. */
  private pinnedAttr(instance: Instance, variable: string, site: AttrDrawSite): AttrValue | undefined {
    const hint = this.hints.get(variable);
    if (hint?.kind !== 'value') return undefined;
    const v = evaluate(hint.value, NO_ENV, instance.letters);
    const value = v === SKIP ? SKIP : toAttr(v);
    if (value === SKIP) return undefined;
    return instance.varied.has(variable) ? attrVariant(this.drawer, site.op, site.attr, value, site.inputs[0]?.shape) : value;
  }

  private freshAttr(site: AttrDrawSite): AttrValue | undefined {
    const spec = getOp(site.op).attributes[site.attr];
    if (!spec) return undefined;
    if (spec.default === null && this.chance(ABSENT_SHARE)) return null;
    return this.attrFor(site, spec);
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
    if (site.attr === 'perm') return shuffled(this.drawer, axes);
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
