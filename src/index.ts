/**
 * netsat: an equality-saturation optimizer for neural-network graphs.
 *
 * The public face only. Nothing inside src/ imports this file; every import arrow points at the
 * file that defines the name.
 */

// ---- errors ----
export { NetsatError, NetworkError, ShapeError, AttributeError, FormatError, PatternError, InterpretError, VerificationError, BudgetError } from './errors.js';
export { DEFAULT_MAX_MEMORY_BYTES, parseByteSize } from './budget.js';
export type { BudgetReport } from './budget.js';

// ---- ops ----
export type { DType, Dim, Shape, TensorType, Attrs, AttrValue, NDArray, OpDef, CostFacts } from './ops/types.js';
export { getOp, hasOp, opNames, resolveAttrs, inferTypes } from './ops/registry.js';
export { ndarray } from './ops/ndarray.js';

// ---- network ----
export { Network } from './network/network.js';
export { subnetwork } from './network/subnetwork.js';
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
export { verifyEquivalent, drawInputs, inputSets } from './interp/verify.js';
export type { VerifyOptions, VerifyResult, OutputComparison, VerifiedOutput, InputSet } from './interp/verify.js';
export { verifyOptimized, verifyOptimizedSync, checkVerifiable } from './verification.js';
export { UnverifiableError, MAX_ARRAY_ELEMENTS } from './verifiable.js';
export type { VerificationOptions } from './verification.js';
export type { InputValues } from './interp/given-inputs.js';

// ---- the e-graph engine (generic: knows nothing about tensors) ----
export { EGraph } from './egraph/egraph.js';
export type { EGraphOptions } from './egraph/egraph.js';
export { SymbolLanguage } from './egraph/language.js';
export type { Language, ResolvedOp } from './egraph/language.js';
export type { Analysis, Merged } from './egraph/analysis.js';
export { Pattern } from './egraph/pattern.js';
export { MultiPattern } from './egraph/multipattern.js';
export { Rewrite, rewrite } from './egraph/rewrite.js';
export type { Match, Condition, ApplierFunction, Applier, Searcher, RewriteSpec } from './egraph/rewrite.js';
export { Runner } from './egraph/runner.js';
export type { RunnerOptions, RunnerLimits, RunnerHooks, RunReport, IterationReport, StopReason } from './egraph/runner.js';
export { SimpleScheduler, BackoffScheduler } from './egraph/scheduler.js';
export type { Scheduler } from './egraph/scheduler.js';
export type { Explanation, ExplanationStep } from './egraph/explain.js';
export { formatTerm, sameTerm } from './egraph/term.js';
export type { Term } from './egraph/term.js';
export { toDot as egraphToDot } from './egraph/dot.js';
export { extractSmallest } from './egraph/extract-smallest.js';
export { saturateWorkloadFile, runWorkload, loadWorkload, parseWorkload, formatWorkloadTable } from './egraph/workload.js';
export type { Workload, WorkloadResult, WorkloadIteration, WorkloadRunOptions } from './egraph/workload.js';
export { EGraphError, PatternSyntaxError, UnknownOpError, ArityError, RuleError, WorkloadError, EGraphStateError } from './egraph/errors.js';

// ---- the tensor language ----
export { TensorLanguage } from './tensor/language.js';
export { TensorAnalysis } from './tensor/analysis.js';
export type { TensorData } from './tensor/analysis.js';
export { compileRules, RuleCompileError } from './tensor/compile-rules.js';

// ---- rule files ----
export type { RuleFile, Rule } from './rules/ast.js';
export { loadRuleFile, loadRuleText } from './rules/load.js';
export { shippedRuleFiles, shippedRulePaths, loadRuleFiles } from './rules/library.js';
export { RuleSyntaxError, RuleFileError } from './rules/errors.js';
export { printRules } from './rules/print.js';
export { checkRules } from './rules/check-rules.js';
export type { CheckOptions, CheckReport } from './rules/check-rules.js';
export { checkRulesWithOrt } from './rules/ort-check.js';
export type { OrtCheckOptions } from './rules/ort-check.js';
export { formatCheckReport } from './rules/format-check-report.js';
export { saturateEGraph, DEFAULT_LIMITS } from './tensor/saturate.js';
export type { SaturateOptions } from './tensor/saturate.js';
export { TensorScheduler } from './tensor/scheduler.js';
export { tensorNodeCost } from './tensor/cost.js';
export { networkToEGraph } from './lower/to-egraph.js';
export type { NetworkEGraph } from './lower/to-egraph.js';
export { lowerSelection, LoweringError } from './lower/from-selection.js';
export type { Provenance, LoweringResult } from './lower/from-selection.js';

