/**
 * Prints rules as canonical text: registry op names, attributes after inputs, the fewest parentheses
 * that keep the tree, computed attributes in braces, `if` and `sample` on their own indented lines.
 * Parsing the output gives back the same tree (spans aside).
 */
import type { Expr, Pattern, Rule, RuleRight, SampleHint } from './ast.js';

/** Binding strength of each expression form; a child weaker than its slot needs parentheses. */
const OR = 1;
const AND = 2;
const NOT = 3;
const COMPARE = 4;
const SUM = 5;
const PRODUCT = 6;
const NEGATION = 7;
const PRIMARY = 8;

function level(e: Expr): number {
  switch (e.kind) {
    case 'binary':
      if (e.op === 'or') return OR;
      if (e.op === 'and') return AND;
      if (e.op === '+' || e.op === '-') return SUM;
      if (e.op === '*' || e.op === '/' || e.op === '%') return PRODUCT;
      return COMPARE;
    case 'not':
      return NOT;
    case 'neg':
      return NEGATION;
    default:
      return PRIMARY;
  }
}

/** Operand slots of each binary level: [left, right] minimum levels (left-associative; comparisons do not chain). */
const SLOTS: Readonly<Record<number, readonly [number, number]>> = {
  [OR]: [OR, AND],
  [AND]: [AND, NOT],
  [COMPARE]: [SUM, SUM],
  [SUM]: [SUM, PRODUCT],
  [PRODUCT]: [PRODUCT, NEGATION],
};

/** `e` printed so that it parses back as a unit in a slot that needs at least `min`. */
export function printExpr(e: Expr, min = 0): string {
  const text = printBare(e);
  return level(e) < min ? `(${text})` : text;
}

function printBare(e: Expr): string {
  switch (e.kind) {
    case 'number':
      return String(e.value);
    case 'bool':
      return String(e.value);
    case 'name':
    case 'var':
      return e.name;
    case 'list':
      return `[${e.items.map(printItem).join(' ')}]`;
    case 'call':
      return `${e.fn}(${e.args.map((a) => printExpr(a)).join(', ')})`;
    case 'not':
      return `not ${printExpr(e.arg, NOT)}`;
    case 'neg':
      return `-${printExpr(e.arg, NEGATION)}`;
    case 'binary': {
      const [l, r] = SLOTS[level(e)]!;
      return `${printExpr(e.left, l)} ${e.op} ${printExpr(e.right, r)}`;
    }
  }
}

/** A list item or attribute value: literals and variables bare, anything computed in braces. */
function printItem(e: Expr): string {
  const bare = e.kind === 'number' || e.kind === 'bool' || e.kind === 'name' || e.kind === 'var' || e.kind === 'list';
  return bare ? printBare(e) : `{${printExpr(e)}}`;
}

export function printPattern(p: Pattern): string {
  switch (p.kind) {
    case 'var':
      return p.name;
    case 'absent':
      return '_';
    case 'number':
      return String(p.value);
    case 'op': {
      const head = p.output === 0 ? p.op : `${p.op}.${p.output}`;
      const parts = [head, ...p.inputs.map(printPattern), ...p.attrs.map((a) => `:${a.name} ${printItem(a.value)}`)];
      return `(${parts.join(' ')})`;
    }
  }
}

function printRight(rhs: RuleRight): string {
  return rhs.kind === 'applier' ? `apply ${rhs.name}` : rhs.patterns.map(printPattern).join(', ');
}

function printHint(h: SampleHint): string {
  switch (h.kind) {
    case 'shape': {
      const mods = [h.constant ? 'const' : '', h.range ? `in [${h.range[0]}, ${h.range[1]}]` : '', h.dtype ?? '', h.table ?? ''].filter(Boolean);
      return [`${h.variable}: [${h.dims.map((d) => printExpr(d)).join(', ')}]`, ...mods].join(' ');
    }
    case 'value':
      return `${h.variable} = ${printExpr(h.value)}`;
    case 'setting':
      return `${h.name} = ${h.value}`;
  }
}

function printRule(rule: Rule): string {
  const lines = rule.doc.map((d) => (d ? `# ${d}` : '#'));
  lines.push(`rule ${rule.name}: ${rule.lhs.map(printPattern).join(', ')} ${rule.bidirectional ? '<=>' : '=>'} ${printRight(rule.rhs)}`);
  if (rule.condition) lines.push(`  if ${printExpr(rule.condition)}`);
  if (rule.sample.length) lines.push(`  sample ${rule.sample.map(printHint).join(', ')}`);
  return lines.join('\n');
}

/** A whole file: rules separated by blank lines. */
export function printRules(rules: readonly Rule[]): string {
  return `${rules.map(printRule).join('\n\n')}\n`;
}
