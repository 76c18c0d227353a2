import type { Analysis } from './analysis.js';
import { buildClassIndex, type ClassIndex } from './class-index.js';
import { EGraphStateError } from './errors.js';
import { type BriefStep, Explainer, type Explanation } from './explain.js';
import { grown, trimmed } from './growable.js';
import { Hashcons, hashNode } from './hashcons.js';
import { checkInvariantsOf } from './invariants.js';
import type { Language } from './language.js';
import { NodeStore } from './node-store.js';
import { ParentLists } from './parent-lists.js';
import { rebuild } from './rebuild.js';
import { addTerm } from './term.js';
import { UnionFind } from './union-find.js';

export interface EGraphOptions<D> {
  /** An e-class analysis; without one, no analysis work is done. */
  readonly analysis?: Analysis<D>;
  /** Record why classes were merged, so `explainEquivalence` can answer. Off by default. */
  readonly explanations?: boolean;
}

/**
 * An e-graph over a `Language`, with optional analysis data `D` per e-class.
 *
 * Ids: every node added gets a fresh id which is also the id of the class it first lives in, so
 * node ids and class ids share one space; `find` maps any id to its class's canonical id.
 *
 * Deferred rebuilding: `add` and `union` keep the hash-cons usable for lookups but do not restore
 * congruence; they queue the nodes to repair. `rebuild()` drains that worklist. After `rebuild()`
 * (and until the next add or union) these invariants hold, and `checkInvariants()` verifies them:
 * - every live node's children are canonical class ids;
 * - the hash-cons holds exactly the live nodes, each under its current value, and no two live
 *   nodes are equal (each class's node list is deduplicated);
 * - congruence closure: two live nodes with equal op, payload and children are the same node, so
 *   equal terms have one class;
 * - analysis data of each class is the merge of `make` over its nodes (a fixpoint);
 * - the class index (class → nodes sorted by op, op → classes) is current, which searching and
 *   the extraction hooks below read.
 */
export class EGraph<D = undefined> {
  readonly language: Language;
  readonly analysis: Analysis<D> | undefined;
  /** @internal storage, read by rebuild, matching and the class index. */
  readonly store = new NodeStore();
  /** @internal */
  readonly unionFind = new UnionFind();
  /** @internal */
  readonly hashcons: Hashcons;
  /** @internal 1 for a node held by the hash-cons (the one representative of its value). */
  live = new Uint8Array(1024);
  /** @internal */
  readonly parents = new ParentLists();
  /** @internal nodes whose children may have stopped being canonical. */
  pending = new Int32Array(64);
  pendingCount = 0;
  /** @internal nodes whose analysis data must be recomputed, and merged classes to `modify`. */
  analysisPending: number[] = [];
  touched: number[] = [];
  /** @internal analysis data by class id (undefined without an analysis). */
  classData: (D | undefined)[] = [];
  /** @internal set by rebuild. */
  index: ClassIndex | undefined;
  /** @internal */
  readonly explainer: Explainer | undefined;
  /** Highest op id seen, for sizing the op index. */
  maxOp = -1;
  private classTotal = 0;
  /** Dead nodes (ids not in the hash-cons) at the last `dropDead`. */
  private deadAtLastDrop = 0;
  private scratch = new Int32Array(16);

  constructor(language: Language, options: EGraphOptions<D> = {}) {
    this.language = language;
    this.analysis = options.analysis;
    this.hashcons = new Hashcons(this.store);
    this.explainer = options.explanations ? new Explainer() : undefined;
  }

  /** Number of e-classes. */
  get classCount(): number {
    return this.classTotal;
  }

  /** Number of distinct e-nodes (after rebuild: the sum of class sizes; before: an upper bound). */
  get nodeCount(): number {
    return this.hashcons.size;
  }

  /** Whether no add or union happened since the last rebuild. */
  get isClean(): boolean {
    return this.index !== undefined;
  }

  /** The canonical id of the class holding `id`. */
  find(id: number): number {
    return this.unionFind.find(id);
  }

  /** Adds the node (op, payload, children) or finds it; returns its class (its term id when explaining). */
  add(op: number, payload = 0, children: ArrayLike<number> = []): number {
    const n = children.length;
    const buffer = new Int32Array(n);
    for (let i = 0; i < n; i++) buffer[i] = children[i]!;
    return this.addFrom(op, payload, buffer, 0, n);
  }

  /** `add` with the children read from `source[from .. from + arity)`, allocating nothing. */
  addFrom(op: number, payload: number, source: Int32Array, from: number, arity: number): number {
    if (arity > this.scratch.length) this.scratch = grown(this.scratch, arity);
    const canonical = this.scratch;
    const uf = this.unionFind;
    for (let i = 0; i < arity; i++) canonical[i] = uf.find(source[from + i]!);
    const hash = hashNode(op, payload, canonical, 0, arity);
    const existing = this.hashcons.lookup(op, payload, canonical, 0, arity, hash);
    if (this.explainer) return this.addExplained(op, payload, source, from, arity, existing, hash);
    if (existing !== -1) return uf.find(existing);
    return this.create(op, payload, canonical, arity, hash, true);
  }

