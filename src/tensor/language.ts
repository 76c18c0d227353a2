/**
 * The tensor language: the op registry as e-graph ops. An e-node is (op id, payload, children):
 * - a registry op: payload = which output of the op this node is (0 for single-output ops, so a
 *   SkipRMSNorm layer becomes two nodes, `SkipRMSNorm` and `SkipRMSNorm.1`); when the op has
 *   attributes, child 0 is an `Attrs` leaf holding them (interned), and the inputs follow, an
 *   absent optional input being the `Absent` leaf. Attributes as a child class let ordinary
 *   patterns bind them (`?attrs`) or require them (a ground leaf), with no change to the engine;
 * - `Input` leaves (payload: network input), `Const` leaves (payload: interned constant; small
 *   constants are interned by value, so equal scalars are one class), `Opaque` nodes for layers
 *   the language does not model (payload: that layer's output; never equal to anything else).
 */
import { UnknownOpError, ArityError } from '../egraph/errors.js';
import type { Language, ResolvedOp } from '../egraph/language.js';
import { ALL_OPS } from '../ops/catalog.js';
import { exactKey } from '../ops/ndarray.js';
import { numel } from '../ops/shape.js';
import type { Attrs, NDArray, OpDef, TensorType } from '../ops/types.js';

/** Constants with at most this many elements are interned by value and visible to rule conditions. */
export const SMALL_CONSTANT = 16;

export interface ConstantEntry {
  readonly type: TensorType;
  /** The data, when known. */
  readonly value: NDArray | undefined;
  /** The network tensor it came from (for lowering), if any. */
  readonly source: string | undefined;
}

export interface OpaqueEntry {
  /** Name of the layer the node stands for, and which of its outputs. */
  readonly layer: string;
  readonly output: number;
  readonly type: TensorType;
}

/** A value as a key; String(-0) is "0", but x / -0 is not x / 0. */
function valueKey(v: number): string {
  return Object.is(v, -0) ? '-0' : String(v);
}

export class TensorLanguage implements Language {
  readonly name = 'tensor';
  readonly ops: readonly OpDef[] = ALL_OPS;
  readonly attrsOp = ALL_OPS.length;
  readonly inputOp = ALL_OPS.length + 1;
  readonly constOp = ALL_OPS.length + 2;
  readonly absentOp = ALL_OPS.length + 3;
  readonly opaqueOp = ALL_OPS.length + 4;
  readonly #opIds = new Map<string, number>(ALL_OPS.map((op, i) => [op.name, i]));
  readonly #attrKeys = new Map<string, number>();
  readonly attrRecords: Attrs[] = [];
  readonly #constKeys = new Map<string, number>();
  readonly constants: ConstantEntry[] = [];
  readonly inputs: { name: string; type: TensorType }[] = [];
  readonly opaque: OpaqueEntry[] = [];

  /** Op id of a registry op name, or undefined. */
  opId(name: string): number | undefined {
    return this.#opIds.get(name);
  }

  /** The registry entry behind an op id, or undefined for the special leaves. */
  opDef(op: number): OpDef | undefined {
    return op < this.attrsOp ? this.ops[op] : undefined;
  }

  /** Whether nodes of this registry op carry an Attrs child (child 0). */
  hasAttrsChild(op: OpDef): boolean {
    return Object.keys(op.attributes).length > 0;
  }

  /** Interns an attribute record (already resolved: every key present, defaults filled). */
  internAttrs(attrs: Attrs): number {
    const key = JSON.stringify(attrs);
    let id = this.#attrKeys.get(key);
    if (id === undefined) {
      id = this.attrRecords.length;
      this.attrRecords.push(attrs);
      this.#attrKeys.set(key, id);
    }
    return id;
  }

  /**
   * Interns a constant. Small ones with data are keyed by value (two equal scalars are one node);
   * others by `source` (the network tensor), so distinct weights never merge.
   */
  internConstant(entry: ConstantEntry): number {
    const small = entry.value !== undefined && numel(entry.value.shape) <= SMALL_CONSTANT;
    const key = small
      ? `v:${entry.type.dtype}:${entry.value!.shape.join(',')}:${Array.from(entry.value!.data, valueKey).join(',')}:${exactKey(entry.value!)}`
      : `s:${entry.source ?? `#${this.constants.length}`}`;
    let id = this.#constKeys.get(key);
    if (id === undefined) {
      id = this.constants.length;
      this.constants.push(entry);
      this.#constKeys.set(key, id);
    }
    return id;
  }

  addInput(name: string, type: TensorType): number {
    this.inputs.push({ name, type });
    return this.inputs.length - 1;
  }

  addOpaque(entry: OpaqueEntry): number {
    this.opaque.push(entry);
    return this.opaque.length - 1;
  }

  /** Number of children a node of registry op `op` has for `inputs` inputs. */
  arityOf(op: OpDef, inputs: number): number {
    return inputs + (this.hasAttrsChild(op) ? 1 : 0);
  }

  resolve(symbol: string, arity: number, where?: string): ResolvedOp {
    const special = /^(Attrs|Input|Const|Opaque)#(\d+)$/.exec(symbol);
    if (special) {
      const op = { Attrs: this.attrsOp, Input: this.inputOp, Const: this.constOp, Opaque: this.opaqueOp }[special[1] as 'Attrs'];
      if (arity !== 0 && op !== this.opaqueOp) throw new ArityError(symbol, 0, arity, where);
      return { op, payload: Number(special[2]) };
    }
    if (symbol === 'Absent') {
      if (arity !== 0) throw new ArityError(symbol, 0, arity, where);
      return { op: this.absentOp, payload: 0 };
    }
    const m = /^([A-Za-z][A-Za-z0-9]*)(?:\.(\d+))?$/.exec(symbol);
    const id = m ? this.#opIds.get(m[1]!) : undefined;
    if (id === undefined) throw new UnknownOpError(symbol, where, 'tensor ops are registry op names, optionally with .k for output k');
    const def = this.ops[id]!;
    const fixed = def.inputs.filter((i) => !i.variadic).length;
    const variadic = def.inputs.some((i) => i.variadic);
    const extra = this.hasAttrsChild(def) ? 1 : 0;
    const required = def.inputs.filter((i) => !i.optional && !i.variadic).length + extra;
    if (variadic ? arity < required + 1 : arity !== fixed + extra) {
      throw new ArityError(symbol, variadic ? required + 1 : fixed + extra, arity, where);
    }
    return { op: id, payload: m![2] ? Number(m![2]) : 0 };
  }

  format(op: number, payload: number): string {
    if (op === this.attrsOp) return `Attrs#${payload}`;
    if (op === this.inputOp) return `Input#${payload}`;
    if (op === this.constOp) return `Const#${payload}`;
    if (op === this.absentOp) return 'Absent';
    if (op === this.opaqueOp) return `Opaque#${payload}`;
    const name = this.ops[op]?.name ?? `#${op}`;
    return payload ? `${name}.${payload}` : name;
  }
}
