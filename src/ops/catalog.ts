/** Every op family, in one list. Adding an op: define it in its family file; nothing else changes. */
import { ELEMENTWISE_OPS } from './defs/elementwise.js';
import { LINEAR_OPS } from './defs/linear.js';
import { LAYOUT_OPS } from './defs/layout.js';
import { REDUCE_OPS } from './defs/reduce.js';
import { NORM_OPS } from './defs/norm.js';
import { CONV_OPS } from './defs/conv.js';
import { ATTENTION_OPS } from './defs/attention.js';
import { OPAQUE_OPS } from './defs/opaque.js';
import type { OpDef } from './types.js';

export const ALL_OPS: readonly OpDef[] = [...ELEMENTWISE_OPS, ...LINEAR_OPS, ...LAYOUT_OPS, ...REDUCE_OPS, ...NORM_OPS, ...CONV_OPS, ...ATTENTION_OPS, ...OPAQUE_OPS];
