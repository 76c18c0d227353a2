/**
 * The built-in imperative passes (TensorRT-LLM's `optimize(net)`, extended). Attention-bias
 * folding runs to its fixpoint first, so the matmul-bias fusion cannot take the bias add it needs.
 */
import type { Network } from '../network/network.js';
import { RewritePatternManager } from './managers.js';
import type { RewriteOptions, RewriteReport } from './managers.js';
import { FuseAttentionWithBiasPass } from './passes/fuse-attention-with-bias.js';
import { FuseMatMulBiasPass } from './passes/fuse-matmul-bias.js';
import { FuseSwiGLUPass } from './passes/fuse-swiglu.js';

/** The built-in passes as managers, run in this order. */
export function builtinPassManagers(): RewritePatternManager[] {
  return [
    new RewritePatternManager().add('fuse_attention_with_bias', new FuseAttentionWithBiasPass()),
    new RewritePatternManager().add('fuse_matmul_bias', new FuseMatMulBiasPass(), 0).add('fuse_swiglu', new FuseSwiGLUPass(), 1),
  ];
}

/** Runs the built-in passes in place, all or nothing; the report lists every rewrite. */
export function runBuiltinPasses(network: Network, options: RewriteOptions = {}): RewriteReport {
  return network.transaction(() => {
    const report: RewriteReport = { passes: 0, applications: [] };
    for (const manager of builtinPassManagers()) {
      const r = manager.rewrite(network, options);
      report.passes += r.passes;
      report.applications.push(...r.applications);
    }
    return report;
  });
}
