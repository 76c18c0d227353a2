/**
 * TensorAnalysis: the e-class analysis of the tensor language. Each tensor class knows its type
 * (dtype and shape, symbolic dims included) by the registry's shape inference, and, when it is a
 * small constant or computed from small constants, its value, so rules can test `value(?c) == 2`.
 * A node whose inputs do not type-check is marked `invalid` (extraction must not pick it) instead
 * of crashing: a rule that fires on a layer of unknown or unsuitable shape only adds dead nodes.
 */
import type { Analysis, Merged } from '../egraph/analysis.js';
import type { EGraph } from '../egraph/egraph.js';
import { NetsatError } from '../errors.js';
import { dataIsExact } from '../ops/ndarray.js';
import { inferTypes } from '../ops/registry.js';
import { numel, sameShape } from '../ops/shape.js';
import type { Attrs, NDArray, TensorType } from '../ops/types.js';
import type { TensorLanguage } from './language.js';
import { SMALL_CONSTANT } from './language.js';

export type TensorData =
  | {
      readonly kind: 'tensor';
      readonly type: TensorType | undefined;
      /** The data of a small constant (or of a small tensor computed from small constants). */
      readonly value: NDArray | undefined;
      /**
       * The class holds a constant leaf (a weight or a literal), which `is_const` tests. Computed
       * tensors do not count, so a rule that builds Concat(w1, w2) cannot match its own output.
       */
      readonly constant: boolean;
      /** Computed from constants alone: folded before run time, so it costs nothing to run. */
      readonly foldable: boolean;
      /** No node of the class type-checks yet (a rule built something ill-typed). */
      readonly invalid: boolean;
    }
  | { readonly kind: 'attrs'; readonly attrs: Attrs }
  | { readonly kind: 'absent' };

const UNKNOWN: TensorData = { kind: 'tensor', type: undefined, value: undefined, constant: false, foldable: false, invalid: true };

/** Same dtype and shape (symbolic dims compared by name). */
export function sameType(a: TensorType, b: TensorType): boolean {
  return a.dtype === b.dtype && sameShape(a.shape, b.shape);
}

/**
 * Two classes of different types were merged. Rewrites check the type of what they build before
 * every union, and congruence only merges nodes of equal types, so this is a bug in netsat, never
 * bad input: it is a plain Error (the CLI's "internal error"), and any test that meets one fails.
 */
function typeConflict(what: string): Error {
  return new Error(`type conflict in the tensor e-graph: merged ${what}; a union skipped its type check`);
}

export class TensorAnalysis implements Analysis<TensorData> {
  constructor(readonly language: TensorLanguage) {}

  make(egraph: EGraph<TensorData>, node: number): TensorData {
    const L = this.language;
    const op = egraph.nodeOp(node);
    const payload = egraph.nodePayload(node);
    if (op === L.attrsOp) return { kind: 'attrs', attrs: L.attrRecords[payload]! };
    if (op === L.absentOp) return { kind: 'absent' };
    if (op === L.inputOp) return { kind: 'tensor', type: L.inputs[payload]!.type, value: undefined, constant: false, foldable: false, invalid: false };
    if (op === L.constOp) {
      const c = L.constants[payload]!;
      // Rules read values as numbers; a string's or a uint64's beyond 2^53 are not what its data say.
      const value = c.value && numel(c.value.shape) <= SMALL_CONSTANT && dataIsExact(c.value) ? c.value : undefined;
      return { kind: 'tensor', type: c.type, value, constant: true, foldable: true, invalid: false };
    }
    if (op === L.opaqueOp) return { kind: 'tensor', type: L.opaque[payload]!.type, value: undefined, constant: false, foldable: false, invalid: false };
    const def = L.opDef(op)!;
    const arity = egraph.nodeArity(node);
    let first = 0;
    let attrs: Attrs = {};
    if (L.hasAttrsChild(def)) {
      const a = egraph.data(egraph.nodeChild(node, 0));
      if (a.kind !== 'attrs') return UNKNOWN;
      attrs = a.attrs;
      first = 1;
    }
    const types: (TensorType | undefined)[] = [];
    const values: (NDArray | undefined)[] = [];
    let allValues = true;
    let foldable = true;
    for (let i = first; i < arity; i++) {
      const d = egraph.data(egraph.nodeChild(node, i));
      if (d.kind === 'absent') {
        types.push(undefined);
        values.push(undefined);
      } else if (d.kind === 'tensor' && d.type && !d.invalid) {
        types.push(d.type);
        values.push(d.value);
        if (!d.value) allValues = false;
        if (!d.foldable) foldable = false;
      } else return UNKNOWN;
    }
    try {
      const out = inferTypes(def, types, attrs);
      const type = out[payload];
      if (!type) return UNKNOWN;
      let value: NDArray | undefined;
      if (allValues && def.kernel && out.every((t) => t.shape.every((d) => typeof d === 'number')) && numel(type.shape as number[]) <= SMALL_CONSTANT) {
        value = def.kernel(values, { attrs, outputTypes: out })[payload];
      }
      return { kind: 'tensor', type, value, constant: false, foldable, invalid: false };
    } catch (e) {
      if (e instanceof NetsatError) return UNKNOWN;
      throw e;
    }
  }

  merge(a: TensorData, b: TensorData): Merged<TensorData> {
    if (a.kind !== 'tensor' || b.kind !== 'tensor') {
      if (a.kind !== b.kind) throw typeConflict(`a ${a.kind} class with a ${b.kind} class`);
      return { data: a, changedFirst: false, changedSecond: a !== b };
    }
    // Prefer a valid, typed datum; keep a known value from either side.
    const aOk = !a.invalid && a.type !== undefined;
    const bOk = !b.invalid && b.type !== undefined;
    if (aOk && bOk && !sameType(a.type!, b.type!)) {
      throw typeConflict(`${a.type!.dtype}[${a.type!.shape.join(',')}] with ${b.type!.dtype}[${b.type!.shape.join(',')}]`);
    }
    const base = aOk || !bOk ? a : b;
    const value = a.value ?? b.value;
    const constant = a.constant || b.constant;
    const foldable = a.foldable || b.foldable;
    const data = value === base.value && constant === base.constant && foldable === base.foldable ? base : { ...base, value, constant, foldable };
    return { data, changedFirst: data !== a, changedSecond: data !== b };
  }
}
