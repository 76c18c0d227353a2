/** FuseMatMulBias: MatMul followed by the add of a constant bias becomes one FusedLinear layer. */
import { fusedLinear } from '../../network/functional/fused.js';
import type { Layer } from '../../network/layer.js';
import type { Tensor } from '../../network/tensor.js';
import { PatternRewriter } from '../patterns.js';
import { replaceSubgraph } from '../replace-subgraph.js';
import { isConstantFoldable } from './constant-foldable.js';

export class FuseMatMulBiasPass extends PatternRewriter {
  constructor() {
    super('fuse_matmul_bias', { rootLayer: ['Add'] });
  }

  override matchAndRewrite(add: Layer): boolean {
    const [a, b] = add.inputSlots;
    if (!a || !b) return false;
    const matmulOut = [a, b].find((t) => t.getParent()?.op === 'MatMul' && t.getUsers().length === 1 && !t.isNetworkOutput());
    if (!matmulOut) return false;
    const bias = matmulOut === a ? b : a;
    const matmul = matmulOut.getParent()!;
    const [x, w] = matmul.inputSlots as Tensor[];
    const n = w!.shape[w!.shape.length - 1];
    if (w!.shape.length !== 2 || bias.shape.length !== 1 || bias.shape[0] !== n || !isConstantFoldable(bias)) return false;
    if (add.outputs[0]!.dtype !== matmulOut.dtype || add.outputs[0]!.shape.length !== matmulOut.shape.length) return false;
    replaceSubgraph(add.network, {
      layers: [matmul, add],
      build: () => [fusedLinear({ input: x!, weight: w!, bias })],
    });
    return true;
  }
}
