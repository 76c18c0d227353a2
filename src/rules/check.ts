/**
 * Load-time validation of parsed rules against the op registry, the function table and the
 * appliers: unknown ops (with the closest names), arities, attributes and their literal kinds,
 * output indices, variables used but not bound, bidirectional rules that cannot run backwards,
 * sampling hints. Returns every problem found, each a RuleSyntaxError pointing at the source.
 */
import { getOp, hasOp, opNames, outputCount, resolveAttrs } from '../ops/registry.js';
import type { AttrSpec, AttrValue, OpDef } from '../ops/types.js';
import { APPLIERS } from './appliers/registry.js';
import type { Expr, Pattern, Rule, RuleFile, Span } from './ast.js';
import { exprVariables, literalValue, sideVariables } from './ast.js';
import { isStackOverflow, RuleSyntaxError, TOO_DEEP } from './errors.js';
import { RULE_FUNCTIONS } from './functions.js';
import { closestNames } from './op-names.js';

/** Settings a rule's sample clause may give. */
const SAMPLE_SETTINGS = ['rtol', 'atol'] as const;

/** Why `value` does not fit `spec`, or undefined when it does. */
function kindProblem(spec: AttrSpec, value: AttrValue): string | undefined {
  const ok = (() => {
    switch (spec.kind) {
      case 'int':
        return typeof value === 'number' && Number.isInteger(value);
      case 'float':
        return typeof value === 'number';
      case 'bool':
        return typeof value === 'boolean';
      case 'string':
      case 'dtype':
        return typeof value === 'string' && (!spec.oneOf || spec.oneOf.includes(value));
      case 'ints':
        return Array.isArray(value) && value.every((x) => typeof x === 'number' && Number.isInteger(x));
      case 'floats':
        return Array.isArray(value) && value.every((x) => typeof x === 'number');
    }
  })();
  if (!ok) return `must be ${spec.kind}${spec.oneOf ? ` (one of ${spec.oneOf.join(', ')})` : ''}`;
  return spec.check?.(value);
}

function describeInputs(op: OpDef): string {
  const specs = op.inputs;
  const required = specs.filter((s) => !s.optional && !s.variadic).length;
  const names = specs.map((s) => s.name).join(', ');
  const last = specs[specs.length - 1];
  if (last?.variadic) return `at least ${required + (last.minCount ?? 1)} inputs (${names}...)`;
  const count = required === specs.length ? `${required}` : `${required} to ${specs.length}`;
  return `${count} input${specs.length === 1 ? '' : 's'}${specs.length ? ` (${names})` : ''}`;
}

function arityFits(op: OpDef, count: number): boolean {
  const specs = op.inputs;
  const last = specs[specs.length - 1];
  const required = specs.filter((s) => !s.optional && !s.variadic).length;
  if (last?.variadic) return count >= required + (last.minCount ?? 1);
  return count >= required && count <= specs.length;
}

function didYouMean(names: string[]): string | undefined {
  return names.length ? `did you mean ${names.join(' or ')}?` : undefined;
}

type Side = 'left' | 'right';

/** Checks one file; returns every problem (empty when the file is fine). */
export function checkRules(file: RuleFile): RuleSyntaxError[] {
  const errors: RuleSyntaxError[] = [];
  const report = (what: string, span: Span, hint?: string) => errors.push(new RuleSyntaxError(what, { file: file.file, text: file.text, span, hint }));
  const seen = new Map<string, Span>();
  for (const rule of file.rules) {
    if (seen.has(rule.name)) report(`duplicate rule name "${rule.name}"`, rule.nameSpan, 'give each rule a unique name');
    seen.set(rule.name, rule.nameSpan);
    try {
      checkRule(rule, report);
    } catch (e) {
      if (!isStackOverflow(e)) throw e;
      report(TOO_DEEP, rule.nameSpan, 'split it into several rules');
    }
  }
  return errors;
}

type Report = (what: string, span: Span, hint?: string) => void;

function checkRule(rule: Rule, report: Report): void {
  const left = sideVariables(rule.lhs);
  const bound = new Set([...left.tensors, ...left.attrs]);
  for (const v of left.tensors) {
    if (left.attrs.includes(v)) report(`${v} is bound both as a tensor and as an attribute`, rule.nameSpan, 'use two variables');
  }
  for (const p of rule.lhs) {
    if (p.kind !== 'op') report('a left side must be an op pattern', p.span, 'a bare variable or constant would match every e-class');
    checkPattern(p, 'left', left, report);
  }

  if (rule.rhs.kind === 'applier') {
    const applier = APPLIERS.get(rule.rhs.name);
    if (!applier) {
      report(`unknown applier "${rule.rhs.name}"`, rule.rhs.span, didYouMean(closestNames(rule.rhs.name, [...APPLIERS.keys()])) ?? `appliers: ${[...APPLIERS.keys()].join(', ')}`);
    } else {
      for (const v of applier.needs) {
        if (!left.tensors.includes(v) && !left.attrs.includes(v))
          report(`applier ${applier.name} needs ${v}, which the left side does not bind`, rule.rhs.span, `bind ${applier.needs.join(', ')} on the left`);
      }
    }
    if (rule.bidirectional) report('a rule with an applier runs one way only', rule.rhs.span, 'write => instead of <=>');
  } else {
    const right = rule.rhs.patterns;
    if (right.length !== rule.lhs.length) {
      report(
        `the left side has ${rule.lhs.length} pattern(s) but the right side has ${right.length}`,
        rule.nameSpan,
        'a multi-pattern rule pairs the i-th right pattern with the i-th left one',
      );
    }
    for (const p of right) {
      if (p.kind === 'number' || p.kind === 'absent') report('a right side must be an op pattern or a variable', p.span);
      checkPattern(p, 'right', left, report);
    }
    if (rule.bidirectional) checkReversible(rule, right, report);
  }

  if (rule.condition) checkExpr(rule.condition, left, report, 'condition');
  checkSample(rule, bound, left.tensors, report);
}

