/**
 * The MILP of DAG-cost extraction, as HiGHS model data. Columns: a binary x_n per node, then a binary
 * y_c per class of two or more nodes (a single-node class is collapsed: its node's x is its y).
 * Rows: y_c = sum of x_n over the class; x_n <= y_d for every distinct child class d of n. Roots have
 * y = 1 through their column's lower bound. Objective: sum of cost_n x_n, i.e. the DAG cost.
 * Acyclicity is not in the model; cycle cuts are added up front and lazily (see `cycleCut`).
 */
import type { ModelData } from 'highs';
import { isMultiNode, reaches, type ForcedReach } from './forced-reach.js';
import type { ExtractionProblem } from './problem.js';

export interface IlpModel {
  readonly data: ModelData;
  /** The column standing for "class c is used": its y, or its only node's x. */
  readonly classColumn: Int32Array;
}

export function buildIlpModel(p: ExtractionProblem, infinity: number): IlpModel {
  const classColumn = new Int32Array(p.classCount);
  let numCols = p.nodeCount;
  for (let c = 0; c < p.classCount; c++) {
    const size = p.classStart[c + 1]! - p.classStart[c]!;
    classColumn[c] = size === 1 ? p.classNodes[p.classStart[c]!]! : numCols++;
  }
  const starts: number[] = [0];
  const indices: number[] = [];
  const values: number[] = [];
  const rowLower: number[] = [];
  const rowUpper: number[] = [];
  const endRow = (lower: number, upper: number) => {
    starts.push(indices.length);
    rowLower.push(lower);
    rowUpper.push(upper);
  };
  for (let c = 0; c < p.classCount; c++) {
    if (classColumn[c]! < p.nodeCount) continue;
    for (let i = p.classStart[c]!; i < p.classStart[c + 1]!; i++) {
      indices.push(p.classNodes[i]!);
      values.push(1);
    }
    indices.push(classColumn[c]!);
    values.push(-1);
    endRow(0, 0);
  }
  const seen = new Int32Array(p.classCount).fill(-1);
  for (let n = 0; n < p.nodeCount; n++) {
    for (let k = p.childStart[n]!; k < p.childStart[n + 1]!; k++) {
      const d = p.childClass[k]!;
      if (seen[d] === n) continue;
      seen[d] = n;
      indices.push(n, classColumn[d]!);
      values.push(1, -1);
      endRow(-infinity, 0);
    }
  }
  const colCost = new Float64Array(numCols);
  colCost.set(p.nodeCost);
  const colLower = new Float64Array(numCols);
  for (const r of p.roots) colLower[classColumn[r]!] = 1;
  const data: ModelData = {
    numCols,
    numRows: rowLower.length,
    colCost,
    colLower,
    colUpper: new Float64Array(numCols).fill(1),
    rowLower: Float64Array.from(rowLower),
    rowUpper: Float64Array.from(rowUpper),
    matrix: {
      format: 'csr',
      numRows: rowLower.length,
      numCols,
      starts: Int32Array.from(starts),
      indices: Int32Array.from(indices),
      values: Float64Array.from(values),
    },
    integrality: new Int32Array(numCols).fill(1),
  };
  return { data, classColumn };
}

/**
 * The cut forbidding a class cycle c0 -> c1 -> ... -> c0, taken between its multi-node classes
 * M0 -> M1 -> ... -> M0 (single-node classes on it follow from the choices around them): of the nodes
 * of M_i whose forced reach contains M_(i+1), at most k-1 of the k classes may pick one. It forbids
 * every node combination and every single-node detour closing this cycle, not only the one found, and
 * leaving the forced classes out makes it tighter than a cut over all classes of the cycle.
 */
export function cycleCut(p: ExtractionProblem, reach: ForcedReach, cycle: readonly number[]): { indices: Int32Array; values: Float64Array; upper: number } {
  const multi = cycle.filter((c) => isMultiNode(p, c));
  const indices: number[] = [];
  multi.forEach((c, i) => {
    const next = multi[(i + 1) % multi.length]!;
    for (let j = p.classStart[c]!; j < p.classStart[c + 1]!; j++) {
      if (reaches(reach, p.classNodes[j]!, next)) indices.push(p.classNodes[j]!);
    }
  });
  return { indices: Int32Array.from(indices), values: new Float64Array(indices.length).fill(1), upper: multi.length - 1 };
}

/** A HiGHS start vector for an acyclic choice: x = 1 on chosen nodes, y = 1 on used classes. */
export function startVector(model: IlpModel, choice: Int32Array): Float64Array {
  const x = new Float64Array(model.data.numCols);
  choice.forEach((n, c) => {
    if (n >= 0) {
      x[n] = 1;
      x[model.classColumn[c]!] = 1;
    }
  });
  return x;
}

/** The choice a MIP solution encodes: per class, its node with x = 1 (or -1). */
export function choiceFromSolution(p: ExtractionProblem, colValue: Float64Array): Int32Array {
  const choice = new Int32Array(p.classCount).fill(-1);
  for (let n = 0; n < p.nodeCount; n++) {
    const c = p.nodeClass[n]!;
    if (colValue[n]! > 0.5 && choice[c]! < 0) choice[c] = n;
  }
  return choice;
}
