/**
 * The evaluator of rule expressions: conditions (`if rank(?x) == 3 and ...`), computed attributes
 * (`:epsilon {value(?eps)}`) and sample templates. Logic is three-valued: an unknown operand makes
 * `and` false only if the other side is false, `or` true only if the other side is true, and the
 * whole condition "skip" otherwise, so a rule never applies on a guess.
 */
import type { Expr } from './ast.js';
import type { RuleEnv } from './env.js';
import { RULE_FUNCTIONS } from './functions.js';
import { formatValue, fromAttr, RuleEvaluationError, SKIP, SymbolicDim, valuesEqual } from './value.js';
import type { Outcome, Value } from './value.js';

/** Values of bare names, for sample templates (`[B, S, H]`); other names evaluate to their text. */
export type Letters = ReadonlyMap<string, number>;

function truth(v: Outcome, where: string): boolean | typeof SKIP {
  if (v === SKIP || typeof v === 'boolean') return v;
  throw new RuleEvaluationError(`expected true or false, got ${formatValue(v)}`, { where, hint: 'compare with ==, or combine conditions with and/or' });
}

function number(v: Value, where: string): number | typeof SKIP {
  if (v instanceof SymbolicDim) return SKIP;
  if (typeof v !== 'number') throw new RuleEvaluationError(`expected a number, got ${formatValue(v)}`, { where });
  return v;
}

function arithmetic(op: string, a: number, b: number): Outcome {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return b === 0 ? SKIP : a / b;
    case '%':
      return b === 0 ? SKIP : ((a % b) + b) % b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    default:
      return a >= b;
  }
}

/** Evaluates `expr` against `env`. Type errors in the rule throw RuleEvaluationError. */
export function evaluate(expr: Expr, env: RuleEnv, letters?: Letters): Outcome {
  switch (expr.kind) {
    case 'number':
    case 'bool':
      return expr.value;
    case 'name':
      return letters?.get(expr.name) ?? expr.name;
    case 'var': {
      const v = env.attr(expr.name);
      return v === undefined ? SKIP : fromAttr(v);
    }
    case 'list': {
      const items: Value[] = [];
      for (const item of expr.items) {
        const v = evaluate(item, env, letters);
        if (v === SKIP) return SKIP;
        items.push(v);
      }
      return items;
    }
    case 'call': {
      const fn = RULE_FUNCTIONS[expr.fn];
      if (!fn) throw new RuleEvaluationError(`unknown function ${expr.fn}`, { where: expr.fn });
      const args: (string | Value)[] = [];
      for (let i = 0; i < expr.args.length; i++) {
        const arg = expr.args[i]!;
        if (fn.params[i] === 'tensor') {
          if (arg.kind !== 'var') throw new RuleEvaluationError(`${expr.fn}: argument ${i + 1} must be a tensor variable`, { where: expr.fn });
          args.push(arg.name);
        } else {
          const v = evaluate(arg, env, letters);
          if (v === SKIP) return SKIP;
          args.push(v);
        }
      }
      return fn.evaluate(args, env);
    }
    case 'not': {
      const v = truth(evaluate(expr.arg, env, letters), 'not');
      return v === SKIP ? SKIP : !v;
    }
    case 'neg': {
      const v = evaluate(expr.arg, env, letters);
      if (v === SKIP) return SKIP;
      const n = number(v, '-');
      return n === SKIP ? SKIP : -n;
    }
    case 'binary': {
      if (expr.op === 'and' || expr.op === 'or') {
        const stop = expr.op === 'or';
        const left = truth(evaluate(expr.left, env, letters), expr.op);
        if (left === stop) return stop;
        const right = truth(evaluate(expr.right, env, letters), expr.op);
        if (right === stop) return stop;
        return left === SKIP || right === SKIP ? SKIP : !stop;
      }
      const left = evaluate(expr.left, env, letters);
      const right = evaluate(expr.right, env, letters);
      if (left === SKIP || right === SKIP) return SKIP;
      if (expr.op === '==' || expr.op === '!=') {
        const eq = valuesEqual(left, right);
        return eq === SKIP ? SKIP : expr.op === '==' ? eq : !eq;
      }
      const a = number(left, expr.op);
      const b = number(right, expr.op);
      return a === SKIP || b === SKIP ? SKIP : arithmetic(expr.op, a, b);
    }
  }
}

/** A condition's verdict: true (apply), false (does not hold), or 'skip' (not known here). */
export function evaluateCondition(expr: Expr | undefined, env: RuleEnv): boolean | 'skip' {
  if (!expr) return true;
  const v = truth(evaluate(expr, env), 'if');
  return v === SKIP ? 'skip' : v;
}
