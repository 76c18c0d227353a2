/** Every TypeScript applier a rule may name with `=> apply <name>`. Adding one: a file here and a line below. */
import type { Applier } from '../builder.js';
import { foldConvBatchNorm } from './fold-conv-batchnorm.js';

export const APPLIERS: ReadonlyMap<string, Applier> = new Map([foldConvBatchNorm].map((a) => [a.name, a]));
