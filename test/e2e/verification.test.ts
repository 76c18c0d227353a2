/**
 * Verification by default, with teeth: several input sets with distinct sizes, a typed
 * VerificationError that names the failing output, in-place runs rolled back, and healing that
 * finds the rule that broke the result.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VerificationError } from '../../src/errors.js';
import { findCulprits } from '../../src/heal.js';
import { inputSets, verifyEquivalent } from '../../src/interp/verify.js';
import { Network } from '../../src/network/network.js';
import * as F from '../../src/network/functional/primitives.js';
import { optimize, optimizeSync } from '../../src/optimize.js';
import { loadRuleText } from '../../src/rules/load.js';
import { shippedRuleFiles } from '../../src/rules/library.js';

/** y = relu(-x) + x·sigmoid(x), z = tanh(x) over x[batch, seq, 4]. */
function sample(): Network {
  const net = new Network('sample');
  const x = net.addInput('x', 'float32', ['batch', 'seq', 4]);
  net.markOutput(F.add(F.relu(F.neg(x)), F.mul(x, F.sigmoid(x))), 'y');
  net.markOutput(F.tanh(x), 'z');
  return net;
}

// Two unsound rules, each changing one output (and saving a layer, so extraction takes them).
const WRONG = loadRuleText(['rule drop-neg: (Neg ?x) => ?x', 'rule drop-tanh: (Tanh ?x) => ?x'].join('\n'), 'wrong.rules');
const rules = (...extra: (typeof WRONG)[]) => [...shippedRuleFiles(), ...extra];

describe('input sets', () => {
  it('bind the symbolic dims to distinct values in each set, and other values in each next set', () => {
    const sets = inputSets(sample(), { seed: 4 });
    expect(sets.map((s) => s.seed)).toEqual([4, 5, 6]);
    for (const s of sets) expect(s.symbolValues['batch']).not.toBe(s.symbolValues['seq']);
    expect(new Set(sets.map((s) => s.symbolValues['batch'])).size).toBe(3);
    expect(inputSets(sample(), { symbolValues: { seq: 7 } }).every((s) => s.symbolValues['seq'] === 7 && s.symbolValues['batch']! > 1)).toBe(true);
  });
});

describe('optimize verifies by default', () => {
  it('on three input sets with distinct sizes', async () => {
    const { report } = await optimize(sample());
    const v = report.verification;
    if (v.skipped !== undefined) throw new Error(`not verified: ${v.skipped}`);
    expect(v.pass).toBe(true);
    expect(v.sets.length).toBe(3);
    expect(v.sets.map((s) => s.symbolValues['batch'])).toEqual([2, 3, 5]);
    expect(v.sets.map((s) => s.symbolValues['seq'])).toEqual([3, 5, 7]);
  });

  it('a broadcasting one-element constant is not folded away (x[4] · ones[1,1,1] is [1,1,4])', async () => {
    const net = new Network();
    const x = net.addInput('x', 'float32', [4]);
    const ones = net.addConstant({ name: 'ones', dtype: 'float32', shape: [1, 1, 1], data: [1] });
    net.markOutput(F.mul(x, ones), 'y');
    const { network, report } = await optimize(net);
    expect(report.verification.pass).toBe(true);
    expect(network.outputs[0]!.shape).toEqual([1, 1, 4]);
  });
});

describe('a failed check never returns the wrong network', () => {
  it("onUnsound 'throw': a VerificationError naming the output and the input set", async () => {
    const err = await optimize(sample(), { rules: rules(WRONG), onUnsound: 'throw' }).catch((e) => e);
    expect(err).toBeInstanceOf(VerificationError);
    expect((err as VerificationError).failing).toEqual(['y', 'z']);
    expect((err as Error).message).toMatch(/output "y"/);
    expect((err as Error).message).toMatch(/input set \d \(seed \d+; batch=\d, seq=\d\)/);
  });

  it('in place, a failed check rolls the input back exactly (throw, and optimizeSync)', async () => {
    for (const run of [
      (n: Network) => optimize(n, { rules: rules(WRONG), onUnsound: 'throw', inPlace: true }),
      async (n: Network) => optimizeSync(n, { rules: rules(WRONG), inPlace: true }),
    ]) {
      const net = sample();
      const before = JSON.stringify(net.toJSON());
      await expect(run(net)).rejects.toBeInstanceOf(VerificationError);
      expect(JSON.stringify(net.toJSON())).toBe(before);
    }
  });

  it('heals by default: the culprits are named, the result verifies, the smallest failing part is written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netsat-heal-'));
    const path = join(dir, 'repro.json');
    const input = sample();
    const { network, report } = await optimize(input, { rules: rules(WRONG), reproducerPath: path });
    expect(report.healing?.culprits).toEqual(expect.arrayContaining(['drop-neg', 'drop-tanh']));
    expect(report.healing!.culprits).toHaveLength(2);
    expect(report.healing!.failed.pass).toBe(false);
    expect(report.verification.pass).toBe(true);
    for (const symbolValues of [
      { batch: 2, seq: 3 },
      { batch: 5, seq: 2 },
    ])
      expect(verifyEquivalent(input, network, { symbolValues, seed: 9 }).pass).toBe(true);
    expect(existsSync(path)).toBe(true);
    const repro = JSON.parse(readFileSync(path, 'utf8'));
    expect(report.healing!.reproducer.layers).toBeLessThan(input.layers.length);
    expect(JSON.stringify(repro)).toMatch(/Neg|Tanh/);
  });

  it('heals in place: the input holds the verified result', async () => {
    const net = sample();
    const reference = sample();
    const { network, report } = await optimize(net, { rules: rules(WRONG), inPlace: true });
    expect(network).toBe(net);
    expect(report.healing!.culprits).toHaveLength(2);
    expect(verifyEquivalent(reference, net, { symbolValues: { batch: 3, seq: 2 } }).pass).toBe(true);
  });

  it('disableRules leaves rules out, and a name that is no rule is a typed error', async () => {
    const { report } = await optimize(sample(), { rules: rules(WRONG), disableRules: ['drop-neg', 'drop-tanh'] });
    expect(report.healing).toBeUndefined();
    expect(report.rules.map((r) => r.name)).not.toContain('drop-neg');
    await expect(optimize(sample(), { disableRules: ['no-such-rule'] })).rejects.toThrow(/no rule is named "no-such-rule"/);
  });
});

describe('findCulprits', () => {
  it('finds exactly the rules whose absence is needed, when verification holds once all of them are off', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 12 }), fc.array(fc.nat(11), { maxLength: 4 }), async (n, picks) => {
        const suspects = Array.from({ length: n }, (_, i) => `r${i}`);
        const bad = new Set(picks.filter((p) => p < n).map((p) => `r${p}`));
        let runs = 0;
        const verifies = async (off: readonly string[]) => {
          runs++;
          return [...bad].every((b) => off.includes(b));
        };
        const found = await findCulprits(suspects, verifies);
        expect(new Set(found)).toEqual(bad);
        expect(runs).toBeLessThanOrEqual(2 + bad.size * (1 + Math.ceil(Math.log2(n + 1))));
      }),
      { seed: 11, numRuns: 200 },
    );
  });

  it('is undefined when switching every suspect off does not verify', async () => {
    expect(await findCulprits(['a', 'b'], async () => false)).toBeUndefined();
  });
});
