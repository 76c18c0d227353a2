/**
 * What a benchmark run produces: one row per cell (model × strategy × device) and what is needed to
 * reproduce it. The JSON output is this object; bench-schema.ts describes it as a JSON Schema.
 */
import type { DeviceId } from '../cost/device.js';
import type { Strategy } from './strategy.js';

/** The median of repeated measurements and the middle half around it (25th and 75th percentiles). */
export interface Spread {
  median: number;
  low: number;
  high: number;
}

/** Original vs optimized in a runtime, interleaved round by round. */
export interface MeasuredLatency {
  runtime: string;
  warmup: number;
  repeats: number;
  originalMs: Spread;
  optimizedMs: Spread;
  /** Of the per-round ratios original / optimized. */
  speedup: Spread;
}

export type FailureKind = 'limit' | 'verification' | 'error';

export interface CellResult {
  model: string;
  group: string;
  strategy: string;
  strategyVersion: number;
  device: DeviceId;
  status: 'ok' | 'failed';
  failure: { kind: FailureKind; message: string } | null;
  /** The cost model's latency (µs for roofline) of the network before and after, and their ratio. */
  predicted: { costModel: string; before: number; after: number; speedup: number } | null;
  layers: { before: number; after: number } | null;
  /** New layers by op. */
  fusedOps: Record<string, number>;
  egraph: { eclasses: number; enodes: number } | null;
  iterations: number | null;
  stopReason: string | null;
  /** Milliseconds per stage of the predicted run (to e-graph, saturate, extraction problem, extract, lower, verify). */
  stagesMs: Record<string, number>;
  /** Milliseconds of optimization, the check left out. */
  optimizeMs: number | null;
  extraction: { extractor: string; status: string; cost: number; gap: number | null } | null;
  verification: { result: 'pass' | 'fail' | 'skipped'; method: string | null; note: string | null };
  measured: MeasuredLatency | null;
  /** Why a cell was not measured. */
  measuredNote: string | null;
  /** Wall milliseconds of the whole cell: every build, optimization, check and ONNX file, and the timing. */
  wallMs: number;
}

export interface BenchEnvironment {
  netsat: string;
  node: string;
  onnxruntime: string;
  platform: string;
  cpu: string;
  cores: number;
  memoryGiB: number;
  date: string;
}

export interface BenchSettings {
  seed: number;
  jobs: number;
  measure: boolean;
  warmup: number;
  repeats: number;
  maxMemoryBytes: number;
}

export interface BenchResult {
  format: 'netsat-bench/1';
  environment: BenchEnvironment;
  settings: BenchSettings;
  models: { name: string; group: string; source: string }[];
  strategies: Strategy[];
  devices: DeviceId[];
  cells: CellResult[];
  wallMs: number;
}
