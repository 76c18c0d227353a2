/**
 * Reads the serialized e-graph JSON of extraction-gym (egraph-serialize format) into an
 * ExtractionProblem: `nodes` maps node ids to {op, children (node ids), eclass, cost = 1 by default};
 * a child stands for its node's whole class; `root_eclasses` names the classes to extract.
 * `class_data` and unknown keys are informational and ignored.
 */
import { readFileSync } from 'node:fs';
import { FormatError } from '../errors.js';
import { createProblem, type ExtractionProblem } from '../extract/problem.js';

/** Malformed extraction-gym JSON; `where` names the file and the node or key at fault. */
export class ExtractionGymFormatError extends FormatError {}

export interface ExtractionGymGraph {
  readonly problem: ExtractionProblem;
  /** The `op` label of each node, by problem node id. */
  readonly nodeOps: readonly string[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses the JSON text; `source` (a file name) goes into error locations. */
export function parseExtractionGym(text: string, source = '<json>'): ExtractionGymGraph {
  const fail = (what: string, where: string, hint?: string): never => {
    throw new ExtractionGymFormatError(what, { where: `${source}: ${where}`, ...(hint ? { hint } : {}) });
  };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return fail(`not valid JSON: ${(e as Error).message}`, 'top level');
  }
  if (!isObject(json)) return fail('the document is not a JSON object', 'top level');
  const nodes = json['nodes'];
  if (!isObject(nodes)) return fail('"nodes" is missing or not an object', 'top level', 'the format needs {"nodes": {id: {op, children, eclass, cost}}}');

  const nodeIds = Object.keys(nodes);
  const nodeIndex = new Map<string, number>();
  nodeIds.forEach((id, i) => nodeIndex.set(id, i));
  const classIndex = new Map<string, number>();
  const classNames: string[] = [];
  const nodeClass = new Int32Array(nodeIds.length);
  const nodeCost = new Float64Array(nodeIds.length);
  const nodeOps: string[] = [];
  const childNodes: string[][] = [];

  nodeIds.forEach((id, n) => {
    const where = `node "${id}"`;
    const node = nodes[id];
    if (!isObject(node)) return fail('the node is not an object', where);
    const { op, children = [], eclass, cost = 1 } = node;
    if (typeof op !== 'string') return fail('"op" is missing or not a string', where);
    if (typeof eclass !== 'string') return fail('"eclass" is missing or not a string', where, 'class ids are strings, e.g. "eclass": "12"');
    if (typeof cost !== 'number' || !Number.isFinite(cost) || cost < 0) {
      return fail(`"cost" must be a finite non-negative number, got ${JSON.stringify(cost)}`, where);
    }
    if (!Array.isArray(children) || !children.every((c) => typeof c === 'string')) {
      return fail('"children" must be an array of node id strings', where);
    }
    let c = classIndex.get(eclass);
    if (c === undefined) {
      c = classNames.length;
      classIndex.set(eclass, c);
      classNames.push(eclass);
    }
    nodeClass[n] = c;
    nodeCost[n] = cost;
    nodeOps.push(op);
    childNodes.push(children as string[]);
  });

  const childStart = new Int32Array(nodeIds.length + 1);
  const childClass: number[] = [];
  childNodes.forEach((children, n) => {
    for (const child of children) {
      const m = nodeIndex.get(child);
      if (m === undefined) {
        fail(`child "${child}" is not a node of this file`, `node "${nodeIds[n]}"`, 'children name node ids (keys of "nodes"), not class ids');
      }
      childClass.push(nodeClass[m!]!);
    }
    childStart[n + 1] = childClass.length;
  });

  const rootsJson = json['root_eclasses'] ?? [];
  if (!Array.isArray(rootsJson)) return fail('"root_eclasses" must be an array of class ids', 'root_eclasses');
  if (rootsJson.length === 0) return fail('"root_eclasses" is empty: nothing to extract', 'root_eclasses', 'list the class ids whose terms you want');
  const roots = rootsJson.map((r) => {
    const c = typeof r === 'string' ? classIndex.get(r) : undefined;
    return c ?? fail(`root ${JSON.stringify(r)} is not the eclass of any node`, 'root_eclasses', 'roots are class ids as they appear in the nodes\' "eclass" fields');
  });

  const problem = createProblem({
    classCount: classNames.length,
    nodeClass,
    nodeCost,
    childStart,
    childClass,
    roots,
    nodeNames: nodeIds,
    classNames,
  });
  return { problem, nodeOps };
}

/** Reads and parses an extraction-gym file. */
export function loadExtractionGym(path: string): ExtractionGymGraph {
  return parseExtractionGym(readFileSync(path, 'utf8'), path);
}
