/**
 * check-rules' second oracle: both sides of agreeing instances are written as ONNX (fused ops in
 * their standard-op form, which the exporter writes independently of the interpreter's kernels) and
 * run in onnxruntime on the same seeded inputs. A rule that agrees with itself only because an
 * interpreter kernel is wrong on both sides is caught here. Instances onnxruntime cannot run (an
 * op without an ONNX form, a dtype without a kernel) are counted as skipped, with the first reason.
 * onnxruntime-node is loaded only here, so the interpreter-only check never loads the native runtime.
 */
import { NetsatError } from '../errors.js';
import { writeOnnx } from '../io/onnx/export.js';
import type { AgreedCase, CheckOptions, CheckReport, Counterexample, OrtVerdict, RuleCheckResult } from './check-rules.js';
import { checkRule, describe, directions, summarize } from './check-rules.js';
import { loadRuleFile } from './load.js';
import type { RuleFile } from './ast.js';

export interface OrtCheckOptions extends CheckOptions {
  /** Agreeing instances per rule direction that onnxruntime also runs (default: all of them). */
  ortInstances?: number;
}

/** onnxruntime runs float16 in half precision, op by op, where the interpreter keeps float32. */
const HALF_TOLERANCE = 2e-2;

type VerifyWithOrt = typeof import('../io/onnx/verify-ort.js')['verifyWithOrt'];

function usesHalf(c: AgreedCase): boolean {
  return [...c.instance.tensors.values()].some((t) => t.type.dtype === 'float16');
}

/** onnxruntime's verdict on one agreeing instance: equal, a counterexample, or why it could not run. */
async function runCase(c: AgreedCase, verify: VerifyWithOrt, attempt: number): Promise<{ skip: string } | { counterexample?: Counterexample }> {
  let models: [Uint8Array, Uint8Array];
  try {
    models = [writeOnnx(c.source), writeOnnx(c.target)];
  } catch (e) {
    if (e instanceof NetsatError) return { skip: `no ONNX form: ${e.what}` };
    throw e;
  }
  const tolerance = usesHalf(c) ? { rtol: Math.max(c.rtol, HALF_TOLERANCE), atol: Math.max(c.atol, HALF_TOLERANCE) } : { rtol: c.rtol, atol: c.atol };
  let result: Awaited<ReturnType<VerifyWithOrt>>;
  try {
    result = await verify(models[0], models[1], { seed: c.instance.seed, graphOptimizationLevel: 'disabled', ...tolerance });
  } catch (e) {
    return { skip: `onnxruntime cannot run it: ${(e as Error).message.split('\n')[0]}` };
  }
  const bad = result.outputs.findIndex((o) => !o.pass);
  if (bad < 0) return {};
  const o = result.outputs[bad]!;
  const problem = `onnxruntime: ${o.problem ?? `${o.mismatches} values differ beyond rtol ${tolerance.rtol}, atol ${tolerance.atol}`}`;
  return { counterexample: { seed: c.instance.seed, attempt, variables: describe(c.instance), output: bad, maxAbsError: o.maxAbsError, maxRelError: NaN, problem } };
}

/** onnxruntime's verdict on agreeing instances of one direction: the first disagreement ends it. */
export async function ortVerdict(cases: readonly AgreedCase[], verify: VerifyWithOrt): Promise<OrtVerdict> {
  let ran = 0;
  let skipped = 0;
  let skipReason: string | undefined;
  for (const [i, c] of cases.entries()) {
    const r = await runCase(c, verify, i);
    if ('skip' in r) {
      skipped++;
      skipReason ??= r.skip;
    } else if (r.counterexample) return { ran, skipped, ...(skipReason ? { skipReason } : {}), counterexample: r.counterexample };
    else ran++;
  }
  return { ran, skipped, ...(skipReason ? { skipReason } : {}) };
}

/** A direction the interpreter passed but onnxruntime contradicts fails, with onnxruntime's counterexample. */
function withVerdict(r: RuleCheckResult, ort: OrtVerdict): RuleCheckResult {
  return ort.counterexample && r.status === 'pass' ? { ...r, status: 'fail', counterexample: ort.counterexample, ort } : { ...r, ort };
}

/** checkRules with onnxruntime as a second oracle on `ortInstances` agreeing instances per direction. */
export async function checkRulesWithOrt(files: readonly (string | RuleFile)[], options: OrtCheckOptions = {}): Promise<CheckReport> {
  const { verifyWithOrt } = await import('../io/onnx/verify-ort.js');
  const loaded = files.map((f) => (typeof f === 'string' ? loadRuleFile(f) : f));
  const limit = options.ortInstances ?? Infinity;
  const results: RuleCheckResult[] = [];
  for (const file of loaded) {
    for (const rule of file.rules) {
      for (const [direction] of directions(rule)) {
        // One direction's networks at a time: they are dropped once onnxruntime has run them.
        const cases: AgreedCase[] = [];
        const r = checkRule(file.file, rule, direction, options, (_, c) => {
          if (cases.length < limit) cases.push(c);
        });
        results.push(withVerdict(r, await ortVerdict(cases, verifyWithOrt)));
      }
    }
  }
  return summarize(loaded, options, results);
}
