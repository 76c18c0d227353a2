/** FuseSwiGLU: mul(silu(gate), up) becomes one SwiGLU layer when the silu feeds nothing else. */
import { swiglu } from '../../network/functional/fused.js';
import type { Layer } from '../../network/layer.js';
import { sameShape } from '../../ops/shape.js';
import { PatternRewriter } from '../patterns.js';
import { replaceSubgraph } from '../replace-subgraph.js';

export class FuseSwiGLUPass extends PatternRewriter {
  constructor() {
    super('fuse_swiglu', { rootLayer: ['Mul'] });
  }

  override matchAndRewrite(mul: Layer): boolean {
    const [a, b] = mul.inputSlots;
    if (!a || !b || !sameShape(a.shape, b.shape)) return false;
    const gated = [a, b].find((t) => t.getParent()?.op === 'Silu' && t.getUsers().length === 1 && !t.isNetworkOutput());
    if (!gated) return false;
    const silu = gated.getParent()!;
    const up = gated === a ? b : a;
    replaceSubgraph(mul.network, {
      layers: [silu, mul],
      build: ([gate]) => [swiglu({ gate: gate!, up })],
    });
    return true;
  }
}