function checkReversible(rule: Rule, right: readonly Pattern[], report: Report): void {
  const left = sideVariables(rule.lhs);
  const back = sideVariables(right);
  for (const p of right) {
    if (p.kind !== 'op') report('a rule written <=> needs op patterns on the right, to match them backwards', p.span, 'write => instead');
  }
  const missing = [...left.tensors, ...left.attrs].filter((v) => !back.tensors.includes(v) && !back.attrs.includes(v));
  if (missing.length) {
    report(
      `a rule written <=> must bind on the right every variable of the left; ${missing.join(', ')} missing`,
      rule.nameSpan,
      'write => instead, or use the variables on the right',
    );
  }
  const visit = (p: Pattern): void => {
    if (p.kind !== 'op') return;
    p.inputs.forEach(visit);
    for (const a of p.attrs) {
      if (a.value.kind !== 'var' && literalValue(a.value) === undefined) {
        report(`a rule written <=> cannot compute attribute "${a.name}" on the right`, a.span, 'computed attributes only run left to right; write =>');
      }
    }
  };
  right.forEach(visit);
}

function checkPattern(p: Pattern, side: Side, left: { tensors: string[]; attrs: string[] }, report: Report): void {
  if (p.kind === 'var' && side === 'right' && !left.tensors.includes(p.name)) {
    report(`${p.name} is not bound on the left side`, p.span, `bind ${p.name} in the left side, or remove it from the right side`);
  }
  if (p.kind !== 'op') return;
  if (!hasOp(p.op)) {
    report(`unknown op "${p.op}"`, p.opSpan, didYouMean(closestNames(p.op, opNames())) ?? 'see the op registry (src/ops/defs) for the ops netsat knows');
    p.inputs.forEach((c) => checkPattern(c, side, left, report));
    return;
  }
  const op = getOp(p.op);
  if (!arityFits(op, p.inputs.length)) report(`${op.name} takes ${describeInputs(op)}, got ${p.inputs.length}`, p.opSpan);
  p.inputs.forEach((c, i) => {
    const spec = op.inputs[Math.min(i, op.inputs.length - 1)];
    if (c.kind === 'absent' && spec && !spec.optional) report(`input "${spec.name}" of ${op.name} is required; _ marks an absent optional input`, c.span);
  });
  if (p.inputs.some((c) => c.kind === 'number') && !p.inputs.some((c) => c.kind === 'var' || c.kind === 'op')) {
    report(`${op.name}: a number operand takes its dtype from a tensor operand beside it, and there is none`, p.span);
  }
  checkAttributes(p, op, side, left, report);
  checkOutput(p, op, report);
  p.inputs.forEach((c) => checkPattern(c, side, left, report));
}

function checkAttributes(p: Pattern & { kind: 'op' }, op: OpDef, side: Side, left: { tensors: string[]; attrs: string[] }, report: Report): void {
  const given = new Set<string>();
  for (const a of p.attrs) {
    const spec = op.attributes[a.name];
    if (!spec) {
      const known = Object.keys(op.attributes);
      const near = didYouMean(closestNames(a.name, known));
      report(`${op.name} has no attribute "${a.name}"`, a.span, near ?? (known.length ? `its attributes are: ${known.join(', ')}` : `${op.name} takes no attributes`));
      continue;
    }
    if (given.has(a.name)) report(`attribute "${a.name}" is given twice`, a.span);
    given.add(a.name);
    if (a.value.kind === 'var') {
      if (side === 'right' && !left.attrs.includes(a.value.name)) {
        const hint = left.tensors.includes(a.value.name)
          ? `${a.value.name} is a tensor; write {value(${a.value.name})} for a scalar constant's value`
          : `bind ${a.value.name} on the left, e.g. :${a.name} ${a.value.name}`;
        report(`${a.value.name} is not bound on the left side as an attribute`, a.value.span, hint);
      }
      continue;
    }
    const literal = literalValue(a.value);
    if (literal === undefined) {
      if (side === 'left')
        report(`on the left, attribute "${a.name}" must be a literal or a variable`, a.value.span, 'move the computation into the condition: bind :name ?v and test ?v after if');
      else checkExpr(a.value, left, report, 'attribute');
      continue;
    }
    const problem = kindProblem(spec, literal);
    if (problem) report(`${op.name}.${a.name} ${problem}, got ${JSON.stringify(literal)}`, a.value.span, spec.doc);
  }
  for (const [name, spec] of Object.entries(op.attributes)) {
    if (spec.default === undefined && !given.has(name)) report(`${op.name} needs attribute "${name}" (${spec.kind})`, p.opSpan, spec.doc);
  }
}

