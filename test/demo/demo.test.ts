/** `netsat demo`: the built-in passes on the two-block Llama example, verified against the original. */
import { describe, expect, it } from 'vitest';
import { runDemo } from '../../src/demo.js';

describe('runDemo', () => {
  const { summary, text } = runDemo();

  it('fuses with the built-in passes and verifies the result', () => {
    expect(summary.rewrites.length).toBeGreaterThan(0);
    expect(summary.layersAfter).toBeLessThan(summary.layersBefore);
    expect(summary.verified).toBe(true);
    expect(summary.maxAbsError).toBeLessThan(1e-4);
  });

  it('reports the same layer totals in the summary, the op rows and the text', () => {
    const total = summary.ops.at(-1)!;
    expect(total).toEqual({ op: 'Total', before: summary.layersBefore, after: summary.layersAfter });
    for (const r of summary.rewrites) expect(text).toContain(`${r.label} at ${r.layer}`);
    expect(text).toContain('PASS');
  });
});
