/**
 * Optimal DAG-cost extraction by integer programming (HiGHS in wasm). The problem is first reduced
 * (see reduce.ts), the model (ilp-model.ts) starts with the cuts of all short cycles between
 * multi-node classes and is solved without further acyclicity; every cycle in any solution HiGHS finds
 * during a solve (not only the last) becomes a cut, and acyclic ones among them become incumbents.
 * The model is solved again until the answer is acyclic, the lower bound meets the best acyclic
 * selection, or time runs out. Each solve is warm-started from the best acyclic
 * selection known (the better of DAG and tree greedy at first; repaired ILP answers later), so the
 * result is never worse than either greedy, and a time-out returns that incumbent with its gap.
 * HiGHS in wasm cannot be interrupted from outside, so the remaining time is passed as its
 * `time_limit` option before every solve.
 */
import { repairChoice } from './acyclic-repair.js';
import { findChoiceCycles } from './choice-cycles.js';
import { extractDag } from './dag-greedy.js';
import { finishSelection } from './finish.js';
import { forcedReach, isMultiNode } from './forced-reach.js';
import { highsSolver } from './highs-solver.js';
import { buildIlpModel, choiceFromSolution, cycleCut, startVector } from './ilp-model.js';
import type { ExtractionProblem } from './problem.js';
import { expandChoice, reduceProblem } from './reduce.js';
import { shortCycles } from './short-cycles.js';
import { dagCost, pruneChoice, type Selection, type SelectionStatus } from './selection.js';
import { extractTree } from './tree-greedy.js';

export interface IlpOptions {
  /** Wall-clock budget for the whole extraction (reduction, model, every solve), in ms. Default 10 000. */
  readonly timeLimitMs?: number;
  /** Most cycle cuts added per solve. Default 256. */
  readonly cutsPerRound?: number;
  /** Cycles of up to this many multi-node classes get their cuts before the first solve. Default 3 (0 = none). */
  readonly presetCycleLength?: number;
}

/** At most this many cuts are added up front, so a dense cyclic e-graph cannot flood the model. */
const PRESET_CUT_LIMIT = 20_000;

/** Relative tolerance on "lower bound meets incumbent" and HiGHS's own gap target. */
const GAP_TOLERANCE = 1e-7;

interface Incumbent {
  choice: Int32Array;
  cost: number;
}

export async function extractIlp(p: ExtractionProblem, options: IlpOptions = {}): Promise<Selection> {
  const start = performance.now();
  const deadline = start + (options.timeLimitMs ?? 10_000);
  const cutsPerRound = options.cutsPerRound ?? 256;

  const greedy = [extractDag(p), extractTree(p)].reduce((a, b) => (b.cost < a.cost ? b : a));
  const reduced = reduceProblem(p);
  const r = reduced.problem;
  const warm = [extractDag(r), extractTree(r)].reduce((a, b) => (b.cost < a.cost ? b : a));
  let best: Incumbent = { choice: warm.choice, cost: warm.cost };
  let lowerBound = 0;
  let status: SelectionStatus = 'time-limit';
  let reason: string | undefined;
  let rounds = 0;
  let cuts = 0;
  const offer = (choice: Int32Array) => {
    const pruned = pruneChoice(r, choice);
    const cost = dagCost(r, pruned);
    if (cost < best.cost) best = { choice: pruned, cost };
  };
  const proven = () => best.cost - lowerBound <= GAP_TOLERANCE * Math.max(1, Math.abs(best.cost));

  const highs = await highsSolver();
  const model = buildIlpModel(r, highs.infinity);
  const reach = forcedReach(r);
  const solver = highs.createModel(model.data);
  // Cycles already cut, by their multi-node classes in order, so no cut is added twice.
  const cutKeys = new Set<string>();
  const addCut = (cycle: readonly number[]) => {
    const key = cycle.filter((c) => isMultiNode(r, c)).join(' ');
    if (cutKeys.has(key)) return;
    cutKeys.add(key);
    const cut = cycleCut(r, reach, cycle);
    solver.addRow(-highs.infinity, cut.upper, cut);
    cuts++;
  };
  try {
    solver.options.set({ output_flag: false, mip_rel_gap: GAP_TOLERANCE, mip_abs_gap: 0 });
    for (const cycle of shortCycles(r, reach, options.presetCycleLength ?? 3, PRESET_CUT_LIMIT)) addCut(cycle);
    while (!proven()) {
      const remaining = (deadline - performance.now()) / 1000;
      if (remaining <= 0) {
        reason = `time limit reached after ${rounds} solves and ${cuts} cycle cuts`;
        break;
      }
      solver.zeroAllClocks();
      solver.options.set('time_limit', remaining);
      solver.setSolution({ colValue: startVector(model, best.choice) });
      // Cycles of every solution seen in this solve; cuts can only be added once it has ended.
      const found: number[][] = [];
      const harvest = (colValue: Float64Array) => {
        const choice = choiceFromSolution(r, colValue);
        const cycles = findChoiceCycles(r, choice, cutsPerRound - found.length);
        if (cycles.length === 0) offer(choice);
        found.push(...cycles);
      };
      const { modelStatus } = solver.run({
        [highs.constants.callbackType.mipSolution]: (event) => {
          if (event.data.mip_solution && found.length < cutsPerRound) harvest(event.data.mip_solution);
        },
      });
      rounds++;
      const codes = highs.constants.modelStatus;
      if (modelStatus === codes.optimal) lowerBound = Math.max(lowerBound, solver.getObjectiveValue());
      else {
        const bound = Number(solver.info.get('mip_dual_bound'));
        if (Number.isFinite(bound)) lowerBound = Math.max(lowerBound, bound);
      }
      const hasSolution = Number(solver.info.get('primal_solution_status')) === highs.constants.solutionStatus.feasible;
      let cyclic = false;
      if (hasSolution) {
        const colValue = solver.getSolution().colValue;
        cyclic = findChoiceCycles(r, choiceFromSolution(r, colValue), 1).length > 0;
        if (cyclic && found.length < cutsPerRound) harvest(colValue);
        offer(repairChoice(r, choiceFromSolution(r, colValue)));
      }
      for (const cycle of found) addCut(cycle);
      if (modelStatus === codes.optimal && !cyclic) {
        lowerBound = Math.max(lowerBound, best.cost);
        break;
      }
      if (modelStatus === codes.timeLimit) {
        reason = `time limit reached after ${rounds} solves and ${cuts} cycle cuts`;
        break;
      }
      if (modelStatus !== codes.optimal) {
        status = 'solver-failed';
        reason = `HiGHS stopped with model status ${modelStatus} (see highs.constants.modelStatus) after ${rounds} solves`;
        break;
      }
    }
    if (proven()) {
      status = 'optimal';
      reason = undefined;
    }
  } catch (e) {
    status = 'solver-failed';
    reason = `HiGHS failed: ${(e as Error).message}`;
  } finally {
    solver.dispose();
  }

  // The greedy on the unreduced problem may, rarely, beat everything found on the reduced one.
  const useGreedy = greedy.cost < best.cost;
  const choice = useGreedy ? greedy.choice : expandChoice(p, reduced, best.choice);
  return finishSelection(
    p,
    choice,
    { extractor: 'ilp', status, lowerBound: status === 'solver-failed' && lowerBound === 0 ? null : lowerBound, ...(reason ? { reason } : {}) },
    start,
  );
}
