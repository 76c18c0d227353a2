/**
 * What optimize() reports: the saturation run, extraction, cost, layers by op, new layers with
 * their provenance and proofs, verification and stage times. It lives beside the summaries and the
 * HTML report that read it, so report/ needs nothing from the pipeline above it.
 */
import type { RunReport } from '../egraph/runner.js';
import type { ExtractorName, SelectionStatus } from '../extract/selection.js';
import type { Provenance } from '../lower/from-selection.js';
import type { InputSet, VerifiedOutput } from '../interp/verify.js';
import type { OpTableRow } from './op-table.js';
import type { BudgetReport } from '../budget.js';

export interface StageTimes {
  toEGraphMs: number;
  saturateMs: number;
  extractMs: number;
  lowerMs: number;
  verifyMs: number;
  totalMs: number;
}

export type StageName = 'to e-graph' | 'saturate' | 'extraction problem' | 'extract' | 'lower' | 'verify';

/** One stage of a run: its time, and the process's resident memory at its end and peak so far. */
export interface StageProfile {
  stage: StageName;
  ms: number;
  rssBytes: number;
  peakRssBytes: number;
}

/** One rewrite on the path from a new layer's original term to the chosen one. */
export interface ProofStep {
  rule: string;
  direction: 'forward' | 'backward';
  /** The op at the top of the term after this step. */
  op: string;
}

/** One output's worst comparison over the input sets, and which set (an index into `sets`) it was. */
export interface CheckedOutput extends VerifiedOutput {
  readonly set: number;
}

/**
 * How the result was checked: by the reference interpreter, or by onnxruntime when the network has
 * ops the interpreter cannot run (opaque ONNX ops), on each of `sets`; or why it was not.
 */
export type VerificationReport =
  | { method: 'interpreter' | 'onnxruntime'; pass: boolean; outputs: readonly CheckedOutput[]; sets: readonly InputSet[]; skipped?: undefined }
  | { skipped: string; pass?: undefined; method?: undefined };

/** What healing found when the first result failed verification (see optimize's onUnsound). */
export interface Healing {
  /** The rules (directions) left out of the delivered result, each needed for it to verify. */
  readonly culprits: readonly string[];
  /** Optimize runs the bisection took (the delivered one included; not the first, failed one). */
  readonly runs: number;
  /** The check the first result failed. */
  readonly failed: VerificationReport;
  /** Layers of the smallest failing part of the input, and where it was written (if asked). */
  readonly reproducer: { readonly layers: number; readonly path?: string };
}

export interface OptimizeReport {
  runner: RunReport;
  /**
   * Per rule: matches found, unions that changed something, milliseconds searching and applying,
   * e-nodes its applications added, and matches skipped because a condition needed a shape or
   * constant not known (undecided) or the right side built another type (mistyped).
   */
  rules: { name: string; matches: number; applied: number; ms: number; enodes: number; undecided: number; mistyped: number }[];
  egraph: { eclasses: number; enodes: number };
  extraction: { extractor: ExtractorName; status: SelectionStatus; cost: number; gap: number | null; reason?: string };
  cost: { model: string; before: number; after: number; speedup: number };
  layers: { before: number; after: number; byOp: OpTableRow[] };
  newLayers: readonly Provenance[];
  /** For each new layer (by name) the proof that it computes what it replaced, when explanations were on. */
  proofs: Record<string, ProofStep[]>;
  removed: readonly string[];
  verification: VerificationReport;
  /** Present when the first result failed verification and was healed. */
  healing?: Healing;
  /** The memory budget, the run's peak, and the stages the budget stopped. */
  budget: BudgetReport;
  times: StageTimes;
  /** The stages in the order they ran, with time and memory (healing's runs not included). */
  stages: StageProfile[];
}
