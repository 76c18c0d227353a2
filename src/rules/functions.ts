/**
 * The functions rule expressions may call. A `tensor` parameter takes a tensor variable and asks the
 * RuleEnv about it; a `value` parameter takes any expression's value. The checker reads the
 * parameter lists to refuse unknown functions and wrong arities at load time.
 */
import { isFloat } from '../ops/shape.js';
import type { DType, NDArray } from '../ops/types.js';
import { causalWindowFor, isCausalMaskFor, NOT_CAUSAL } from './causal-mask.js';
import type { RuleEnv } from './env.js';
import { shapeAfter } from './shape-functions.js';
import { dimValue, formatValue, RuleEvaluationError, SKIP, SymbolicDim } from './value.js';
import type { Outcome, Value } from './value.js';

export type ParamKind = 'tensor' | 'value';

export interface RuleFunction {
  readonly params: readonly ParamKind[];
  readonly doc: string;
  /** `args` holds variable names for tensor parameters, values (never SKIP) for value parameters. */
  evaluate(args: readonly (string | Value)[], env: RuleEnv): Outcome;
}

function num(fn: string, v: Value): number | typeof SKIP {
  if (v instanceof SymbolicDim) return SKIP;
  if (typeof v !== 'number') throw new RuleEvaluationError(`${fn}: expected a number, got ${formatValue(v)}`, { where: fn });
  return v;
}

/** A list argument; SKIP for an absent attribute (null): a rule cannot tell what it would hold. */
function list(fn: string, v: Value): readonly Value[] | typeof SKIP {
  if (v === null) return SKIP;
  if (!Array.isArray(v)) throw new RuleEvaluationError(`${fn}: expected a list, got ${formatValue(v)}`, { where: fn });
  return v;
}

/** A function of one tensor's type; SKIP when the type is unknown. */
function ofType(doc: string, f: (shape: readonly Value[], dtype: string) => Outcome): RuleFunction {
  return {
    params: ['tensor'],
    doc,
    evaluate([v], env) {
      const t = env.type(v as string);
      return t ? f(t.shape.map(dimValue), t.dtype) : SKIP;
    },
  };
}

/** A numeric function of numbers; SKIP on symbolic input. */
function numeric(doc: string, arity: number, f: (...xs: number[]) => number): RuleFunction {
  return {
    params: new Array<ParamKind>(arity).fill('value'),
    doc,
    evaluate(args) {
      const xs: number[] = [];
      for (const a of args) {
        const n = num(doc, a as Value);
        if (n === SKIP) return SKIP;
        xs.push(n);
      }
      return f(...xs);
    },
  };
}

/** rope_base's answers by the cos and sin arrays they were read from. */
const ropeBases = new WeakMap<NDArray, { sin: NDArray; base: number | undefined }>();

/** Slack of a RoPE table entry: a few float32 roundings of its angle and of its value. */
const ROPE_TOLERANCE = 4 * 2 ** -23;
/** The base reported when the tables do not determine it (one position, or R = 2 where every angle is s). */
const DEFAULT_ROPE_BASE = 10_000;

/**
 * The base b > 1 of rotate-half RoPE tables [..., S, R] for positions 0..S-1 (every leading block the
 * same table): cos[s, i] = cos(s · b^(−2(i mod R/2)/R)) and sin likewise, each within float32 rounding
 * of its angle; undefined when they are not such tables. Feature 1 turns by θ = b^(−2/R) per position:
 * θ is read at the last position, unwrapped with the estimate from position 1, for S−1 times the precision.
 */
function ropeBase(cos: NDArray, sin: NDArray): number | undefined {
  const rank = cos.shape.length;
  if (rank < 2 || sin.shape.length !== rank || cos.shape.some((d, i) => d !== sin.shape[i])) return undefined;
  const positions = cos.shape[rank - 2]!;
  const width = cos.shape[rank - 1]!;
  if (width === 0 || width % 2 !== 0) return undefined;
  let base = DEFAULT_ROPE_BASE;
  if (positions > 1 && width >= 4) {
    const angle = (s: number) => Math.atan2(sin.data[s * width + 1]!, cos.data[s * width + 1]!);
    const last = positions - 1;
    const turns = Math.round((last * angle(1) - angle(last)) / (2 * Math.PI));
    base = ((angle(last) + 2 * Math.PI * turns) / last) ** (-width / 2);
  }
  if (!Number.isFinite(base) || base <= 1) return undefined;
  const half = width / 2;
  for (let k = 0; k < cos.data.length; k++) {
    const i = k % width;
    const angle = (Math.floor(k / width) % positions) * base ** ((-2 * (i % half)) / width);
    const slack = ROPE_TOLERANCE * (1 + angle);
    if (Math.abs(cos.data[k]! - Math.cos(angle)) > slack || Math.abs(sin.data[k]! - Math.sin(angle)) > slack) return undefined;
  }
  return base;
}

