import type { EGraph } from './egraph.js';
import { MatchList } from './match-list.js';
import type { Pattern } from './pattern.js';

// Instructions, laid out in Program.code as an opcode followed by its operands.
/** SCAN op out: for each class holding `op` (all classes when op < 0), put it in register `out`. */
const SCAN = 0;
/** BIND in op payload arity out: for each node of class reg[in] with that op, payload and arity, load its children into registers out... */
const BIND = 1;
/** COMPARE a b: continue only if reg[a] === reg[b] (a repeated variable). */
const COMPARE = 2;
/** GROUND reg k: continue only if reg[reg] is the class of ground sub-term k (looked up once per search). */
const GROUND = 3;
/** YIELD: emit the root register, the variable registers and the inner nodes' registers. */
const YIELD = 4;
/**
 * JOIN in op out: for each class with a live node of `op` among the parents of class reg[in] (a
 * variable an earlier part bound), put it in register `out`. A later part of a multi-pattern is
 * found through the variable it shares, not by scanning every class of its op: the join costs the
 * shared class's parents instead of the product of the parts' candidates.
 */
const JOIN = 5;
/**
 * GUARD reg k: continue only if guard k holds for class reg[reg]. A guard is
 * a necessary condition of the rule on one variable, checked as soon as the variable is bound, so a
 * multi-pattern does not enumerate the product of candidates its condition refuses one by one.
 */
const GUARD = 6;

/** A necessary condition on the class a variable is bound to (its analysis data, and its id). */
export type ClassGuard = (data: never, id: number) => boolean;

/** One (root variable, pattern) part of a searcher; the root variable is null for a plain pattern. */
export interface SearchPart {
  readonly rootVar: string | null;
  readonly pattern: Pattern;
}

/**
 * A searcher compiled once into a small register program (egg's machine idea): BIND walks a class's
 * nodes of one op, COMPARE checks a repeated variable, GROUND resolves a variable-free sub-term
 * through the hash-cons instead of searching for it. Candidate roots come from the e-graph's
 * op → classes index, never from a scan of every class (except for a bare `?x`).
 */
export class Program {
  readonly vars: readonly string[];
  readonly code: Int32Array;
  /** Registers holding each variable, in `vars` order; register 0 holds the root. */
  readonly varRegisters: Int32Array;
  /**
   * Registers holding the classes of the pattern's inner op nodes (below a part's root), emitted
   * after the variables: where in the network a match reaches, for the runner's locality check.
   */
  readonly innerRegisters: Int32Array;
  /** Ints per match: the root, the variables, the inner nodes. */
  readonly width: number;
  readonly registerCount: number;
  /** Where the code after the first SCAN starts: the entry point for searching one given class. */
  readonly bodyStart: number;
  /** Ground sub-terms to look up before each search: (part index, pattern node index). */
  private readonly grounds: readonly (readonly [number, number])[];
  /** The guards GUARD instructions index. */
  readonly guards: readonly ClassGuard[];

  /** `guards`: per variable, a condition its class must meet (checked where the variable is first bound). */
  constructor(
    readonly parts: readonly SearchPart[],
    guardsByVar: ReadonlyMap<string, ClassGuard> = new Map(),
  ) {
    const code: number[] = [];
    const vars: string[] = [];
    const varRegs: number[] = [];
    const grounds: [number, number][] = [];
    const inner: number[] = [];
    const guards: ClassGuard[] = [];
    let registers = 0;
    const bindVar = (name: string, reg: number) => {
      const v = vars.indexOf(name);
      if (v >= 0) {
        code.push(COMPARE, varRegs[v]!, reg);
        return;
      }
      vars.push(name);
      varRegs.push(reg);
      const guard = guardsByVar.get(name);
      if (guard) code.push(GUARD, reg, guards.push(guard) - 1);
    };
    parts.forEach(({ rootVar, pattern }, partIndex) => {
      const boundRoot = rootVar === null ? -1 : vars.indexOf(rootVar);
      let rootReg: number;
      if (boundRoot >= 0) rootReg = varRegs[boundRoot]!;
      else {
        rootReg = registers++;
        const rootOp = pattern.varOf[pattern.root]! >= 0 ? -1 : pattern.ops[pattern.root]!;
        const shared = rootOp < 0 ? -1 : boundChild(pattern, vars);
        if (shared >= 0) code.push(JOIN, varRegs[shared]!, rootOp, rootReg);
        else code.push(SCAN, rootOp, rootReg);
        if (rootVar !== null) bindVar(rootVar, rootReg);
      }
      // Depth-first, left to right: bind a node, then handle each child's register.
      const visit = (node: number, reg: number): void => {
        const v = pattern.varOf[node]!;
        if (v >= 0) {
          bindVar(pattern.vars[v]!, reg);
          return;
        }
        if (pattern.isGround(node)) {
          code.push(GROUND, reg, grounds.length);
          grounds.push([partIndex, node]);
          return;
        }
        const from = pattern.childStart[node]!;
        const arity = pattern.childStart[node + 1]! - from;
        if (node !== pattern.root) inner.push(reg);
        const out = registers;
        registers += arity;
        code.push(BIND, reg, pattern.ops[node]!, pattern.payloads[node]!, arity, out);
        for (let k = 0; k < arity; k++) visit(pattern.children[from + k]!, out + k);
      };
      visit(pattern.root, rootReg);
    });
    code.push(YIELD);
    this.vars = vars;
    this.varRegisters = Int32Array.from(varRegs);
    this.innerRegisters = Int32Array.from(inner);
    this.width = 1 + vars.length + inner.length;
    this.registerCount = registers;
    this.code = Int32Array.from(code);
    this.bodyStart = 3; // past the first part's SCAN op out
    this.grounds = grounds;
    this.guards = guards;
  }