// ---- cost models and extraction ----
export type { CostModel } from './cost/cost-model.js';
export { roofline } from './cost/roofline.js';
export type { RooflineModel, RooflineOptions } from './cost/roofline.js';
export { loadDevice, DEVICE_IDS } from './cost/device.js';
export type { DeviceSpec, DeviceId } from './cost/device.js';
export { networkCost, costByOp } from './cost/network-cost.js';
export { nodeCount } from './cost/node-count.js';
export { astSize } from './cost/ast-size.js';
export { measured } from './cost/measured.js';
export type { MeasuredTable, MeasuredEntry, MeasuredOptions } from './cost/measured.js';
export { CostModelError } from './cost/errors.js';
export { extract } from './extract/extract.js';
export type { ExtractOptions, EGraphExtractOptions, EGraphSelection } from './extract/extract.js';
export { createProblem } from './extract/problem.js';
export type { ExtractionProblem, ProblemSpec } from './extract/problem.js';
export { dagCost, checkSelection } from './extract/selection.js';
export type { Selection, ExtractorName, SelectionStatus } from './extract/selection.js';
export { problemFromEGraph } from './extract/from-egraph.js';
export type { NodeCostFunction, EGraphProblem } from './extract/from-egraph.js';
export { ExtractionProblemError, UnextractableError, SelectionError } from './extract/errors.js';
export { parseExtractionGym, loadExtractionGym, ExtractionGymFormatError } from './io/extraction-gym.js';
export type { ExtractionGymGraph } from './io/extraction-gym.js';

// ---- ONNX ----
export { readOnnx, readOnnxFile, OPSET_RANGE } from './io/onnx/decode.js';
export type { OnnxReadOptions, OnnxModel } from './io/onnx/decode.js';
export { writeOnnx } from './io/onnx/export.js';
export type { OnnxWriteOptions } from './io/onnx/export.js';
export type { ExportTarget } from './io/onnx/emit.js';
export { onnxOriginOf } from './io/onnx/origin.js';
export type { OnnxOrigin } from './io/onnx/origin.js';
export { OnnxImportError, OnnxExportError } from './io/onnx/errors.js';
export { readInputSet, readInputSets } from './io/onnx/input-sets.js';
export { verifyWithOrt } from './io/verify-with-ort.js';
export type { OrtVerifyOptions, OrtVerifyResult } from './io/onnx/verify-ort.js';

// ---- the pipeline ----
export { optimize, optimizeSync } from './optimize.js';
export type { OptimizeOptions, OptimizeResult } from './optimize.js';
export type { OptimizeReport, ProofStep, VerificationReport, CheckedOutput, Healing, StageTimes } from './report/optimize-report.js';
export { SaturationPass } from './saturation-pass.js';
export type { SaturationPassOptions } from './saturation-pass.js';
export { readNetworkFile, writeNetworkFile, NetworkFileError } from './io/network-file.js';
export type { NetworkFile, NetworkProvenance } from './io/network-file.js';
export { toExtractionGymJSON } from './io/extraction-gym-export.js';
export { renderHtmlReport } from './report/html.js';
export { whyNot, formatWhyNot, WhyNotError } from './report/why-not.js';
export type { WhyNotResult } from './report/why-not.js';
export { explainLayer, ExplainError } from './report/explain-layer.js';
export { inspectNetwork, formatInspection } from './report/inspect.js';

// ---- examples and reports ----
export { buildLlama, LLAMA_7B, TINY_LLAMA } from './zoo/llama.js';
export type { LlamaConfig } from './zoo/llama.js';
export { buildExportedLlama, EXPORTED_LLAMA_EXAMPLE } from './zoo/llama-exported.js';
export { buildBertBlock, TINY_BERT } from './zoo/bert.js';
export type { BertConfig } from './zoo/bert.js';
export { buildGpt2Block, TINY_GPT2 } from './zoo/gpt2.js';
export type { Gpt2Config } from './zoo/gpt2.js';
export { buildFireModule, TINY_FIRE } from './zoo/squeezenet.js';
export type { FireConfig } from './zoo/squeezenet.js';
export { ZOO, ZOO_ENTRIES, zooEntry, zooNetwork } from './zoo/catalog.js';
export type { ZooEntry } from './zoo/catalog.js';
export { opCounts, formatOpTable } from './report/op-table.js';

// ---- benchmarking fusion strategies (netsat bench) ----
export { bench } from './benchmark/bench.js';
export type { BenchOptions } from './benchmark/bench.js';
export type { BenchResult, CellResult, MeasuredLatency, Spread, BenchEnvironment, BenchSettings } from './benchmark/result.js';
export { BUILT_IN_STRATEGIES } from './benchmark/strategy.js';
export type { Strategy, StrategyLimits } from './benchmark/strategy.js';
export { readStrategyFile, parseStrategy, STRATEGY_FORMAT } from './benchmark/strategy-file.js';
export { BENCH_RESULT_SCHEMA } from './benchmark/bench-schema.js';
export { writeBenchOutputs } from './benchmark/write-outputs.js';
export { BenchInputError, StrategyFileError } from './benchmark/errors.js';
