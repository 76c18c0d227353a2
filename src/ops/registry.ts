/**
 * The op registry: looks ops up by name, validates and fills their attributes, checks input arity,
 * and runs shape inference with errors that name the op and the layer.
 */
import { AttributeError, ShapeError } from '../errors.js';
import { ALL_OPS } from './catalog.js';
import type { AttrSpec, AttrValue, Attrs, OpDef, TensorType } from './types.js';

const REGISTRY: ReadonlyMap<string, OpDef> = new Map(ALL_OPS.map((op) => [op.name, op]));

export function hasOp(name: string): boolean {
  return REGISTRY.has(name);
}

/** The op named `name`; throws a ShapeError suggesting close names when it is unknown. */
export function getOp(name: string): OpDef {
  const op = REGISTRY.get(name);
  if (!op) {
    const near = [...REGISTRY.keys()].filter((k) => k.toLowerCase().startsWith(name.slice(0, 3).toLowerCase()));
    throw new ShapeError(`unknown op "${name}"`, {
      hint: near.length ? `did you mean ${near.join(', ')}?` : 'see opNames() for the ops netsat knows',
    });
  }
  return op;
}

export function opNames(): string[] {
  return [...REGISTRY.keys()];
}

function kindOk(spec: AttrSpec, v: AttrValue): boolean {
  switch (spec.kind) {
    case 'int':
      return typeof v === 'number' && Number.isInteger(v);
    case 'float':
      return typeof v === 'number' && Number.isFinite(v);
    case 'bool':
      return typeof v === 'boolean';
    case 'string':
    case 'dtype':
      return typeof v === 'string';
    case 'ints':
      return Array.isArray(v) && v.every((x) => typeof x === 'number' && Number.isInteger(x));
    case 'floats':
      return Array.isArray(v) && v.every((x) => typeof x === 'number');
  }
}

/**
 * The attributes of a call with defaults filled in, in the spec's key order. Unknown names, wrong
 * kinds, missing required values and failed checks are AttributeErrors naming the op and `where`.
 */
export function resolveAttrs(op: OpDef, given: Attrs = {}, where = op.name): Attrs {
  for (const key of Object.keys(given)) {
    if (!(key in op.attributes)) {
      const known = Object.keys(op.attributes);
      throw new AttributeError(`${op.name} has no attribute "${key}"`, {
        where,
        hint: known.length ? `its attributes are: ${known.join(', ')}` : `${op.name} takes no attributes`,
      });
    }
  }
  const out: Record<string, AttrValue> = {};
  for (const [key, spec] of Object.entries(op.attributes)) {
    const v = given[key] !== undefined ? given[key]! : spec.default;
    if (v === undefined) {
      throw new AttributeError(`${op.name} needs attribute "${key}" (${spec.kind})`, { where, hint: spec.doc });
    }
    if (v !== null) {
      if (!kindOk(spec, v)) {
        throw new AttributeError(`${op.name}.${key} must be ${spec.kind}, got ${JSON.stringify(v)}`, { where, hint: spec.doc });
      }
      if (spec.oneOf && !spec.oneOf.includes(v as string)) {
        throw new AttributeError(`${op.name}.${key} must be one of ${spec.oneOf.join(', ')}, got ${JSON.stringify(v)}`, { where });
      }
      const problem = spec.check?.(v);
      if (problem) throw new AttributeError(`${op.name}.${key}: ${problem}`, { where, hint: spec.doc });
    }
    out[key] = Array.isArray(v) ? Object.freeze([...v]) : v;
  }
  return Object.freeze(out);
}

/** Checks the count and presence of inputs against the op's input specs. */
function checkArity(op: OpDef, inputs: readonly (unknown | undefined)[], where = op.name): void {
  const specs = op.inputs;
  const last = specs[specs.length - 1];
  const fixed = last?.variadic ? specs.length - 1 : specs.length;
  if (last?.variadic) {
    const n = inputs.length - fixed;
    if (n < (last.minCount ?? 1)) {
      throw new ShapeError(`${op.name} needs at least ${last.minCount ?? 1} "${last.name}" inputs, got ${Math.max(n, 0)}`, { where });
    }
  } else if (inputs.length > specs.length) {
    throw new ShapeError(`${op.name} takes at most ${specs.length} inputs (${specs.map((s) => s.name).join(', ')}), got ${inputs.length}`, { where });
  }
  for (let i = 0; i < inputs.length || i < fixed; i++) {
    const spec = specs[Math.min(i, specs.length - 1)]!;
    if (inputs[i] === undefined && !spec.optional) {
      throw new ShapeError(`${op.name} is missing its required input "${spec.name}" (position ${i})`, { where });
    }
  }
}

/** Number of outputs of `op` under these attributes. */
export function outputCount(op: OpDef, attrs: Attrs): number {
  return op.outputCount ? op.outputCount(attrs) : op.outputs.length;
}

/** Arity check plus shape inference; ShapeErrors are re-thrown with `where` (the layer) attached. */
export function inferTypes(op: OpDef, inputs: readonly (TensorType | undefined)[], attrs: Attrs, where = op.name): TensorType[] {
  checkArity(op, inputs, where);
  try {
    return op.infer(inputs, attrs);
  } catch (e) {
    if (e instanceof ShapeError && e.where !== where) {
      throw new ShapeError(e.what, { where: `${where}: ${e.where ?? op.name}`, hint: e.hint });
    }
    throw e;
  }
}
