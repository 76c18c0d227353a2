/**
 * Shape arithmetic with symbolic dimensions. A symbolic dim is a product of named factors written
 * canonically (`"batch*seq"`, factors sorted), optionally times an integer (`"2*batch"`), so that
 * reshapes of symbolic tensors can merge and split dimensions exactly.
 */
import { ShapeError } from '../errors.js';
import { DTYPES } from './types.js';
import type { Dim, DType, Shape, TensorType } from './types.js';

function isStaticShape(shape: Shape): shape is readonly number[] {
  return shape.every((d) => typeof d === 'number');
}

export function formatShape(shape: Shape): string {
  return `[${shape.join(', ')}]`;
}

export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** A dim as an integer coefficient times a sorted list of symbol names. */
interface Monomial {
  coef: number;
  symbols: string[];
}

function toMonomial(d: Dim): Monomial {
  if (typeof d === 'number') return { coef: d, symbols: [] };
  let coef = 1;
  const symbols: string[] = [];
  for (const factor of d.split('*')) {
    const f = factor.trim();
    if (/^\d+$/.test(f)) coef *= Number(f);
    else symbols.push(f);
  }
  symbols.sort();
  return { coef, symbols };
}

function fromMonomial(m: Monomial): Dim {
  if (m.symbols.length === 0 || m.coef === 0) return m.coef;
  return m.coef === 1 ? m.symbols.join('*') : `${m.coef}*${m.symbols.join('*')}`;
}

/** The symbol names a shape's dims mention (`["batch", "seq"]` for `["batch*seq", 4]`). */
export function shapeSymbols(shape: Shape): string[] {
  return shape.flatMap((d) => toMonomial(d).symbols);
}

/** Canonical form of a dim (`"seq*batch"` becomes `"batch*seq"`). */
function normalizeDim(d: Dim): Dim {
  return typeof d === 'number' ? d : fromMonomial(toMonomial(d));
}

/** The product of dims; symbolic when any factor is. */
export function mulDims(dims: readonly Dim[]): Dim {
  const out: Monomial = { coef: 1, symbols: [] };
  for (const d of dims) {
    const m = toMonomial(d);
    out.coef *= m.coef;
    out.symbols.push(...m.symbols);
  }
  out.symbols.sort();
  return fromMonomial(out);
}

/** a / b when it divides exactly (symbol by symbol), else undefined. */
export function divDims(a: Dim, b: Dim): Dim | undefined {
  const ma = toMonomial(a);
  const mb = toMonomial(b);
  if (mb.coef === 0 || ma.coef % mb.coef !== 0) return undefined;
  const rest = [...ma.symbols];
  for (const s of mb.symbols) {
    const i = rest.indexOf(s);
    if (i < 0) return undefined;
    rest.splice(i, 1);
  }
  return fromMonomial({ coef: ma.coef / mb.coef, symbols: rest });
}

/** Number of elements as a number; symbolic dims count as `symbolValue`, or what it gives each symbol (estimates only). */
export function numelEstimate(shape: Shape, symbolValue: number | ((symbol: string) => number) = 1): number {
  const sizeOf = typeof symbolValue === 'number' ? () => symbolValue : symbolValue;
  let n = 1;
  for (const d of shape) {
    if (typeof d === 'number') n *= d;
    else {
      const m = toMonomial(d);
      n *= m.symbols.reduce((k, s) => k * sizeOf(s), m.coef);
    }
  }
  return n;
}

export function numel(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/**
 * Bytes per element as stored on a device (float16 counts 2 even though we compute in float32).
 * A string counts as a pointer, the most a runtime moves for it without reading the characters.
 */
export function dtypeBytes(dtype: DType): number {
  switch (dtype) {
    case 'int8':
    case 'uint8':
    case 'bool':
      return 1;
    case 'float16':
    case 'bfloat16':
    case 'int16':
    case 'uint16':
      return 2;
    case 'float32':
    case 'int32':
    case 'uint32':
      return 4;
    case 'float64':
    case 'int64':
    case 'uint64':
    case 'string':
      return 8;
  }
}

/** The float types the registry's float kernels and fused ops take (float32, float16); see isFloating for any float. */
export function isFloat(dtype: DType): boolean {
  return dtype === 'float32' || dtype === 'float16';
}

/** Any floating-point type, float64 and bfloat16 included: values that are not truncated to integers. */
export function isFloating(dtype: DType): boolean {
  return isFloat(dtype) || dtype === 'float64' || dtype === 'bfloat16';
}

/** Whether the reference interpreter computes on `dtype`: every type but strings, which it only carries. */
export function isComputed(dtype: DType): boolean {
  return dtype !== 'string';
}

/** Normalizes a possibly negative axis against a rank; throws ShapeError when out of range. */
export function normalizeAxis(axis: number, rank: number, op: string): number {
  const a = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(a) || a < 0 || a >= rank) {
    throw new ShapeError(`${op}: axis ${axis} is out of range for rank ${rank}`, {
      where: op,
      hint: `use an axis in [${-rank}, ${rank - 1}]`,
    });
  }
  return a;
}

