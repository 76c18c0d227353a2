/**
 * A network's tensor e-graph as the rule compiler sees it. lower/to-egraph builds one (and adds the
 * maps back to layers); tensor/ names only what it reads, so its arrows keep pointing down.
 */
import type { EGraph } from '../egraph/egraph.js';
import type { Tensor } from '../network/tensor.js';
import type { TensorData } from './analysis.js';
import type { TensorLanguage } from './language.js';

export interface TensorEGraph {
  egraph: EGraph<TensorData>;
  language: TensorLanguage;
  /** The class of every tensor of the live network (rule conditions read large constants through it). */
  classOf: Map<Tensor, number>;
}
