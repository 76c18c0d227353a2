/**
 * Opaque: an op netsat does not model (an ONNX node outside the registry, say), kept so that it
 * can be written back exactly. Its attributes carry the original op and attributes as text and the
 * declared output types, which are all it infers; it has no kernel, so the interpreter cannot run it.
 */
import { ShapeError } from '../../errors.js';
import { costFacts } from '../cost.js';
import type { Attrs, OpDef, TensorType } from '../types.js';

function declaredTypes(attrs: Attrs): TensorType[] {
  return JSON.parse(attrs['outputTypes'] as string) as TensorType[];
}

function checkTypes(v: unknown): string | undefined {
  try {
    const types = JSON.parse(v as string) as unknown;
    const ok = Array.isArray(types) && types.every((t) => typeof t?.dtype === 'string' && Array.isArray(t?.shape));
    return ok ? undefined : 'must be a JSON array of {dtype, shape}';
  } catch {
    return 'must be JSON text';
  }
}

/** ONNX ops whose outputs differ from call to call: two of them on the same inputs are not equal. */
const NONDETERMINISTIC = new Set(['RandomNormal', 'RandomNormalLike', 'RandomUniform', 'RandomUniformLike', 'Multinomial', 'Bernoulli']);

/** Whether an Opaque layer with these attributes computes the same outputs from the same inputs. */
export function isDeterministicOpaque(attrs: Attrs): boolean {
  return !NONDETERMINISTIC.has(attrs['opType'] as string);
}

const OPAQUE: OpDef = {
  name: 'Opaque',
  doc: 'An op netsat does not model, kept as it was: outputs have the declared types, and rewrites treat it as a black box.',
  inputs: [{ name: 'inputs', variadic: true, optional: true, minCount: 0 }],
  outputs: ['output'],
  outputCount: (attrs) => declaredTypes(attrs).length,
  attributes: {
    domain: { kind: 'string', default: '', doc: 'the op set domain ("" is ONNX\'s default domain)' },
    opType: { kind: 'string', doc: 'the original op name' },
    attributes: { kind: 'string', default: '[]', doc: 'the original attributes as JSON text (for ONNX: AttributeProto in protobuf JSON)' },
    outputTypes: { kind: 'string', check: checkTypes, doc: "JSON array of the outputs' {dtype, shape}" },
    omittedOutputs: { kind: 'ints', default: [], doc: "the original op's output positions left out before its last present one (ONNX's '')" },
  },
  infer(_, attrs) {
    const types = declaredTypes(attrs);
    if (types.length === 0) throw new ShapeError(`Opaque ${attrs['opType'] as string} declares no outputs`, { where: 'Opaque' });
    return types;
  },
  // Unknown work: counted as moving its inputs and outputs once.
  cost: (inputs, outputs) => costFacts(0, inputs, outputs),
};

export const OPAQUE_OPS: OpDef[] = [OPAQUE];
