/**
 * The one entry point of extraction: pick, for every class the roots need, one node, so that the
 * chosen term is acyclic and cheap in DAG cost (each shared node paid once).
 */
import { extractDag } from './dag-greedy.js';
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

/**
 * Extracts a selection from `problem`. Every result is complete for the roots, acyclic (whatever
 * cycles the e-graph has), and priced by `dagCost`; `checkSelection` has already passed on it.
 * Throws UnextractableError when a root has no acyclic term. An ILP time-out or HiGHS failure is not
 * an error: the best known selection comes back with `status` and `reason` saying why.
 */
export async function extract(problem: ExtractionProblem, options: ExtractOptions = {}): Promise<Selection> {
  switch (options.extractor ?? 'dag') {
    case 'tree':
      return extractTree(problem);
    case 'dag':
      return extractDag(problem);
    case 'ilp':
      return extractIlp(problem, options.timeLimitMs === undefined ? {} : { timeLimitMs: options.timeLimitMs });
  }
}
