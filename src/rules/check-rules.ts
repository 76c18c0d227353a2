/**
 * check-rules: TASO-style verification of rules by random testing. For each rule and direction it
 * draws instances (seeded) until it has the requested number where the source side builds, the
 * condition holds and the source's outputs are finite; builds both sides as networks over the
 * same inputs and constants; runs them with the reference interpreter; and compares every pair of
 * unioned outputs (shape, dtype, values within rtol/atol). The first disagreement is kept as the
 * counterexample. A rule for which too few instances are found is reported, never passed; so is a
 * rule whose instances never exercised a variable or a letter of its hints with a dim above 1
 * (coverage.ts). Agreeing instances can be handed on (`keep`) to a second oracle (ort-check.ts).
 */
import { NetsatError } from '../errors.js';
import { interpret } from '../interp/interpret.js';
import { seedFor } from '../interp/random.js';
import { verifyEquivalent } from '../interp/verify.js';
import { Network } from '../network/network.js';
import type { Tensor } from '../network/tensor.js';
import { formatShape } from '../ops/shape.js';
import type { NDArray } from '../ops/types.js';
import { APPLIERS } from './appliers/registry.js';
import type { Pattern, Rule, RuleFile } from './ast.js';
import { sideVariables } from './ast.js';
import { evaluateCondition } from './expr.js';
import { instantiate } from './instantiate.js';
import { loadRuleFile } from './load.js';
import { NetworkRuleBuilder, NetworkRuleEnv } from './network-builder.js';
import type { Instance } from './sample.js';
import { Sampler } from './sample.js';
import { RuleEvaluationError, SKIP } from './value.js';
import type { Coverage } from './coverage.js';
import { CoverageCounter, coverageGaps } from './coverage.js';

export interface CheckOptions {
  /** Instances per rule and direction (default 200). */
  instances?: number;
  /** Base seed (default 0); each rule and direction derives its own. */
  seed?: number;
  /** Draws allowed per wanted instance before the rule is reported as unsampled (default 100). */
  attemptsPerInstance?: number;
}

export type Direction = 'forward' | 'backward';

/** What disagreed, on which instance. */
export interface Counterexample {
  /** The instance's seed (derived from the run's seed, the rule and the attempt). */
  readonly seed: number;
  readonly attempt: number;
  /** `?x: float32[2, 3]` per tensor variable (constants marked), `?p = [1 0]` per attribute variable. */
  readonly variables: readonly string[];
  /** Which output pair differed (0 for a single-pattern rule). */
  readonly output: number;
  readonly maxAbsError: number;
  readonly maxRelError: number;
  /** Why, in words: values differ, shapes differ, or the target side failed to build. */
  readonly problem: string;
}

export interface RuleCheckResult {
  readonly file: string;
  readonly rule: string;
  readonly direction: Direction;
  readonly status: 'pass' | 'fail' | 'unsampled' | 'uncovered';
  /** Instances that were compared (and agreed, unless status is 'fail'). */
  readonly instances: number;
  readonly attempts: number;
  readonly rtol: number;
  readonly atol: number;
  readonly counterexample?: Counterexample;
  /** For 'unsampled': the most common reason draws were rejected; for 'uncovered': what was never above 1. */
  readonly note?: string;
  /** What the compared instances exercised. */
  readonly coverage: Coverage;
  /** The second oracle's verdict, when it ran (checkRulesWithOrt). */
  readonly ort?: OrtVerdict;
}

/** onnxruntime's verdict on the instances of one rule direction it was given. */
export interface OrtVerdict {
  /** Instances onnxruntime ran both sides of (and found equal, unless a counterexample is given). */
  readonly ran: number;
  /** Instances it could not run (an op or dtype without an ONNX form or an onnxruntime kernel). */
  readonly skipped: number;
  /** Why the first skipped instance was skipped. */
  readonly skipReason?: string;
  readonly counterexample?: Counterexample;
}

/** One agreeing instance of a rule direction, both sides built, for a second oracle. */
export interface AgreedCase {
  readonly instance: Instance;
  readonly source: Network;
  readonly target: Network;
  readonly inputs: Readonly<Record<string, NDArray>>;
  readonly rtol: number;
  readonly atol: number;
}

export interface CheckReport {
  readonly files: readonly string[];
  readonly instances: number;
  readonly seed: number;
  readonly results: readonly RuleCheckResult[];
  readonly passed: number;
  readonly failed: number;
  readonly unsampled: number;
  readonly uncovered: number;
}

const DEFAULT_INSTANCES = 200;
const DEFAULT_RTOL = 1e-4;
const DEFAULT_ATOL = 1e-5;

/** The two sides of one direction: what is matched, and what it becomes. */
export interface Sides {
  readonly from: readonly Pattern[];
  readonly to: readonly Pattern[] | string;
}

