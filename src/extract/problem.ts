/**
 * The extraction problem: an e-graph flattened to integer ids and typed arrays, independent of where
 * it came from (the e-graph engine, an extraction-gym file, a test generator). Nodes and classes are
 * numbered densely from 0; children and class members are stored in CSR form.
 */
import { ExtractionProblemError } from './errors.js';

export interface ExtractionProblem {
  readonly classCount: number;
  readonly nodeCount: number;
  /** The class each node belongs to. */
  readonly nodeClass: Int32Array;
  /** Each node's own cost, finite and non-negative. */
  readonly nodeCost: Float64Array;
  /** Children of node n are the classes `childClass[childStart[n] .. childStart[n+1])`, in order. */
  readonly childStart: Int32Array;
  readonly childClass: Int32Array;
  /** Nodes of class c are `classNodes[classStart[c] .. classStart[c+1])`, ascending. */
  readonly classStart: Int32Array;
  readonly classNodes: Int32Array;
  /** Classes whose terms must be extracted. */
  readonly roots: Int32Array;
  /** Optional names, used only in error messages and reports. */
  readonly nodeNames?: readonly string[];
  readonly classNames?: readonly string[];
}

/** What an adapter supplies; class membership lists are derived. */
export interface ProblemSpec {
  readonly classCount: number;
  readonly nodeClass: ArrayLike<number>;
  readonly nodeCost: ArrayLike<number>;
  readonly childStart: ArrayLike<number>;
  readonly childClass: ArrayLike<number>;
  readonly roots: ArrayLike<number>;
  readonly nodeNames?: readonly string[];
  readonly classNames?: readonly string[];
}

export function nodeLabel(p: Pick<ExtractionProblem, 'nodeNames'>, n: number): string {
  return p.nodeNames?.[n] !== undefined ? `node "${p.nodeNames[n]}"` : `node ${n}`;
}

export function classLabel(p: Pick<ExtractionProblem, 'classNames'>, c: number): string {
  return p.classNames?.[c] !== undefined ? `class "${p.classNames[c]}"` : `class ${c}`;
}

/** Validates a spec and builds the problem; every id out of range or bad cost is an ExtractionProblemError. */
export function createProblem(spec: ProblemSpec): ExtractionProblem {
  const nodeCount = spec.nodeClass.length;
  const classCount = spec.classCount;
  const named = { nodeNames: spec.nodeNames, classNames: spec.classNames };
  if (spec.nodeCost.length !== nodeCount || spec.childStart.length !== nodeCount + 1) {
    throw new ExtractionProblemError(`array lengths disagree: ${nodeCount} nodes, ${spec.nodeCost.length} costs, ${spec.childStart.length} child offsets`, {
      hint: 'nodeCost needs one entry per node and childStart one more than the node count',
    });
  }
  const nodeClass = Int32Array.from(spec.nodeClass);
  const nodeCost = Float64Array.from(spec.nodeCost);
  const childStart = Int32Array.from(spec.childStart);
  const childClass = Int32Array.from(spec.childClass);
  const inRange = (c: number) => Number.isInteger(c) && c >= 0 && c < classCount;
  if (childStart[0] !== 0 || childStart[nodeCount] !== childClass.length) {
    throw new ExtractionProblemError('childStart must start at 0 and end at childClass.length');
  }
  const classSize = new Int32Array(classCount);
  for (let n = 0; n < nodeCount; n++) {
    const where = nodeLabel(named, n);
    if (!inRange(spec.nodeClass[n]!)) {
      throw new ExtractionProblemError(`class id ${spec.nodeClass[n]} out of range 0..${classCount - 1}`, { where });
    }
    const cost = spec.nodeCost[n]!;
    if (!Number.isFinite(cost) || cost < 0) {
      throw new ExtractionProblemError(`cost ${cost} is not a finite non-negative number`, {
        where,
        hint: 'extractors sum costs; give unavailable nodes a large finite cost or leave them out',
      });
    }
    if (childStart[n + 1]! < childStart[n]!) throw new ExtractionProblemError('childStart is not ascending', { where });
    for (let k = childStart[n]!; k < childStart[n + 1]!; k++) {
      if (!inRange(spec.childClass[k]!)) {
        throw new ExtractionProblemError(`child class id ${spec.childClass[k]} out of range 0..${classCount - 1}`, { where });
      }
    }
    classSize[nodeClass[n]!]++;
  }
  const classStart = new Int32Array(classCount + 1);
  for (let c = 0; c < classCount; c++) {
    if (classSize[c] === 0) {
      throw new ExtractionProblemError(`${classLabel(named, c)} has no node`, { hint: 'every class needs at least one node; renumber classes densely' });
    }
    classStart[c + 1] = classStart[c]! + classSize[c]!;
  }
  const classNodes = new Int32Array(nodeCount);
  const fill = classStart.slice(0, classCount);
  for (let n = 0; n < nodeCount; n++) classNodes[fill[nodeClass[n]!]!++] = n;
  const roots = Int32Array.from(spec.roots);
  for (const r of roots) {
    if (!inRange(r)) throw new ExtractionProblemError(`root class id ${r} out of range 0..${classCount - 1}`);
  }
  return {
    classCount,
    nodeCount,
    nodeClass,
    nodeCost,
    childStart,
    childClass,
    classStart,
    classNodes,
    roots,
    ...(spec.nodeNames ? { nodeNames: spec.nodeNames } : {}),
    ...(spec.classNames ? { classNames: spec.classNames } : {}),
  };
}
