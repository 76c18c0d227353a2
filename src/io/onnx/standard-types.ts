/**
 * Output types of the default domain's ops, for nodes that become Opaque layers (an op the registry
 * does not model, or a form it refuses): ONNX's shape inference of each op, by family in the
 * types-*.ts files. Shapes that depend on data get fresh symbolic dims; a rule that cannot type an
 * output leaves it undefined, and the file's value_info must then say it.
 */
import type { TensorType } from '../../ops/types.js';
import type { Rule, StandardNode } from './type-rule.js';
import { ELEMENTWISE_RULES } from './types-elementwise.js';
import { GENERATOR_RULES } from './types-generators.js';
import { INDEX_RULES } from './types-index.js';
import { LINEAR_RULES } from './types-linear.js';
import { RECURRENT_RULES } from './types-recurrent.js';
import { REDUCE_RULES } from './types-reduce.js';
import { SHAPE_RULES } from './types-shape.js';
import { TEXT_RULES } from './types-text.js';
import { WINDOW_RULES } from './types-window.js';

// A Map, so an op named like an Object property (toString, constructor) finds no rule.
const RULES: ReadonlyMap<string, Rule> = new Map(
  Object.entries({
    ...ELEMENTWISE_RULES,
    ...REDUCE_RULES,
    ...SHAPE_RULES,
    ...INDEX_RULES,
    ...LINEAR_RULES,
    ...WINDOW_RULES,
    ...RECURRENT_RULES,
    ...GENERATOR_RULES,
    ...TEXT_RULES,
  }),
);

/** Output types of a default-domain node; undefined for another domain or an op without a rule. */
export function standardOutputTypes(domain: string, opType: string, node: StandardNode): (TensorType | undefined)[] | undefined {
  if (domain !== '' && domain !== 'ai.onnx') return undefined;
  return RULES.get(opType)?.(node).slice(0, node.outputs);
}
