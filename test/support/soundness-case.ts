/**
 * One case of the soundness property: optimize a network as a user would (all shipped rules,
 * default limits and options) and judge what comes back. The result must compute what the input
 * computes, which is checked here independently of the optimizer's own verification: several
 * seeds, with batch and sequence bound to distinct values above 1, both ways round. A throw must
 * be a typed NetsatError. Anything else is a wrong result or an untyped error. A result optimize
 * had to heal is right, but names rules that do not hold on the network (its culprits).
 */
import { NetsatError } from '../../src/errors.js';
import { verifyEquivalent } from '../../src/interp/verify.js';
import type { Network } from '../../src/network/network.js';
import { optimize } from '../../src/optimize.js';
import type { OptimizeOptions, OptimizeResult } from '../../src/optimize.js';
import type { OptimizeReport } from '../../src/report/optimize-report.js';
import { shippedRuleFiles } from '../../src/rules/library.js';
import { BATCH, SEQ } from './random-block-network.js';

/**
 * optimize()'s default rules, parsed once: the same files it loads when given none, without parsing
 * them again for every case (a third of a second each time).
 */
const SHIPPED_RULES = shippedRuleFiles();

/** The independent checks: distinct values so batch and sequence cannot stand in for each other. */
export const SOUNDNESS_CHECKS = [
  { seed: 11, symbolValues: { [BATCH]: 2, [SEQ]: 3 } },
  { seed: 12, symbolValues: { [BATCH]: 3, [SEQ]: 2 } },
  { seed: 13, symbolValues: { [BATCH]: 2, [SEQ]: 5 } },
] as const;

export type SoundnessOutcome =
  | { kind: 'verified'; report: OptimizeReport }
  | { kind: 'healed'; report: OptimizeReport; culprits: readonly string[] }
  | { kind: 'wrong'; report: OptimizeReport; failure: string; rules: string[] }
  | { kind: 'typed'; errorClass: string; message: string }
  | { kind: 'untyped'; errorClass: string; message: string };

/** The first check the optimized network fails, in words, or undefined when all pass. */
function firstFailure(input: Network, output: Network): string | undefined {
  for (const check of SOUNDNESS_CHECKS) {
    const { outputs } = verifyEquivalent(input, output, check);
    const bad = outputs.find((o) => !o.pass);
    if (bad) {
      const values = Object.entries(check.symbolValues)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ');
      return `output ${bad.name} (seed ${check.seed}, ${values}): ${bad.problem ?? `${bad.mismatches} values differ, max error ${bad.maxAbsError}`}`;
    }
  }
  return undefined;
}

/**
 * Optimizes `network` with the defaults and judges the result (the input is not modified).
 * `onUnsound: 'throw'` turns healing off, so an unsound rule ends in a VerificationError.
 */
export async function soundnessCase(network: Network, options: Pick<OptimizeOptions, 'onUnsound'> = {}): Promise<SoundnessOutcome> {
  let result: OptimizeResult;
  try {
    result = await optimize(network, { ...options, rules: SHIPPED_RULES });
  } catch (e) {
    const error = e instanceof Error ? e : new Error(String(e));
    return { kind: e instanceof NetsatError ? 'typed' : 'untyped', errorClass: error.constructor.name, message: error.message };
  }
  const { network: optimized, report } = result;
  let failure: string | undefined;
  try {
    failure = firstFailure(network, optimized);
  } catch (e) {
    // The optimized network does not even run (or has other inputs): as wrong as a wrong value.
    failure = `the optimized network cannot be run: ${(e as Error).message}`;
  }
  if (failure === undefined) return report.healing ? { kind: 'healed', report, culprits: report.healing.culprits } : { kind: 'verified', report };
  const rules = [...new Set(report.newLayers.flatMap((l) => l.rules))].sort();
  return { kind: 'wrong', report, failure, rules };
}

/** A one-line account of an outcome, for a failing assertion or the benchmark's list. */
export function describeOutcome(outcome: SoundnessOutcome): string {
  switch (outcome.kind) {
    case 'verified':
      return 'verified';
    case 'healed':
      return `healed: verified without ${outcome.culprits.join(', ')}`;
    case 'wrong':
      return `wrong result: ${outcome.failure}; rules of the new layers: ${outcome.rules.join(', ') || '(none)'}`;
    default:
      return `${outcome.kind} ${outcome.errorClass}: ${outcome.message.split('\n')[0]}`;
  }
}