  /** Adds an s-expression term such as `(+ x (* 2 y))`; returns its class. */
  addExpr(text: string): number {
    return addTerm(this, text);
  }

  /** The class of node (op, payload, children) if present, else -1. Does not add. */
  lookup(op: number, payload: number, children: ArrayLike<number>): number {
    const canonical = Int32Array.from(children, (c) => this.unionFind.find(c));
    const node = this.hashcons.lookup(op, payload, canonical, 0, canonical.length, hashNode(op, payload, canonical, 0, canonical.length));
    return node === -1 ? -1 : this.unionFind.find(node);
  }

  /**
   * Merges the classes of `a` and `b`; returns whether they were different. Congruence is restored
   * by the next `rebuild()`. `rule` names the reason and `matched` lists the terms the rule matched
   * (its left side, one term per part), both kept only when explanations are on.
   */
  union(a: number, b: number, rule?: string, matched?: readonly number[]): boolean {
    const uf = this.unionFind;
    let root = uf.find(a);
    let absorbed = uf.find(b);
    if (root === absorbed) return false;
    if (this.explainer) this.explainer.link(a, b, rule, matched);
    const parents = this.parents;
    if (parents.count[root]! < parents.count[absorbed]!) [root, absorbed] = [absorbed, root];
    uf.link(root, absorbed);
    this.classTotal--;
    this.index = undefined;
    // The absorbed class's parents now have a non-canonical child: queue them for repair.
    const needed = this.pendingCount + parents.count[absorbed]!;
    if (needed > this.pending.length) this.pending = grown(this.pending, needed);
    this.pendingCount = parents.copyInto(absorbed, this.pending, this.pendingCount);
    parents.splice(root, absorbed);
    if (this.analysis) this.mergeData(root, absorbed);
    return true;
  }

  /**
   * Restores the invariants listed on the class; returns the number of congruence unions it made.
   * Once more nodes have died as duplicates since the last such drop than are live, drops their
   * children and parent cells (amortised O(1) per node added).
   */
  rebuild(): number {
    const unions = rebuild(this);
    if (this.deadSinceDrop > this.hashcons.size) this.dropDead();
    return unions;
  }

  /**
   * Rebuilds, then frees what the e-graph holds beyond its live nodes: children of nodes dropped as
   * duplicates, parent cells of those nodes and repeats left by unions, and the spare capacity of
   * every array. Ids do not change. The Runner calls it when a run ends; adding afterwards grows
   * the arrays again.
   */
  compact(): void {
    this.rebuild();
    // A few dead nodes are not worth a pass over every node.
    if (this.deadSinceDrop * 4 > this.hashcons.size) this.dropDead();
    const ids = this.store.count;
    this.store.trim();
    this.parents.trim(ids);
    this.live = trimmed(this.live, ids);
    this.unionFind.trim();
    this.hashcons.fit();
    this.pending = new Int32Array(64);
  }

  /** Throws an EGraphStateError naming the first broken invariant (for tests and debugging). */
  checkInvariants(): void {
    checkInvariantsOf(this);
  }

  /** The analysis datum of the class holding `id`. */
  data(id: number): D {
    return this.classData[this.unionFind.find(id)] as D;
  }

  // ---- Extraction hooks: read-only views of the clean e-graph (call rebuild() first). ----

  /**
   * The canonical e-class ids, ascending. Each class has at least one node. The array is a view
   * owned by the e-graph: valid until the next add or union.
   */
  classIds(): Int32Array {
    return this.requireIndex().classes;
  }

  /**
   * The node ids of canonical class `id`, sorted by op, without duplicates. Read each node with
   * `nodeOp`, `nodePayload`, `nodeArity` and `nodeChild` (children are canonical class ids).
   * A view valid until the next add or union.
   */
  classNodes(id: number): Int32Array {
    const index = this.requireIndex();
    return index.nodes.subarray(index.start[id]!, index.start[id + 1]!);
  }

  /** The canonical classes that hold at least one node with op `op` (a view, as above). */
  classesWithOp(op: number): Int32Array {
    const index = this.requireIndex();
    if (op < 0 || op + 1 >= index.opStart.length) return new Int32Array(0);
    return index.opClasses.subarray(index.opStart[op]!, index.opStart[op + 1]!);
  }

  /** The op id of node `node`. */
  nodeOp(node: number): number {
    return this.store.ops[node]!;
  }