/** Numpy-style broadcast of several shapes; symbolic dims broadcast only against 1 or themselves. */
export function broadcastShapes(shapes: readonly Shape[], op: string): Dim[] {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  const out: Dim[] = new Array<Dim>(rank).fill(1);
  for (let i = 0; i < rank; i++) {
    let cur: Dim = 1;
    for (const s of shapes) {
      const d = s[s.length - rank + i];
      if (d === undefined || d === 1) continue;
      if (cur === 1) cur = d;
      else if (cur !== d) {
        throw new ShapeError(`${op}: shapes ${shapes.map(formatShape).join(' and ')} do not broadcast: dimension ${i - rank} is ${cur} in one and ${d} in another`, {
          where: op,
          hint: 'make the sizes equal, or 1 in one of the operands',
        });
      }
    }
    out[i] = cur;
  }
  return out;
}

/** Row-major strides of a static shape. */
export function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i]!;
  }
  return s;
}

/** Replaces every symbolic dim by its value from `bindings`; throws when one is unbound. */
export function bindShape(shape: Shape, bindings: ReadonlyMap<string, number>, where: string): number[] {
  return shape.map((d) => {
    if (typeof d === 'number') return d;
    const m = toMonomial(d);
    let v = m.coef;
    for (const s of m.symbols) {
      const b = bindings.get(s);
      if (b === undefined) {
        throw new ShapeError(`symbolic dimension "${s}" has no value`, {
          where,
          hint: `give an input whose shape binds "${s}", or fix the dimension to a number`,
        });
      }
      v *= b;
    }
    return v;
  });
}

/** Dims equal as canonical products (`"seq*batch"` equals `"batch*seq"`). */
export function sameDim(a: Dim, b: Dim): boolean {
  return normalizeDim(a) === normalizeDim(b);
}

/** Throws a ShapeError naming `op` and `input` unless `t` is float32 or float16. */
export function expectFloat(op: string, input: string, t: TensorType): void {
  if (!isFloat(t.dtype)) {
    throw new ShapeError(`${op}: input "${input}" must be float32 or float16, got ${t.dtype}`, {
      where: op,
      hint: `cast "${input}" to a float type first`,
    });
  }
}

/** Throws a ShapeError naming `op` unless `t` has exactly `shape`; `what` says where `shape` comes from. */
export function expectShape(op: string, input: string, t: TensorType, shape: Shape, what: string): void {
  if (t.shape.length !== shape.length || t.shape.some((d, i) => !sameDim(d, shape[i]!))) {
    throw new ShapeError(`${op}: input "${input}" has shape ${formatShape(t.shape)} but must be ${formatShape(shape)} (${what})`, {
      where: op,
      hint: `give "${input}" the shape ${formatShape(shape)}`,
    });
  }
}

/** The sum of dims when it has a closed form: all numbers, or multiples of one symbolic product (`seq + seq` is `2*seq`). */
export function addDims(dims: readonly Dim[]): Dim | undefined {
  let numeric = 0;
  let sum: Monomial | undefined;
  for (const d of dims) {
    const m = toMonomial(d);
    if (m.coef === 0) continue;
    if (m.symbols.length === 0) numeric += m.coef;
    else if (!sum) sum = m;
    else if (sum.symbols.join('*') === m.symbols.join('*')) sum = { coef: sum.coef + m.coef, symbols: sum.symbols };
    else return undefined;
  }
  if (!sum) return numeric;
  return numeric === 0 ? fromMonomial(sum) : undefined;
}

/** The shape as numbers; a ShapeError names `where` when a dim is still symbolic. */
export function staticShape(shape: Shape, where: string): number[] {
  if (!isStaticShape(shape)) {
    throw new ShapeError(`${where}: shape ${formatShape(shape)} has symbolic dimensions`, {
      where,
      hint: 'bind the symbolic dimensions to numbers before computing values',
    });
  }
  return [...shape];
}

export function isDType(v: unknown): v is DType {
  return typeof v === 'string' && (DTYPES as readonly string[]).includes(v);
}

export const FLOAT_DTYPES: readonly DType[] = ['float32', 'float16'];
export const INT_DTYPES: readonly DType[] = ['int64', 'int32'];
export const NUMERIC_DTYPES: readonly DType[] = [...FLOAT_DTYPES, ...INT_DTYPES];

/** Throws a ShapeError unless input `input` of `op` has one of the `allowed` dtypes. */
export function expectDtype(op: string, input: string, t: TensorType, allowed: readonly DType[]): void {
  if (!allowed.includes(t.dtype)) {
    throw new ShapeError(`${op}: input "${input}" has dtype ${t.dtype}, expected ${allowed.join(' or ')}`, {
      where: op,
      hint: `cast "${input}" to ${allowed[0]} first`,
    });
  }
}

/** The dtype shared by the named inputs of `op`; a ShapeError naming both dtypes when two differ. */
export function expectSameDtype(op: string, named: readonly (readonly [string, TensorType])[]): DType {
  const [firstName, first] = named[0]!;
  for (const [name, t] of named) {
    if (t.dtype !== first.dtype) {
      throw new ShapeError(`${op}: inputs "${firstName}" (${first.dtype}) and "${name}" (${t.dtype}) have different dtypes`, {
        where: op,
        hint: `cast "${name}" to ${first.dtype} (or "${firstName}" to ${t.dtype}) so both match`,
      });
    }
  }
  return first.dtype;
}

/** Normalizes several axes against `rank`; a ShapeError when one is out of range or repeats. */
export function normalizeAxes(axes: readonly number[], rank: number, op: string): number[] {
  const out = axes.map((a) => normalizeAxis(a, rank, op));
  if (new Set(out).size !== out.length) {
    throw new ShapeError(`${op}: axes [${axes.join(', ')}] name the same axis twice`, { where: op, hint: 'list each axis once' });
  }
  return out;
}
