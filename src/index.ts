/**
 * netsat: an equality-saturation optimizer for neural-network graphs.
 *
 * The public face only. Nothing inside src/ imports this file; every import arrow points at the
 * file that defines the name.
 */

// ---- errors ----
export { NetsatError, NetworkError, ShapeError, AttributeError, FormatError, PatternError, InterpretError } from './errors.js';

// ---- ops ----
export type { DType, Dim, Shape, TensorType, Attrs, AttrValue, NDArray, OpDef, CostFacts } from './ops/types.js';
export { getOp, hasOp, opNames, resolveAttrs, inferTypes } from './ops/registry.js';
export { ndarray } from './ops/ndarray.js';

// ---- network ----
export { Network } from './network/network.js';
export type { ConstantSpec, AddLayerOptions } from './network/network.js';
export { Tensor } from './network/tensor.js';
export { Layer } from './network/layer.js';
export type { ReplaceOptions } from './network/replace-uses.js';
export { FLayerInfo, FLayerInfoMemo, TENSOR_PLACEHOLDER } from './network/flayer-info.js';
export type { Signature } from './network/flayer-info.js';
export { recordSignature } from './network/record-signature.js';
export type { NetworkJSON } from './network/serialize.js';
export { NETWORK_FORMAT, NETWORK_FORMAT_VERSION } from './network/serialize.js';
import * as primitives from './network/functional/primitives.js';
import * as fused from './network/functional/fused.js';
/** The functional builders, one per op: `F.matmul(a, b)`, `F.rmsNorm(x, w, {epsilon})`, `F.gptAttention({...})`. */
export const F = { ...primitives, ...fused };

// ---- rewriting ----
export { PatternRewriter, PatternAnalyzer } from './rewriting/patterns.js';
export type { PatternOptions, RewriterOptions } from './rewriting/patterns.js';
export { RewritePatternManager, AnalysisPatternManager } from './rewriting/managers.js';
export type { RewriteReport, RewriteApplication, RewriteOptions, AnalysisFinding } from './rewriting/managers.js';
export { replaceSubgraph, subgraphBoundary } from './rewriting/replace-subgraph.js';
export type { ReplaceSubgraphSpec, ReplaceSubgraphResult, SubgraphBoundary } from './rewriting/replace-subgraph.js';
export { FuseAttentionWithBiasPass } from './rewriting/passes/fuse-attention-with-bias.js';
export { FuseMatMulBiasPass } from './rewriting/passes/fuse-matmul-bias.js';
export { FuseSwiGLUPass } from './rewriting/passes/fuse-swiglu.js';
export { builtinPassManagers, runBuiltinPasses } from './rewriting/builtin-passes.js';

// ---- verification ----
export { interpret } from './interp/interpret.js';
export type { InterpretOptions } from './interp/interpret.js';
export { verifyEquivalent, drawInputs } from './interp/verify.js';
export type { VerifyOptions, VerifyResult, OutputComparison } from './interp/verify.js';

// ---- examples and reports ----
export { buildLlama, LLAMA_7B, TINY_LLAMA } from './zoo/llama.js';
export type { LlamaConfig } from './zoo/llama.js';
export { opCounts, formatOpTable } from './report/op-table.js';