  /** The payload id of node `node` (0 when its op has none). */
  nodePayload(node: number): number {
    return this.store.payloads[node]!;
  }

  /** The number of children of node `node`. */
  nodeArity(node: number): number {
    return this.store.arity(node);
  }

  /** Child `i` of node `node`: a class id, canonical when the e-graph is clean. */
  nodeChild(node: number, i: number): number {
    return this.store.children[this.store.childStart[node]! + i]!;
  }

  /** The children of node `node` (a view into the store; canonical when the e-graph is clean). */
  nodeChildren(node: number): Int32Array {
    const { childStart, children } = this.store;
    return children.subarray(childStart[node]!, childStart[node + 1]!);
  }

  /** Bytes held by the e-graph's typed arrays, capacity included (analysis data and explanations not counted). */
  get bytes(): number {
    return this.store.bytes + this.hashcons.bytes + this.parents.bytes + this.live.byteLength + this.pending.byteLength + this.unionFind.bytes + (this.index?.bytes ?? 0);
  }

  /** @internal creates a fresh node and class; `live` false makes an explanation-only duplicate. */
  create(op: number, payload: number, canonical: Int32Array, arity: number, hash: number, live: boolean): number {
    const id = this.store.push(op, payload, canonical, 0, arity);
    this.unionFind.makeSet();
    this.parents.reserve(id + 1);
    if (id >= this.live.length) this.live = grown(this.live, id + 1);
    if (op > this.maxOp) this.maxOp = op;
    this.classTotal++;
    this.index = undefined;
    if (live) {
      this.live[id] = 1;
      this.hashcons.insert(id, hash);
      this.parents.addNode(id, canonical, 0, arity);
    }
    if (this.analysis) {
      this.classData[id] = this.analysis.make(this, id);
      if (this.analysis.modify) this.touched.push(id);
    }
    return id;
  }

  /** `addFrom` when explaining: returns the id of exactly this term, making one if needed. */
  private addExplained(op: number, payload: number, source: Int32Array, from: number, arity: number, existing: number, hash: number): number {
    const explainer = this.explainer!;
    const term = explainer.findTerm(op, payload, source, from, arity);
    if (term !== -1) return term;
    const id = this.create(op, payload, this.scratch, arity, hash, existing === -1);
    explainer.recordTerm(id, op, payload, source, from, arity);
    if (existing !== -1) this.union(existing, id);
    return id;
  }

  /** Why terms `a` and `b` (ids returned by add) are equal; needs `{ explanations: true }`. */
  explainEquivalence(a: number, b: number): Explanation {
    return this.explaining(a, b).explain(a, b);
  }

  /** The rules that made terms `a` and `b` equal, each once, at a cost linear in the proof record; needs explanations. */
  proofRules(a: number, b: number): string[] {
    return this.explaining(a, b).rulesBetween(a, b);
  }

  /** The first `limit` steps of the proof that `a` equals `b`, in brief (rule, direction, top op), no terms built; needs explanations. */
  briefProof(a: number, b: number, limit: number): BriefStep[] {
    return this.explaining(a, b).briefSteps(a, b, limit);
  }

  private explaining(a: number, b: number): Explainer {
    if (!this.explainer) throw new EGraphStateError('explanations are off', { hint: 'create the e-graph with { explanations: true }' });
    if (this.find(a) !== this.find(b)) throw new EGraphStateError(`classes ${a} and ${b} are not equal`, { hint: 'run the rules first, or check the terms' });
    return this.explainer;
  }

  private mergeData(root: number, absorbed: number): void {
    const merged = this.analysis!.merge(this.classData[root] as D, this.classData[absorbed] as D);
    this.classData[root] = merged.data;
    this.classData[absorbed] = undefined;
    // Parents of a class whose datum changed must recompute theirs.
    if (merged.changedFirst || merged.changedSecond) this.parents.forEach(root, (node) => this.analysisPending.push(node));
    if (this.analysis!.modify) this.touched.push(root);
  }

  /** Nodes that died as duplicates since the last `dropDead`. */
  private get deadSinceDrop(): number {
    return this.store.count - this.hashcons.size - this.deadAtLastDrop;
  }

  /** Drops the children and parent cells of dead nodes (on a clean e-graph); capacity is kept. */
  private dropDead(): void {
    this.store.dropDead(this.live);
    this.parents.rebuildFrom(this.store, this.live);
    this.deadAtLastDrop = this.store.count - this.hashcons.size;
  }

  private requireIndex(): ClassIndex {
    if (this.pendingCount > 0 || this.analysisPending.length > 0 || this.touched.length > 0) {
      throw new EGraphStateError('the e-graph has unions not yet rebuilt', { hint: 'call egraph.rebuild() before reading classes or searching' });
    }
    if (!this.index) this.index = buildClassIndex(this);
    return this.index;
  }
}