/** Output indices past the op's outputs; ops whose count depends on attributes are checked when it is known. */
function checkOutput(p: Pattern & { kind: 'op' }, op: OpDef, report: Report): void {
  let count = op.outputs.length;
  if (op.outputCount) {
    const probe: Record<string, AttrValue> = {};
    for (const a of p.attrs) {
      if (!(a.name in op.attributes)) continue;
      const literal = literalValue(a.value);
      // A list of computed sizes still says how many there are.
      if (literal !== undefined) probe[a.name] = literal;
      else if (a.value.kind === 'list') probe[a.name] = a.value.items.map(() => 0);
      else return;
    }
    try {
      count = outputCount(op, resolveAttrs(op, probe));
    } catch {
      return; // attribute problems are reported by checkAttributes
    }
  }
  if (p.output >= count) {
    const hint = count === 1 ? `${op.name} has one output: write ${op.name} without an index` : `outputs are numbered from 0: ${op.name}.0 to ${op.name}.${count - 1}`;
    report(`${op.name} has no output ${p.output} (it has ${count})`, p.opSpan, hint);
  }
}

function checkExpr(expr: Expr, left: { tensors: string[]; attrs: string[] }, report: Report, what: 'condition' | 'attribute'): void {
  for (const v of exprVariables(expr)) {
    if (!left.tensors.includes(v) && !left.attrs.includes(v)) {
      const span = findVar(expr, v)!;
      report(`${what} uses ${v}, which the left side does not bind`, span, `bind ${v} in the left side`);
    }
  }
  const visit = (e: Expr, asTensor: boolean): void => {
    switch (e.kind) {
      case 'var':
        if (!asTensor && left.tensors.includes(e.name)) {
          report(`${e.name} is a tensor; use it through a function such as rank(${e.name}) or value(${e.name})`, e.span);
        }
        if (asTensor && left.attrs.includes(e.name)) report(`${e.name} is an attribute, not a tensor`, e.span);
        return;
      case 'call': {
        const fn = RULE_FUNCTIONS[e.fn];
        if (!fn) {
          report(`unknown function ${e.fn}`, e.span, didYouMean(closestNames(e.fn, Object.keys(RULE_FUNCTIONS))) ?? `functions: ${Object.keys(RULE_FUNCTIONS).join(', ')}`);
          return;
        }
        if (fn.params.length !== e.args.length) report(`${e.fn} takes ${fn.params.length} argument(s), got ${e.args.length}`, e.span, fn.doc);
        e.args.forEach((a, i) => {
          if (fn.params[i] === 'tensor' && a.kind !== 'var') report(`argument ${i + 1} of ${e.fn} must be a tensor variable`, a.span, fn.doc);
          else visit(a, fn.params[i] === 'tensor');
        });
        return;
      }
      case 'list':
        e.items.forEach((i) => visit(i, false));
        return;
      case 'not':
      case 'neg':
        visit(e.arg, false);
        return;
      case 'binary':
        visit(e.left, false);
        visit(e.right, false);
        return;
      default:
        return;
    }
  };
  visit(expr, false);
}

function findVar(expr: Expr, name: string): Span | undefined {
  if (expr.kind === 'var') return expr.name === name ? expr.span : undefined;
  const children =
    expr.kind === 'list'
      ? expr.items
      : expr.kind === 'call'
        ? expr.args
        : expr.kind === 'binary'
          ? [expr.left, expr.right]
          : expr.kind === 'not' || expr.kind === 'neg'
            ? [expr.arg]
            : [];
  for (const c of children) {
    const s = findVar(c, name);
    if (s) return s;
  }
  return undefined;
}

function checkSample(rule: Rule, bound: Set<string>, tensors: readonly string[], report: Report): void {
  for (const h of rule.sample) {
    if (h.kind === 'setting') {
      if (!(SAMPLE_SETTINGS as readonly string[]).includes(h.name)) report(`unknown sample setting "${h.name}"`, h.span, `settings: ${SAMPLE_SETTINGS.join(', ')}`);
      continue;
    }
    if (!bound.has(h.variable)) {
      report(`sample hint for ${h.variable}, which the rule does not bind`, h.span);
      continue;
    }
    if (h.kind === 'shape' && !tensors.includes(h.variable)) report(`${h.variable} is an attribute; give its value with ${h.variable} = ...`, h.span);
    if (h.kind === 'value' && tensors.includes(h.variable) && h.value.kind !== 'number') {
      report(`${h.variable} is a tensor; "= value" pins a scalar constant and needs a number`, h.value.span);
    }
  }
}
