/**
 * `astSize`: 1 per node, leaves included. Under tree extraction it minimises the size of the written
 * term (egg's AstSize); under DAG extraction, the number of distinct nodes.
 */
import type { CostModel } from './cost-model.js';

export const astSize: CostModel = {
  name: 'astSize',
  nodeCost: () => 1,
};
