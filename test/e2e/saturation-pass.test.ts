/** Imperative patterns and saturation in one RewritePatternManager, in benefit order. */
import { describe, expect, it } from 'vitest';
import { identity } from '../../src/network/functional/primitives.js';
import type { Layer } from '../../src/network/layer.js';
import { verifyEquivalent } from '../../src/interp/verify.js';
import { RewritePatternManager } from '../../src/rewriting/managers.js';
import { PatternRewriter } from '../../src/rewriting/patterns.js';
import { SaturationPass } from '../../src/saturation-pass.js';
import { ZOO } from '../../src/zoo/catalog.js';

/** Inserts an Identity after each Softmax once (before saturation), which the algebra rules remove. */
class GuardSoftmax extends PatternRewriter {
  constructor() {
    super('guard_softmax', { rootLayer: ['Softmax'] });
  }
  override matchAndRewrite(layer: Layer): boolean {
    const out = layer.outputs[0]!;
    if (out.getUsers().some((u) => u.op === 'Identity')) return false;
    const users = out.getUsers();
    const guarded = identity(out);
    for (const u of users) u.inputSlots.forEach((t, i) => t === out && u.setInput(i, guarded));
    return true;
  }
}

/** Records the ops it sees after saturation, without changing anything. */
class Census extends PatternRewriter {
  readonly seen = new Set<string>();
  constructor() {
    super('census');
  }
  override matchAndRewrite(layer: Layer): boolean {
    this.seen.add(layer.op);
    return false;
  }
}

describe('SaturationPass in a RewritePatternManager', () => {
  it('runs between imperative patterns, once per network state', () => {
    const network = ZOO['gpt2']!();
    const original = network.clone();
    const saturation = new SaturationPass({ verify: false, limits: { iterations: 12, nodes: 50_000 } });
    const census = new Census();
    const manager = new RewritePatternManager().add('guard', new GuardSoftmax(), 0).add('saturate', saturation, 1).add('census', census, 2);
    const report = manager.rewrite(network);
    expect(report.applications.filter((a) => a.label === 'guard').length).toBeGreaterThan(0);
    const runs = report.applications.filter((a) => a.label === 'saturate');
    expect(runs.length).toBe(saturation.reports.length);
    expect(runs.length).toBeGreaterThan(0);
    expect(census.seen.has('GptAttention')).toBe(true);
    network.validate();
    expect(verifyEquivalent(original, network, { seed: 3 }).pass).toBe(true);
  });
});
