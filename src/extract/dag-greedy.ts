/**
 * DAG greedy (the faster-greedy-dag idea): the cost of a class is the set of classes below its chosen
 * node, each paid once, so shared sub-terms are counted once. A worklist re-evaluates a node whenever
 * one of its child classes improves; a node whose children already contain its own class would close a
 * cycle and is skipped. Sets are sorted class-id arrays with the cost each member was paid, so a
 * candidate is priced against the largest child set without copying it.
 */
import { repairChoice } from './acyclic-repair.js';
import { reuseSelected } from './reuse.js';
import { finishSelection } from './finish.js';
import { parentsOf } from './parents.js';
import type { ExtractionProblem } from './problem.js';
import type { Selection } from './selection.js';

interface CostSet {
  /** Member classes, ascending. */
  readonly ids: Int32Array;
  /** The cost each member contributed, parallel to `ids`. */
  readonly costs: Float64Array;
  readonly total: number;
}

function has(set: CostSet, c: number): boolean {
  const ids = set.ids;
  let lo = 0;
  let hi = ids.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = ids[mid]!;
    if (v === c) return true;
    if (v < c) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/** Improvements smaller than this relative amount are float noise and would only churn the worklist. */
const RELATIVE_EPSILON = 1e-12;

/** The greedy DAG choice per class (-1 where no acyclic term was found), before repair. */
export function dagGreedyChoice(p: ExtractionProblem): Int32Array {
  const { parentStart, parentNodes } = parentsOf(p);
  const sets: (CostSet | undefined)[] = new Array(p.classCount);
  const choice = new Int32Array(p.classCount).fill(-1);
  const stamp = new Int32Array(p.classCount);
  let generation = 0;
  const extraIds: number[] = [];
  const extraCosts: number[] = [];
  const childSets: CostSet[] = [];

  // FIFO worklist of nodes, each at most once at a time.
  const queue = new Int32Array(p.nodeCount + 1);
  const queued = new Uint8Array(p.nodeCount);
  let head = 0;
  let tail = 0;
  let length = 0;
  const enqueue = (n: number) => {
    if (queued[n]) return;
    queued[n] = 1;
    queue[tail] = n;
    tail = tail === p.nodeCount ? 0 : tail + 1;
    length++;
  };
  for (let n = 0; n < p.nodeCount; n++) if (p.childStart[n] === p.childStart[n + 1]) enqueue(n);

  while (length > 0) {
    const n = queue[head]!;
    head = head === p.nodeCount ? 0 : head + 1;
    length--;
    queued[n] = 0;
    const c = p.nodeClass[n]!;

    childSets.length = 0;
    let largest: CostSet | undefined;
    let usable = true;
    for (let k = p.childStart[n]!; k < p.childStart[n + 1]! && usable; k++) {
      const s = sets[p.childClass[k]!];
      if (s === undefined || has(s, c)) usable = false;
      else if (!childSets.includes(s)) {
        childSets.push(s);
        if (largest === undefined || s.ids.length > largest.ids.length) largest = s;
      }
    }
    if (!usable) continue;

    // Price the candidate: the largest child set as is, plus members of the others it lacks.
    generation++;
    extraIds.length = 0;
    extraCosts.length = 0;
    let cost = p.nodeCost[n]! + (largest?.total ?? 0);
    for (const s of childSets) {
      if (s === largest) continue;
      for (let i = 0; i < s.ids.length; i++) {
        const d = s.ids[i]!;
        if (stamp[d] === generation || has(largest!, d)) continue;
        stamp[d] = generation;
        extraIds.push(d);
        extraCosts.push(s.costs[i]!);
        cost += s.costs[i]!;
      }
    }
    const current = sets[c];
    if (current !== undefined && !(cost < current.total - RELATIVE_EPSILON * current.total)) continue;

    // Materialise: merge the largest set with the extras and the class itself.
    const order = extraIds.map((_, i) => i).sort((a, b) => extraIds[a]! - extraIds[b]!);
    const base = largest ?? { ids: new Int32Array(0), costs: new Float64Array(0), total: 0 };
    const size = base.ids.length + order.length + 1;
    const ids = new Int32Array(size);
    const costs = new Float64Array(size);
    let i = 0;
    let j = 0;
    let selfPlaced = false;
    for (let out = 0; out < size; out++) {
      const a = i < base.ids.length ? base.ids[i]! : Infinity;
      const b = j < order.length ? extraIds[order[j]!]! : Infinity;
      const next = Math.min(a, b);
      if (!selfPlaced && c < next) {
        ids[out] = c;
        costs[out] = p.nodeCost[n]!;
        selfPlaced = true;
      } else if (a < b) {
        ids[out] = a;
        costs[out] = base.costs[i++]!;
      } else {
        ids[out] = b;
        costs[out] = extraCosts[order[j++]!]!;
      }
    }
    sets[c] = { ids, costs, total: cost };
    choice[c] = n;
    for (let k = parentStart[c]!; k < parentStart[c + 1]!; k++) enqueue(parentNodes[k]!);
  }
  return choice;
}

export function extractDag(p: ExtractionProblem): Selection {
  const start = performance.now();
  // Stale child sets can leave the final choices cyclic or gappy in rare cases; repair keeps the rest.
  const choice = reuseSelected(p, repairChoice(p, dagGreedyChoice(p)));
  return finishSelection(p, choice, { extractor: 'dag', status: 'heuristic', lowerBound: null }, start);
}
