/**
 * `nodeCount`: 1 per node that computes something, 0 for nodes without inputs (graph inputs, weights,
 * constants). Under DAG extraction it minimises the number of kernels; for tests and generic e-graphs.
 */
import type { CostModel } from './cost-model.js';

export const nodeCount: CostModel = {
  name: 'nodeCount',
  nodeCost: (_op, _attrs, inputs) => (inputs.length === 0 ? 0 : 1),
};
