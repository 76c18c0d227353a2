/**
 * Parses the text of a .rules file into its syntax tree. The file is cut into rules first (a rule
 * starts at a line whose first word is `rule` and runs until the next such line), and each rule is
 * matched on its own, so every syntax error of the file is found in one pass. Op names are
 * normalized to the registry's spelling here; whether they exist is the checker's business.
 */
import type { Node } from 'ohm-js';
import { DTYPES } from '../ops/types.js';
import type { DType } from '../ops/types.js';
import { SAMPLE_TABLES } from './ast.js';
import type { AttrEntry, BinaryOperator, Expr, Pattern, Rule, RuleRight, SampleHint, SampleTable, Span } from './ast.js';
import { isStackOverflow, RuleSyntaxError, TOO_DEEP } from './errors.js';
import { RULES_GRAMMAR } from './grammar.js';
import { canonicalOpName } from './op-names.js';

/** A rule's text within the file, with the comment lines right above it. */
interface Chunk {
  readonly start: number;
  readonly end: number;
  readonly doc: string[];
}

const RULE_LINE = /^[ \t]*rule(?![\w])/;
const COMMENT_LINE = /^[ \t]*#(.*)$/;

/** Cuts `text` into rule chunks; text before the first rule that is not comments becomes a chunk of its own. */
function chunksOf(text: string): Chunk[] {
  const chunks: Chunk[] = [];
  let offset = 0;
  let doc: string[] = [];
  let current: { start: number; doc: string[] } | undefined;
  let preamble: number | undefined;
  for (const line of text.split('\n')) {
    const comment = COMMENT_LINE.exec(line);
    if (RULE_LINE.test(line)) {
      const start = offset + line.indexOf('rule');
      if (current) chunks.push({ ...current, end: offset });
      else if (preamble !== undefined) chunks.push({ start: preamble, end: offset, doc: [] });
      current = { start, doc };
      doc = [];
    } else if (comment) {
      doc.push(comment[1]!.replace(/^ /, '').trimEnd());
    } else {
      doc = [];
      if (!current && preamble === undefined && line.trim() !== '') preamble = offset;
    }
    offset += line.length + 1;
  }
  if (current) chunks.push({ ...current, end: text.length });
  else if (preamble !== undefined) chunks.push({ start: preamble, end: text.length, doc: [] });
  return chunks;
}

function isDType(name: string): name is DType {
  return (DTYPES as readonly string[]).includes(name);
}

/** The result of parsing: the rules that parsed, and one error per rule that did not. */
export interface ParseResult {
  readonly rules: Rule[];
  readonly errors: RuleSyntaxError[];
}

/** Parses a whole file. Never throws on bad text: problems come back in `errors`. */
export function parseRules(text: string, file = '<rules>'): ParseResult {
  const rules: Rule[] = [];
  const errors: RuleSyntaxError[] = [];
  for (const chunk of chunksOf(text)) {
    const source = text.slice(chunk.start, chunk.end);
    try {
      const match = RULES_GRAMMAR.match(source);
      if (match.failed()) {
        const at = chunk.start + match.getRightmostFailurePosition();
        errors.push(new RuleSyntaxError(`syntax error: expected ${match.getExpectedText()}`, { file, text, span: { start: at, end: at + 1 } }));
        continue;
      }
      const problems: RuleSyntaxError[] = [];
      const rule = buildRule(match, chunk, { file, text, problems });
      errors.push(...problems);
      if (problems.length === 0) rules.push(rule);
    } catch (e) {
      if (!isStackOverflow(e)) throw e;
      errors.push(new RuleSyntaxError(TOO_DEEP, { file, text, span: { start: chunk.start, end: chunk.start + 4 }, hint: 'split it into several rules' }));
    }
  }
  return { rules, errors };
}

interface Context {
  readonly file: string;
  readonly text: string;
  readonly problems: RuleSyntaxError[];
}

const semantics = RULES_GRAMMAR.createSemantics();

/** The chunk being converted; set around each call of the `ast` operation. */
let current: { chunk: Chunk; context: Context } | undefined;

function spanOf(node: Node): Span {
  const base = current!.chunk.start;
  return { start: base + node.source.startIdx, end: base + node.source.endIdx };
}

function items(node: Node): unknown[] {
  return node.asIteration().children.map((c: Node) => c['ast']());
}

function rightSide(value: RuleRight | Pattern[]): RuleRight {
  return Array.isArray(value) ? { kind: 'patterns', patterns: value } : value;
}

/** `a op b op c` as ((a op b) op c): each operator's span runs from the first operand to its right one. */
function leftFold(this: Node, first: Node, ops: Node, rest: Node): Expr {
  let expr = first['ast']() as Expr;
  ops.children.forEach((op: Node, i: number) => {
    const right = rest.children[i]!;
    expr = { kind: 'binary', op: op.sourceString as BinaryOperator, left: expr, right: right['ast'](), span: { start: expr.span.start, end: spanOf(right).end } };
  });
  return expr;
}