/** The directions a rule is checked in: forward, and backward for a rule written <=>. */
export function directions(rule: Rule): [Direction, Sides][] {
  const to = rule.rhs.kind === 'applier' ? rule.rhs.name : rule.rhs.patterns;
  const out: [Direction, Sides][] = [['forward', { from: rule.lhs, to }]];
  if (rule.bidirectional && rule.rhs.kind === 'patterns') out.push(['backward', { from: rule.rhs.patterns, to: rule.lhs }]);
  return out;
}

/** Adds the instance's tensor variables to `network`: inputs, or constants with their data. */
function bindVariables(network: Network, instance: Instance, inputs: Record<string, NDArray>): Map<string, Tensor> {
  const bound = new Map<string, Tensor>();
  for (const [variable, draw] of instance.tensors) {
    const name = variable.slice(1);
    if (draw.constant) bound.set(variable, network.addConstant({ dtype: draw.type.dtype, shape: draw.type.shape as number[], data: draw.data, name }));
    else {
      bound.set(variable, network.addInput(name, draw.type.dtype, draw.type.shape));
      inputs[name] = draw.data;
    }
  }
  return bound;
}

/** Marks each unioned tensor as output `output_i` (through an Identity), so both sides' outputs pair by name. */
function markOutputs(network: Network, outputs: readonly Tensor[]): void {
  outputs.forEach((t, i) => network.markOutput(network.addLayer('Identity', [t]).outputs[0]!, `output_${i}`));
}

/** The instance's variables as a counterexample lists them. */
export function describe(instance: Instance): string[] {
  const out: string[] = [];
  for (const [v, d] of instance.tensors) {
    const value = d.data.data.length === 1 ? ` = ${d.data.data[0]}` : '';
    out.push(`${v}: ${d.type.dtype}${formatShape(d.type.shape)}${d.constant ? ' const' : ''}${value}`);
  }
  for (const [v, a] of instance.attrs) out.push(`${v} = ${JSON.stringify(a)}`);
  return out;
}

function finite(values: Record<string, NDArray>): boolean {
  return Object.values(values).every((a) => a.data.every((x) => Number.isFinite(x)));
}

/** Outcome of one draw: rejected (with why), agreed, or a counterexample. */
type Trial =
  | { kind: 'reject'; why: string }
  | { kind: 'agree'; source: Network; target: Network; inputs: Record<string, NDArray> }
  | { kind: 'differ'; output: number; maxAbsError: number; maxRelError: number; problem: string };

function trial(sides: Sides, instance: Instance, sampler: Sampler, tolerance: { rtol: number; atol: number }, condition: Rule['condition']): Trial {
  const inputs: Record<string, NDArray> = {};
  const source = new Network('source');
  const sourceVars = bindVariables(source, instance, inputs);
  const sourceBuild = new NetworkRuleBuilder(source);
  const env = new NetworkRuleEnv(sourceVars, instance.attrs);
  const matched: Tensor[] = [];
  try {
    for (const p of sides.from) {
      const t = instantiate(p, {
        build: sourceBuild,
        env,
        tensor: (v) => sourceVars.get(v)!,
        attrVariable: (v, site) => sampler.drawAttr(instance, v, { op: site.op, attr: site.attr, inputs: site.inputs.map((h) => h?.type) }),
      });
      if (t === SKIP) return { kind: 'reject', why: 'an attribute of the source side could not be drawn (give a sample hint)' };
      matched.push(t);
    }
  } catch (e) {
    if (e instanceof NetsatError) return { kind: 'reject', why: `the source side does not build: ${e.what}` };
    throw e;
  }
  let verdict: boolean | 'skip';
  try {
    verdict = evaluateCondition(condition, env);
  } catch (e) {
    if (e instanceof RuleEvaluationError)
      return { kind: 'differ', output: 0, maxAbsError: Infinity, maxRelError: Infinity, problem: `the condition cannot be evaluated: ${e.what}` };
    throw e;
  }
  if (verdict !== true) return { kind: 'reject', why: verdict === 'skip' ? 'the condition could not be evaluated' : 'the condition does not hold' };
  markOutputs(source, matched);
  if (!finite(interpret(source, inputs))) return { kind: 'reject', why: 'the source side computes NaN or infinity (narrow the data with in [lo, hi])' };

  const target = new Network('target');
  const targetVars = bindVariables(target, instance, {});
  const targetBuild = new NetworkRuleBuilder(target);
  const targetEnv = new NetworkRuleEnv(targetVars, instance.attrs);
  let built: readonly Tensor[] | undefined;
  try {
    if (typeof sides.to === 'string') {
      built = APPLIERS.get(sides.to)!.apply({ env: targetEnv, build: targetBuild, bound: (v) => targetVars.get(v) });
    } else {
      const out: Tensor[] = [];
      for (const p of sides.to) {
        const t = instantiate(p, { build: targetBuild, env: targetEnv, tensor: (v) => targetVars.get(v)! });
        if (t === SKIP) return { kind: 'reject', why: 'an attribute of the target side could not be computed' };
        out.push(t);
      }
      built = out;
    }
  } catch (e) {
    if (e instanceof NetsatError) return { kind: 'differ', output: 0, maxAbsError: Infinity, maxRelError: Infinity, problem: `the target side does not build: ${e.what}` };
    throw e;
  }
  if (!built) return { kind: 'reject', why: 'the applier declined' };
  markOutputs(target, built);
  const result = verifyEquivalent(source, target, { inputs, ...tolerance });
  const bad = result.outputs.findIndex((o) => !o.pass);
  if (bad < 0) return { kind: 'agree', source, target, inputs };
  const o = result.outputs[bad]!;
  return {
    kind: 'differ',
    output: bad,
    maxAbsError: o.maxAbsError,
    maxRelError: o.maxRelError,
    problem: o.problem
      ? `shapes or dtypes differ: ${o.problem}`
      : `${o.mismatches} of ${o.shape.reduce((a, b) => a * b, 1)} values differ beyond rtol ${tolerance.rtol}, atol ${tolerance.atol}`,
  };
}

