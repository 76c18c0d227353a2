/**
 * Tree greedy (egg's bottom-up extractor): each class takes the node of least tree cost, where a
 * shared sub-term is paid once per use. Exact for tree cost; fast; blind to sharing.
 */
import { bottomUp } from './bottom-up.js';
import { finishSelection } from './finish.js';
import type { ExtractionProblem } from './problem.js';
import type { Selection } from './selection.js';

export function extractTree(p: ExtractionProblem): Selection {
  const start = performance.now();
  const { choice } = bottomUp(p, p.nodeCost);
  return finishSelection(
    p,
    choice,
    {
      extractor: 'tree',
      status: 'heuristic',
      lowerBound: null,
    },
    start,
  );
}
