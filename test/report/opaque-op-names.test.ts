/** An Opaque layer shows the op it keeps (com.microsoft::FastGelu), not "Opaque", in inspect and the report. */
import { describe, expect, it } from 'vitest';
import { roofline } from '../../src/cost/roofline.js';
import { Network } from '../../src/network/network.js';
import * as F from '../../src/network/functional/primitives.js';
import { optimizeSync } from '../../src/optimize.js';
import { renderHtmlReport } from '../../src/report/html.js';
import { formatInspection, inspectNetwork } from '../../src/report/inspect.js';

function withOpaque(): Network {
  const net = new Network('opaque');
  const x = net.addInput('x', 'float32', [2, 8]);
  const outputTypes = JSON.stringify([{ dtype: 'float32', shape: [2, 8] }]);
  const gelu = net.addLayer('Opaque', [F.relu(F.relu(x))], { domain: 'com.microsoft', opType: 'FastGelu', outputTypes }).outputs[0]!;
  net.markOutput(gelu, 'y');
  return net;
}

describe('opaque layers by their own op', () => {
  it('in inspect', () => {
    const text = formatInspection(inspectNetwork(withOpaque()));
    expect(text).toMatch(/com\.microsoft::FastGelu\s+1/);
    expect(text).not.toContain('Opaque');
  });

  it('in the HTML report (graphs and cost by op)', async () => {
    const before = withOpaque();
    const { network: after, report } = optimizeSync(before, { verify: false });
    const html = await renderHtmlReport({ title: 'opaque', before, after, report, model: roofline('h100-sxm') });
    expect(html).toContain('com.microsoft::FastGelu');
    expect(html).not.toMatch(/>Opaque</);
  });
});
