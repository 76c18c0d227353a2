/**
 * The one entry point of extraction: pick, for every class the roots need, one node, so that the
 * chosen term is acyclic and cheap in DAG cost (each shared node paid once).
 */
import type { CostModel } from '../cost/cost-model.js';
import { EGraph } from '../egraph/egraph.js';
import type { TensorData } from '../tensor/analysis.js';
import { tensorNodeCost, tensorSharedCost } from '../tensor/cost.js';
import { TensorLanguage } from '../tensor/language.js';
import { ExtractionProblemError } from './errors.js';
import { extractDag } from './dag-greedy.js';
import { chosenNodes, problemFromEGraph } from './from-egraph.js';
import type { NodeCostFunction, SharedCostFunction } from './from-egraph.js';
import { extractIlp } from './ilp.js';
import type { ExtractionProblem } from './problem.js';
import type { ExtractorName, Selection } from './selection.js';
import { extractTree } from './tree-greedy.js';

export interface ExtractOptions {
  /**
   * - `tree`: egg's bottom-up greedy on tree cost (fastest; shared sub-terms counted per use);
   * - `dag`: greedy on DAG cost (the faster-greedy-dag idea; the default);
   * - `ilp`: integer programming with HiGHS, warm-started from both greedies, optimal when it
   *   finishes within `timeLimitMs`, otherwise the best selection found with its gap.
   */
  readonly extractor?: ExtractorName;
  /** ILP only: wall-clock budget in ms (default 10 000). Greedy extractors ignore it. */
  readonly timeLimitMs?: number;
}

/** Options for extracting straight from an e-graph. */
export interface EGraphExtractOptions extends ExtractOptions {
  /** Classes whose terms must be extracted. */
  readonly roots: readonly number[];
  /** A tensor cost model (the e-graph must speak the tensor language), or ... */
  readonly costModel?: CostModel;
  /** ... the cost of each node from its op, payload and child classes, for any language. */
  readonly nodeCost?: NodeCostFunction;
}

/** A selection over an e-graph: per canonical class id, the e-node chosen. */
export interface EGraphSelection extends Selection {
  readonly chosen: ReadonlyMap<number, number>;
}

/**
 * Extracts from a rebuilt e-graph: `extract(egraph, {roots, costModel, extractor, timeLimitMs})`.
 * The result also maps each needed class to its chosen e-node.
 */
export async function extract(egraph: EGraph<TensorData> | EGraph<unknown>, options: EGraphExtractOptions): Promise<EGraphSelection>;
/**
 * Extracts a selection from `problem`. Every result is complete for the roots, acyclic (whatever
 * cycles the e-graph has), and priced by `dagCost`; `checkSelection` has already passed on it.
 * Throws UnextractableError when a root has no acyclic term. An ILP time-out or HiGHS failure is not
 * an error: the best known selection comes back with `status` and `reason` saying why.
 */
export async function extract(problem: ExtractionProblem, options?: ExtractOptions): Promise<Selection>;
export async function extract(source: ExtractionProblem | EGraph<unknown>, options: ExtractOptions | EGraphExtractOptions = {}): Promise<Selection> {
  if (source instanceof EGraph) return extractFromEGraph(source, options as EGraphExtractOptions);
  return extractProblem(source, options);
}

async function extractFromEGraph(egraph: EGraph<unknown>, options: EGraphExtractOptions): Promise<EGraphSelection> {
  let nodeCost = options.nodeCost;
  let shared: SharedCostFunction | undefined;
  if (!nodeCost && options.costModel) {
    if (!(egraph.language instanceof TensorLanguage)) {
      throw new ExtractionProblemError(`a CostModel prices tensor ops, but this e-graph speaks the "${egraph.language.name}" language`, {
        hint: 'pass nodeCost: (op, payload, children) => number instead',
      });
    }
    nodeCost = tensorNodeCost(egraph as EGraph<TensorData>, egraph.language, options.costModel);
    shared = tensorSharedCost(egraph as EGraph<TensorData>, egraph.language, options.costModel);
  }
  if (!nodeCost) throw new ExtractionProblemError('extracting from an e-graph needs a costModel or a nodeCost function');
  const ep = problemFromEGraph(egraph, options.roots, nodeCost, shared);
  const selection = await extractProblem(ep.problem, options);
  return { ...selection, chosen: chosenNodes(ep, selection.choice) };
}

function extractProblem(problem: ExtractionProblem, options: ExtractOptions): Promise<Selection> | Selection {
  switch (options.extractor ?? 'dag') {
    case 'tree':
      return extractTree(problem);
    case 'dag':
      return extractDag(problem);
    case 'ilp':
      return extractIlp(problem, options.timeLimitMs === undefined ? {} : { timeLimitMs: options.timeLimitMs });
  }
}
