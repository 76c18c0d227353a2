/**
 * The "matches skipped because a shape or constant is not known" note counts only matches whose
 * condition needed something unknown. A condition about an input the match leaves absent (a Gemm
 * without C under linear-gemm) or about a computed tensor where a constant mask is wanted does not
 * hold: GPT-2, whose shapes are all static, reported 318 such matches as unknown.
 */
import { describe, expect, it } from 'vitest';
import { networkToEGraph } from '../../src/lower/to-egraph.js';
import { Network } from '../../src/network/network.js';
import * as F from '../../src/network/functional/primitives.js';
import { loadRuleFile, loadRuleText } from '../../src/rules/load.js';
import { saturateEGraph } from '../../src/tensor/saturate.js';

const total = (counts: ReadonlyMap<string, number>) => [...counts.values()].reduce((a, b) => a + b, 0);

describe('skipped matches', () => {
  it('a condition about an absent optional input is false, not unknown (Gemm without a bias)', () => {
    const net = new Network();
    const x = net.addInput('x', 'float32', [4, 8]);
    const w = net.addConstant({ name: 'w', dtype: 'float32', shape: [8, 16] });
    net.markOutput(net.addLayer('Gemm', [x, w, undefined]).outputs[0]!, 'y');
    const { skipped } = saturateEGraph(networkToEGraph(net), [loadRuleFile('rules/fusion-llm.rules')]);
    expect(total(skipped.undecided)).toBe(0);
  });

  it('is_causal_mask of a computed tensor is false; of a symbolic shape still unknown', () => {
    const rules = [loadRuleText('rule r: (Softmax (Add ?s ?m)) => (Softmax ?s) if is_causal_mask(?m, shape(?s))', 'test.rules')];
    const net = new Network();
    const s = net.addInput('s', 'float32', [1, 2, 4, 4]);
    const m = F.relu(net.addInput('m', 'float32', [4, 4]));
    net.markOutput(F.softmax(F.add(s, m), -1), 'y');
    expect(total(saturateEGraph(networkToEGraph(net), rules).skipped.undecided)).toBe(0);

    const symbolic = [loadRuleText('rule q: (Relu ?x) => ?x if dim(?x, 0) > 1', 'test.rules')];
    const sym = new Network();
    sym.markOutput(F.relu(sym.addInput('x', 'float32', ['batch', 4])), 'y');
    expect(saturateEGraph(networkToEGraph(sym), symbolic).skipped.undecided.get('q')).toBe(1);
  });
});
