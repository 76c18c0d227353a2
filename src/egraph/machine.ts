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
/** YIELD: emit the root register and the variable registers. */
const YIELD = 4;

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
  readonly registerCount: number;
  /** Where the code after the first SCAN starts: the entry point for searching one given class. */
  readonly bodyStart: number;
  /** Ground sub-terms to look up before each search: (part index, pattern node index). */
  private readonly grounds: readonly (readonly [number, number])[];

  constructor(readonly parts: readonly SearchPart[]) {
    const code: number[] = [];
    const vars: string[] = [];
    const varRegs: number[] = [];
    const grounds: [number, number][] = [];
    let registers = 0;
    const bindVar = (name: string, reg: number) => {
      const v = vars.indexOf(name);
      if (v < 0) {
        vars.push(name);
        varRegs.push(reg);
      } else code.push(COMPARE, varRegs[v]!, reg);
    };
    parts.forEach(({ rootVar, pattern }, partIndex) => {
      const boundRoot = rootVar === null ? -1 : vars.indexOf(rootVar);
      let rootReg: number;
      if (boundRoot >= 0) rootReg = varRegs[boundRoot]!;
      else {
        rootReg = registers++;
        const rootOp = pattern.varOf[pattern.root]! >= 0 ? -1 : pattern.ops[pattern.root]!;
        code.push(SCAN, rootOp, rootReg);
        if (rootVar !== null) bindVar(rootVar, rootReg);
      }
      // Depth-first, left to right: bind a node, then handle each child's register.
      const visit = (node: number, reg: number): void => {
        const v = pattern.varOf[node]!;
        if (v >= 0) return bindVar(pattern.vars[v]!, reg);
        if (pattern.isGround(node)) {
          code.push(GROUND, reg, grounds.length);
          grounds.push([partIndex, node]);
          return;
        }
        const from = pattern.childStart[node]!;
        const arity = pattern.childStart[node + 1]! - from;
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
    this.registerCount = registers;
    this.code = Int32Array.from(code);
    this.bodyStart = 3; // past the first part's SCAN op out
    this.grounds = grounds;
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

/** Runs compiled programs against a clean e-graph. One Matcher can serve many searches. */
export class Matcher<D> {
  /** Stop searching after this performance.now() time (the runner's time limit). */
  deadline = Infinity;
  /** Set when a search stopped at the deadline; its matches are then incomplete. */
  timedOut = false;
  private registers: Int32Array = new Int32Array(16);
  private code: Int32Array = new Int32Array(0);
  private grounds: Int32Array = new Int32Array(0);
  private out: MatchList = new MatchList(1);
  private varRegisters: Int32Array = new Int32Array(0);
  private yields = 0;

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

  private prepare(program: Program, out: MatchList): boolean {
    this.timedOut = false;
    const grounds = program.resolveGrounds(this.egraph);
    if (grounds === null) return false;
    this.grounds = grounds;
    this.code = program.code;
    this.out = out;
    this.varRegisters = program.varRegisters;
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
            if ((i & 255) === 255 && performance.now() > this.deadline) {
              this.timedOut = true;
              return;
            }
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
        default: {
          const out = this.out;
          const at = out.reserve();
          const data = out.data;
          data[at] = regs[0]!;
          const varRegs = this.varRegisters;
          for (let v = 0; v < varRegs.length; v++) data[at + 1 + v] = regs[varRegs[v]!]!;
          out.count++;
          if ((++this.yields & 4095) === 0 && performance.now() > this.deadline) this.timedOut = true;
          return;
        }
      }
    }
  }
}