  /** The classes of the ground sub-terms in `egraph`, or null when one is absent (nothing can match). */
  resolveGrounds<D>(egraph: EGraph<D>): Int32Array | null {
    const classes = new Int32Array(this.grounds.length);
    for (let k = 0; k < this.grounds.length; k++) {
      const [part, node] = this.grounds[k]!;
      const c = this.parts[part]!.pattern.lookupGround(egraph, node);
      if (c === -1) return null;
      classes[k] = c;
    }
    return classes;
  }
}

/** The index in `vars` of a variable already bound that is a direct child of `pattern`'s root, or -1. */
function boundChild(pattern: Pattern, vars: readonly string[]): number {
  const root = pattern.root;
  for (let k = pattern.childStart[root]!; k < pattern.childStart[root + 1]!; k++) {
    const v = pattern.varOf[pattern.children[k]!]!;
    if (v >= 0) {
      const at = vars.indexOf(pattern.vars[v]!);
      if (at >= 0) return at;
    }
  }
  return -1;
}

/** Runs compiled programs against a clean e-graph. One Matcher can serve many searches. */
export class Matcher<D> {
  /** Stop searching after this performance.now() time (the runner's time limit). */
  deadline = Infinity;
  /** Stop searching when the process's resident memory passes this many bytes (the runner's memory limit). */
  memoryBytes = Infinity;
  /** Set when a search stopped at the deadline or the memory limit; its matches are then incomplete. */
  timedOut = false;
  /** Which limit stopped the last search. */
  stoppedBy: 'time' | 'memory' | undefined;
  private registers: Int32Array = new Int32Array(16);
  private code: Int32Array = new Int32Array(0);
  private grounds: Int32Array = new Int32Array(0);
  private guards: readonly ((data: D, id: number) => boolean)[] = [];
  private out: MatchList = new MatchList(1);
  private varRegisters: Int32Array = new Int32Array(0);
  private innerRegisters: Int32Array = new Int32Array(0);
  private yields = 0;
  private joinBuffer = new Int32Array(64);

  constructor(private readonly egraph: EGraph<D>) {}

  /** All matches of `program` in the e-graph, appended to `out` (whose width is 1 + vars). */
  search(program: Program, out: MatchList): void {
    if (!this.prepare(program, out)) return;
    this.run(0);
  }

  /** The matches of `program`'s first part rooted at class `root` (canonical), appended to `out`. */
  searchClass(program: Program, root: number, out: MatchList): void {
    if (!this.prepare(program, out)) return;
    this.registers[0] = root;
    this.run(program.bodyStart);
  }

  /** Whether the deadline or the memory limit has passed (then `timedOut` and `stoppedBy` are set). */
  private pastLimit(): boolean {
    if (performance.now() > this.deadline) this.stoppedBy = 'time';
    else if (this.memoryBytes !== Infinity && process.memoryUsage.rss() > this.memoryBytes) this.stoppedBy = 'memory';
    else return false;
    this.timedOut = true;
    return true;
  }