semantics.addOperation('ast', {
  Rule(_rule, name, _colon, lhs, arrow, rhs, condition, sample, _end): Rule {
    return {
      name: name.sourceString,
      nameSpan: spanOf(name),
      doc: current!.chunk.doc,
      lhs: lhs['ast'](),
      rhs: rightSide(rhs['ast']() as RuleRight | Pattern[]),
      bidirectional: arrow.sourceString === '<=>',
      condition: condition.children[0]?.['ast'](),
      sample: sample.children[0]?.['ast']() ?? [],
      span: spanOf(this),
    };
  },
  Applier(_apply, name): RuleRight {
    return { kind: 'applier', name: name.sourceString, span: spanOf(name) };
  },
  Sides(list) {
    return items(list);
  },
  OpPattern(_open, ref, parts, _close): Pattern {
    const written = ref.sourceString;
    const dot = written.indexOf('.');
    const name = dot < 0 ? written : written.slice(0, dot);
    const inputs: Pattern[] = [];
    const attrs: AttrEntry[] = [];
    for (const part of parts.children) {
      const value = part['ast']() as Pattern | AttrEntry;
      if ('kind' in value) inputs.push(value);
      else attrs.push(value);
    }
    while (inputs[inputs.length - 1]?.kind === 'absent') inputs.pop();
    return {
      kind: 'op',
      op: canonicalOpName(name) ?? name,
      output: dot < 0 ? 0 : Number(written.slice(dot + 1)),
      inputs,
      attrs,
      span: spanOf(this),
      opSpan: spanOf(ref),
    };
  },
  Attribute(name, value): AttrEntry {
    return { name: name.sourceString.slice(1), value: value['ast'](), span: spanOf(name) };
  },
  variable(_q, _name): Expr {
    return { kind: 'var', name: this.sourceString, span: spanOf(this) };
  },
  absent(_u): Pattern {
    return { kind: 'absent', span: spanOf(this) };
  },
  signedNumber(_sign, _int, _dot, _frac, _exp): Expr {
    return { kind: 'number', value: Number(this.sourceString), span: spanOf(this) };
  },
  Condition(_if, expr) {
    return expr['ast']();
  },
  Sample(_sample, hints) {
    return items(hints);
  },
  Hint_shape(variable, _colon, _open, dims, _close, modifiers): SampleHint {
    let constant = false;
    let range: [number, number] | undefined;
    let dtype: DType | undefined;
    let table: SampleTable | undefined;
    for (const m of modifiers.children) {
      const value = m['ast']() as 'const' | [number, number] | string;
      if (value === 'const') constant = true;
      else if (Array.isArray(value)) range = value;
      else if ((SAMPLE_TABLES as readonly string[]).includes(value)) table = value as SampleTable;
      else if (isDType(value)) dtype = value;
      else {
        const { file, text, problems } = current!.context;
        problems.push(
          new RuleSyntaxError(`"${value}" is not a dtype`, {
            file,
            text,
            span: spanOf(m),
            hint: `sample modifiers are const, in [lo, hi], ${SAMPLE_TABLES.join(', ')}, or a dtype (${DTYPES.join(', ')})`,
          }),
        );
      }
    }
    return { kind: 'shape', variable: variable.sourceString, dims: items(dims) as Expr[], constant, range, dtype, table, span: spanOf(this) };
  },
  Hint_value(variable, _eq, value): SampleHint {
    return { kind: 'value', variable: variable.sourceString, value: value['ast'](), span: spanOf(this) };
  },
  Hint_setting(name, _eq, value): SampleHint {
    return { kind: 'setting', name: name.sourceString, value: Number(value.sourceString), span: spanOf(this) };
  },
  Modifier_constant(_const) {
    return 'const';
  },
  Modifier_range(_in, _open, lo, _comma, hi, _close) {
    return [Number(lo.sourceString), Number(hi.sourceString)];
  },
  Modifier_dtype(name) {
    return name.sourceString;
  },
  Or: leftFold,
  And: leftFold,
  Not_not(_not, arg): Expr {
    return { kind: 'not', arg: arg['ast'](), span: spanOf(this) };
  },
  Compare: leftFold,
  Sum: leftFold,
  Product: leftFold,
  Negation_neg(_minus, arg): Expr {
    const inner = arg['ast']() as Expr;
    // `-2` and `- 2` are the same literal, so printing either and parsing again gives one tree.
    if (inner.kind === 'number') return { kind: 'number', value: -inner.value, span: spanOf(this) };
    return { kind: 'neg', arg: inner, span: spanOf(this) };
  },
  Primary_paren(_open, expr, _close) {
    return expr['ast']();
  },
  Primary_brace(_open, expr, _close) {
    return expr['ast']();
  },
  Primary_call(fn, _open, args, _close): Expr {
    return { kind: 'call', fn: fn.sourceString, args: items(args) as Expr[], span: spanOf(this) };
  },
  Primary_list(_open, list, _close): Expr {
    return { kind: 'list', items: list['ast'](), span: spanOf(this) };
  },
  ListItems(primaries, _commas) {
    return primaries.children.map((c: Node) => c['ast']());
  },
  boolean(_word): Expr {
    return { kind: 'bool', value: this.sourceString === 'true', span: spanOf(this) };
  },
  name(_first, _rest): Expr {
    return { kind: 'name', name: this.sourceString, span: spanOf(this) };
  },
});

function buildRule(match: ReturnType<typeof RULES_GRAMMAR.match>, chunk: Chunk, context: Context): Rule {
  current = { chunk, context };
  try {
    return semantics(match)['ast']() as Rule;
  } finally {
    current = undefined;
  }
}