export const RULE_FUNCTIONS: Readonly<Record<string, RuleFunction>> = {
  rank: ofType('rank(?x): the number of dims', (shape) => shape.length),
  dim: {
    params: ['tensor', 'value'],
    doc: 'dim(?x, i): dim i of ?x, counting from the end when i < 0',
    evaluate([v, i], env) {
      const t = env.type(v as string);
      const at = num('dim', i as Value);
      if (!t || at === SKIP) return SKIP;
      const k = at < 0 ? at + t.shape.length : at;
      return k >= 0 && k < t.shape.length ? dimValue(t.shape[k]!) : SKIP;
    },
  },
  numel: ofType('numel(?x): the number of elements', (shape) => (shape.every((d) => typeof d === 'number') ? shape.reduce<number>((a, d) => a * (d as number), 1) : SKIP)),
  shape: ofType('shape(?x): the dims as a list', (shape) => shape),
  dtype: ofType('dtype(?x): the dtype, compared with bare names (float32)', (_, dtype) => dtype),
  is_scalar: ofType('is_scalar(?x): rank 0', (shape) => shape.length === 0),
  is_float: ofType('is_float(?x): a floating-point dtype (float32 or float16), as fused kernels require', (_, dtype) => isFloat(dtype as DType)),
  same_shape: {
    params: ['tensor', 'tensor'],
    doc: 'same_shape(?a, ?b): equal shapes',
    evaluate([a, b], env) {
      const ta = env.type(a as string);
      const tb = env.type(b as string);
      if (!ta || !tb) return SKIP;
      if (ta.shape.length !== tb.shape.length) return false;
      if (ta.shape.some((d, i) => typeof d === 'number' && typeof tb.shape[i] === 'number' && d !== tb.shape[i])) return false;
      return ta.shape.every((d, i) => d === tb.shape[i]) ? true : SKIP;
    },
  },
  broadcasts_to: {
    params: ['tensor', 'tensor'],
    doc: 'broadcasts_to(?a, ?b): ?a broadcasts to the shape of ?b without growing it (dims equal or 1, aligned at the right)',
    evaluate([a, b], env) {
      const ta = env.type(a as string);
      const tb = env.type(b as string);
      if (!ta || !tb) return SKIP;
      if (ta.shape.length > tb.shape.length) return false;
      const offset = tb.shape.length - ta.shape.length;
      let unknown = false;
      for (let i = 0; i < ta.shape.length; i++) {
        const d = ta.shape[i]!;
        const e = tb.shape[i + offset]!;
        if (d === 1 || d === e) continue;
        if (typeof d === 'string' || typeof e === 'string') unknown = true;
        else return false;
      }
      return unknown ? SKIP : true;
    },
  },
  is_const: {
    params: ['tensor'],
    doc: 'is_const(?x): ?x is a constant (weight or literal)',
    evaluate: ([v], env) => env.isConstant(v as string) ?? SKIP,
  },
  value: {
    params: ['tensor'],
    doc: 'value(?x): the value of a one-element constant',
    evaluate: ([v], env) => env.constValue(v as string) ?? SKIP,
  },
  is_causal_mask: {
    params: ['tensor', 'value'],
    doc: 'is_causal_mask(?m, scores): ?m is a constant additive causal mask for scores of that shape [..., S, S]: it broadcasts to them without growing them, and is 0 on and below the diagonal, <= -1e4 above',
    evaluate([v, scores], env) {
      const data = env.constArray(v as string);
      if (data) return isCausalMaskFor(data, scores as Value);
      // A computed tensor is no constant mask (false); only a constant whose data is not kept is unknown.
      return env.isConstant(v as string) === false ? false : SKIP;
    },
  },
  causal_window: {
    params: ['tensor', 'value'],
    doc: 'causal_window(?m, scores): for a constant additive causal mask of scores [..., S, S] (broadcasting without growing them), 0 when query i sees every key j <= i, W in 1..S-1 when it sees only i - W < j <= i (a sliding window); -1 when ?m is no such mask',
    evaluate([v, scores], env) {
      const data = env.constArray(v as string);
      if (data) return causalWindowFor(data, scores as Value);
      return env.isConstant(v as string) === false ? NOT_CAUSAL : SKIP;
    },
  },
  reshaped: {
    params: ['value', 'value'],
    doc: 'reshaped(shape, target): the shape Reshape produces from an input of that shape (0 copies the dim at that index, -1 is inferred); false when it does not fit',
    evaluate: ([shape, target]) => shapeAfter('Reshape', shape as Value, target as Value),
  },
  expanded: {
    params: ['value', 'value'],
    doc: 'expanded(shape, target): the shape Expand produces from an input of that shape (both broadcast); false when they do not',
    evaluate: ([shape, target]) => shapeAfter('Expand', shape as Value, target as Value),
  },
  is_zero: {
    params: ['tensor'],
    doc: 'is_zero(?c): a constant whose every element is 0 (an all-zero mask the exporter adds when there is none)',
    evaluate([v], env) {
      const data = env.constArray(v as string);
      return data ? data.data.every((x) => x === 0) : SKIP;
    },
  },
  rope_base: {
    params: ['tensor', 'tensor'],
    doc: 'rope_base(?cos, ?sin): the base b of constant rotate-half RoPE tables [..., S, R] for positions 0..S-1; skip when they are not',
    evaluate([c, s], env) {
      const cos = env.constArray(c as string);
      const sin = env.constArray(s as string);
      if (!cos || !sin) return SKIP;
      // Every layer's attention matches on the same two tables, many times over in an e-graph.
      let known = ropeBases.get(cos);
      if (known?.sin !== sin) ropeBases.set(cos, (known = { sin, base: ropeBase(cos, sin) }));
      return known.base ?? SKIP;
    },
  },
  attr: {
    params: ['value'],
    doc: 'attr(?p): the value of attribute variable ?p (the same as writing ?p)',
    evaluate: ([v]) => v as Value,
  },
  len: {
    params: ['value'],
    doc: 'len(list)',
    evaluate([v]) {
      const items = list('len', v as Value);
      return items === SKIP ? SKIP : items.length;
    },
  },
  at: {
    params: ['value', 'value'],
    doc: 'at(list, i): item i, counting from the end when i < 0',
    evaluate([l, i]) {
      const items = list('at', l as Value);
      const at = num('at', i as Value);
      if (items === SKIP || at === SKIP) return SKIP;
      const k = at < 0 ? at + items.length : at;
      if (k < 0 || k >= items.length) return SKIP;
      return items[k]!;
    },
  },
  range: {
    params: ['value'],
    doc: 'range(n): [0 1 ... n-1]',
    evaluate([n]) {
      const count = num('range', n as Value);
      return count === SKIP ? SKIP : Array.from({ length: Math.max(0, count) }, (_, i) => i);
    },
  },
  compose: {
    params: ['value', 'value'],
    doc: 'compose(?p, ?q): the one perm equal to Transpose by ?p, then by ?q (item j is p[q[j]]); an absent perm reverses the axes',
    evaluate([p, q]) {
      const first = list('compose', p as Value);
      const second = list('compose', q as Value);
      if (first === SKIP && second === SKIP) return SKIP; // two reversals: the identity, of a rank not known here
      const n = first === SKIP ? (second as readonly Value[]).length : first.length;
      const reversed = Array.from({ length: n }, (_, i) => n - 1 - i);
      const outer = first === SKIP ? reversed : first;
      return (second === SKIP ? reversed : second).map((j) => {
        const k = num('compose', j);
        return k === SKIP || k < 0 || k >= outer.length ? -1 : outer[k]!;
      });
    },
  },
  contains: {
    params: ['value', 'value'],
    doc: 'contains(list, v)',
    evaluate([l, v]) {
      const items = list('contains', l as Value);
      return items === SKIP ? SKIP : items.includes(v as Value);
    },
  },
  drop: {
    params: ['value', 'value'],
    doc: "drop(list, n): the list without its first n items (a conv weight's dims after the output channels)",
    evaluate([l, n]) {
      const items = list('drop', l as Value);
      const k = num('drop', n as Value);
      return items === SKIP || k === SKIP ? SKIP : items.slice(Math.max(0, k));
    },
  },
  prod: {
    params: ['value'],
    doc: 'prod(list): the product of a list of numbers',
    evaluate([l]) {
      const items = list('prod', l as Value);
      if (items === SKIP) return SKIP;
      let p = 1;
      for (const x of items) {
        const n = num('prod', x);
        if (n === SKIP) return SKIP;
        p *= n;
      }
      return p;
    },
  },
  sqrt: numeric('sqrt(x)', 1, Math.sqrt),
  abs: numeric('abs(x)', 1, Math.abs),
  min: numeric('min(a, b)', 2, Math.min),
  max: numeric('max(a, b)', 2, Math.max),
};