  private prepare(program: Program, out: MatchList): boolean {
    this.timedOut = false;
    this.stoppedBy = undefined;
    const grounds = program.resolveGrounds(this.egraph);
    if (grounds === null) return false;
    this.grounds = grounds;
    this.guards = program.guards as readonly ((data: D, id: number) => boolean)[];
    this.code = program.code;
    this.out = out;
    this.varRegisters = program.varRegisters;
    this.innerRegisters = program.innerRegisters;
    if (this.registers.length < program.registerCount) this.registers = new Int32Array(program.registerCount);
    this.egraph.classIds(); // throws if the e-graph is not rebuilt, and builds the index
    return true;
  }

  private run(pc: number): void {
    const code = this.code;
    const regs = this.registers;
    for (;;) {
      switch (code[pc]) {
        case SCAN: {
          const op = code[pc + 1]!;
          const outReg = code[pc + 2]!;
          const candidates = op < 0 ? this.egraph.classIds() : this.egraph.classesWithOp(op);
          for (let i = 0; i < candidates.length; i++) {
            regs[outReg] = candidates[i]!;
            this.run(pc + 3);
            if (this.timedOut) return;
            if ((i & 255) === 255 && this.pastLimit()) return;
          }
          return;
        }
        case JOIN: {
          const classes = this.joinCandidates(regs[code[pc + 1]!]!, code[pc + 2]!);
          const outReg = code[pc + 3]!;
          for (let i = 0; i < classes.length; i++) {
            regs[outReg] = classes[i]!;
            this.run(pc + 4);
            if (this.timedOut) return;
          }
          return;
        }
        case BIND: {
          const index = this.egraph.index!;
          const { ops, payloads, childStart, children } = this.egraph.store;
          const c = regs[code[pc + 1]!]!;
          const op = code[pc + 2]!;
          const payload = code[pc + 3]!;
          const arity = code[pc + 4]!;
          const outReg = code[pc + 5]!;
          const nodes = index.nodes;
          for (let i = index.start[c]!, end = index.start[c + 1]!; i < end; i++) {
            const n = nodes[i]!;
            const nodeOp = ops[n]!;
            if (nodeOp < op) continue;
            if (nodeOp > op) break;
            const from = childStart[n]!;
            if (payloads[n] !== payload || childStart[n + 1]! - from !== arity) continue;
            for (let k = 0; k < arity; k++) regs[outReg + k] = children[from + k]!;
            this.run(pc + 6);
            if (this.timedOut) return;
          }
          return;
        }
        case COMPARE:
          if (regs[code[pc + 1]!] !== regs[code[pc + 2]!]) return;
          pc += 3;
          break;
        case GROUND:
          if (regs[code[pc + 1]!] !== this.grounds[code[pc + 2]!]) return;
          pc += 3;
          break;
        case GUARD: {
          const c = regs[code[pc + 1]!]!;
          if (!this.guards[code[pc + 2]!]!(this.egraph.data(c), c)) return;
          pc += 3;
          break;
        }
        default: {
          const out = this.out;
          const at = out.reserve();
          const data = out.data;
          data[at] = regs[0]!;
          const varRegs = this.varRegisters;
          for (let v = 0; v < varRegs.length; v++) data[at + 1 + v] = regs[varRegs[v]!]!;
          const innerRegs = this.innerRegisters;
          for (let k = 0, at2 = at + 1 + varRegs.length; k < innerRegs.length; k++) data[at2 + k] = regs[innerRegs[k]!]!;
          out.count++;
          if ((++this.yields & 4095) === 0) this.pastLimit();
          return;
        }
      }
    }
  }

  /** The distinct classes holding a live node of `op` that has class `child` as a child (sorted; a fresh copy). */
  private joinCandidates(child: number, op: number): Int32Array {
    const egraph = this.egraph;
    const parents = egraph.parents;
    if (this.joinBuffer.length < parents.count[child]!) this.joinBuffer = new Int32Array(parents.count[child]! * 2);
    const end = parents.copyInto(child, this.joinBuffer, 0);
    let n = 0;
    for (let i = 0; i < end; i++) {
      const node = this.joinBuffer[i]!;
      if (egraph.live[node] === 1 && egraph.store.ops[node] === op) this.joinBuffer[n++] = egraph.find(node);
    }
    const classes = this.joinBuffer.slice(0, n).sort();
    let k = 0;
    for (let i = 0; i < n; i++) if (i === 0 || classes[i] !== classes[i - 1]) classes[k++] = classes[i]!;
    return classes.subarray(0, k);
  }
}
