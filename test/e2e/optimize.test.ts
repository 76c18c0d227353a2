/**
 * End to end on networks shaped as the PyTorch exporter writes them, with the shipped rules: the
 * fused forms are chosen, predicted cost drops, the result verifies, unchanged layers keep their
 * identity and names, removed layers are marked and unused, and the input is untouched.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Network } from '../../src/network/network.js';
import { optimizeSync } from '../../src/optimize.js';
import type { OptimizeResult } from '../../src/optimize.js';
import { shippedRulePaths } from '../../src/rules/library.js';
import { ZOO } from '../../src/zoo/catalog.js';
import { randomNetwork } from '../support/random-network.js';

const opsOf = (n: Network) => new Set(n.layers.map((l) => l.op));

interface Case {
  zoo: string;
  fused: string[];
  /** Blocks whose q/k/v projections must become one MatMul. */
  mergedQkvBlocks?: number;
  /** A FusedLinear activation the GELU must end up in. */
  activation?: string;
  /** Fusions the shipped rules do not reach on this network, with the reason. */
  missing: { op: string; why: string }[];
}

const CASES: Case[] = [
  {
    zoo: 'llama',
    // RotaryEmbedding is reached too, then folded into GptAttention (rotaryDim) by attention-gqa-rotary-causal.
    fused: ['RMSNorm', 'SkipRMSNorm', 'GptAttention', 'SwiGLU'],
    mergedQkvBlocks: 2,
    missing: [],
  },
  // The exported GELUs become Gelu, then the FusedLinear's activation (linear-gelu, linear-gelu-tanh).
  { zoo: 'bert', fused: ['FusedLinear', 'GptAttention', 'SkipLayerNorm'], activation: 'gelu', missing: [] },
  { zoo: 'gpt2', fused: ['FusedLinear', 'GptAttention', 'SkipLayerNorm'], activation: 'gelu_tanh', missing: [] },
  { zoo: 'squeezenet-fire', fused: ['FusedConv'], missing: [] },
];

/** Llama blocks have q, k, v, o, gate, up, down projections: 7 MatMuls a block, 5 once q/k/v are one. */
const mergedQkv = (n: Network, blocks: number) => n.layers.filter((l) => l.op === 'MatMul').length <= 5 * blocks;

describe.each(CASES)('optimize on the exported $zoo', ({ zoo, fused, activation, mergedQkvBlocks, missing }) => {
  let input: Network;
  let before: string;
  let result: OptimizeResult;
  beforeAll(() => {
    input = ZOO[zoo]!();
    before = JSON.stringify(input.toJSON());
    result = optimizeSync(input, { verify: { seed: 1 } });
  });

  it.each(fused)('chooses %s', (op) => expect(opsOf(result.network).has(op)).toBe(true));

  if (mergedQkvBlocks) it('merges the q/k/v projections into one MatMul', () => expect(mergedQkv(result.network, mergedQkvBlocks)).toBe(true));

  if (activation) {
    it(`fuses the GELU into a FusedLinear (${activation})`, () =>
      expect(result.network.layers.some((l) => l.op === 'FusedLinear' && l.attributes['activation'] === activation)).toBe(true));
  }

  for (const m of missing) {
    it.fails(`does not reach ${m.op}: ${m.why}`, () => {
      expect(opsOf(result.network).has(m.op)).toBe(true);
    });
  }

  it('lowers the predicted cost and verifies', () => {
    expect(result.report.cost.after).toBeLessThan(result.report.cost.before);
    expect(result.report.verification.pass).toBe(true);
    result.network.validate();
  });

  it('leaves the input byte-identical', () => expect(JSON.stringify(input.toJSON())).toBe(before));

  it('keeps unchanged layers with their names and marks removed ones unused', () => {
    const removed = new Set(result.report.removed);
    for (const l of input.layers) {
      const out = result.network.getLayer(l.name)!;
      expect(out.op).toBe(l.op);
      expect(out.isRemoved()).toBe(removed.has(l.name));
    }
    const live = new Set(result.network.layers);
    for (const name of removed) {
      for (const t of result.network.getLayer(name)!.outputs) expect(t.getUsers().filter((u) => live.has(u))).toEqual([]);
    }
  });

  it('records provenance for every new layer', () => {
    for (const p of result.report.newLayers) expect(result.network.getLayer(p.layer)?.op).toBe(p.op);
    expect(result.report.newLayers.some((p) => p.rules.length > 0)).toBe(true);
  });
});

describe('optimize in place', () => {
  it('keeps the identity of every layer it does not remove', () => {
    const network = ZOO['gpt2']!();
    const layers = [...network.layers];
    const { network: out, report } = optimizeSync(network, { inPlace: true, verify: { seed: 2 } });
    expect(out).toBe(network);
    const removed = new Set(report.removed);
    for (const l of layers) expect(network.getLayer(l.name)).toBe(l);
    for (const l of layers) expect(l.isRemoved()).toBe(removed.has(l.name));
    expect(report.verification.pass).toBe(true);
  });

  it('reports the layers before the rewrite, with or without verification', () => {
    const copy = optimizeSync(ZOO['gpt2']!(), { verify: false }).report.layers;
    const inPlace = optimizeSync(ZOO['gpt2']!(), { inPlace: true, verify: false }).report.layers;
    expect(inPlace).toEqual(copy);
    expect(inPlace.before).toBeGreaterThan(inPlace.after);
  });
});

describe('property: random networks with the algebra rules', () => {
  const algebra = shippedRulePaths().filter((p) => p.endsWith('algebra.rules'));
  it('verify and validate after optimize', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), (seed) => {
        const network = randomNetwork(seed, { maxLayers: 8, symbolic: false });
        const { network: out, report } = optimizeSync(network, { rules: algebra, limits: { iterations: 3, nodes: 3_000, timeMs: 2_000 }, verify: { seed } });
        out.validate();
        expect(report.verification.pass).toBe(true);
      }),
      { numRuns: 40, seed: 7 },
    );
  });
});