/** Receives each agreeing instance of a direction, for a second oracle. */
export type KeepCase = (result: { file: string; rule: string; direction: Direction }, c: AgreedCase) => void;

/** Checks one rule in one direction. */
export function checkRule(file: string, rule: Rule, direction: Direction, options: CheckOptions = {}, keep?: KeepCase): RuleCheckResult {
  const wanted = options.instances ?? DEFAULT_INSTANCES;
  const seed = seedFor(options.seed ?? 0, `${file} ${rule.name} ${direction}`);
  const sides = directions(rule).find(([d]) => d === direction)![1];
  const setting = (name: string) => rule.sample.flatMap((h) => (h.kind === 'setting' && h.name === name ? [h.value] : []))[0];
  const tolerance = { rtol: setting('rtol') ?? DEFAULT_RTOL, atol: setting('atol') ?? DEFAULT_ATOL };
  const tensors = sideVariables(sides.from).tensors;
  const sampler = new Sampler(rule, tensors, seed);
  const coverage = new CoverageCounter(rule, tensors);
  const cap = wanted * (options.attemptsPerInstance ?? 100);
  const rejections = new Map<string, number>();
  let passed = 0;
  let attempt = 0;
  const base = { file, rule: rule.name, direction, ...tolerance };
  while (passed < wanted && attempt < cap) {
    const instance = sampler.draw(attempt);
    attempt++;
    const t = trial(sides, instance, sampler, tolerance, rule.condition);
    if (t.kind === 'reject') rejections.set(t.why, (rejections.get(t.why) ?? 0) + 1);
    else if (t.kind === 'agree') {
      passed++;
      coverage.add(instance);
      keep?.(base, { instance, source: t.source, target: t.target, inputs: t.inputs, ...tolerance });
    } else {
      const counterexample: Counterexample = {
        seed: instance.seed,
        attempt: attempt - 1,
        variables: describe(instance),
        output: t.output,
        maxAbsError: t.maxAbsError,
        maxRelError: t.maxRelError,
        problem: t.problem,
      };
      return { ...base, status: 'fail', instances: passed, attempts: attempt, counterexample, coverage: coverage.result() };
    }
  }
  const covered = coverage.result();
  if (passed === wanted) {
    const gaps = coverageGaps(covered);
    if (gaps.length)
      return { ...base, status: 'uncovered', instances: passed, attempts: attempt, coverage: covered, note: `no instance had ${gaps.join(', ')} above 1 (vary the sample hints)` };
    return { ...base, status: 'pass', instances: passed, attempts: attempt, coverage: covered };
  }
  const [why] = [...rejections].sort((a, b) => b[1] - a[1])[0] ?? ['no draws'];
  return {
    ...base,
    status: 'unsampled',
    instances: passed,
    attempts: attempt,
    coverage: covered,
    note: `${passed} of ${wanted} instances found in ${attempt} draws; most draws were rejected because ${why}`,
  };
}

/** Checks every rule of the given files (paths are loaded; a load error is thrown as RuleFileError). */
export function checkRules(files: readonly (string | RuleFile)[], options: CheckOptions = {}, keep?: KeepCase): CheckReport {
  const loaded = files.map((f) => (typeof f === 'string' ? loadRuleFile(f) : f));
  const results: RuleCheckResult[] = [];
  for (const file of loaded) {
    for (const rule of file.rules) {
      for (const [direction] of directions(rule)) results.push(checkRule(file.file, rule, direction, options, keep));
    }
  }
  return summarize(loaded, options, results);
}

/** The report of `results`, with its counts. */
export function summarize(files: readonly RuleFile[], options: CheckOptions, results: readonly RuleCheckResult[]): CheckReport {
  const count = (s: RuleCheckResult['status']) => results.filter((r) => r.status === s).length;
  return {
    files: files.map((f) => f.file),
    instances: options.instances ?? DEFAULT_INSTANCES,
    seed: options.seed ?? 0,
    results,
    passed: count('pass'),
    failed: count('fail'),
    unsampled: count('unsampled'),
    uncovered: count('uncovered'),
  };
}
