/**
 * Qwen2-7B decoder blocks as the PyTorch ONNX exporter writes Hugging Face's Qwen2ForCausalLM
 * (Qwen/Qwen2-7B config.json: hidden 3584, 28 heads with 4 key-value heads, biased q/k/v
 * projections, intermediate 18944, rms_norm_eps 1e-6, rope_theta 1000000), batch 1, sequence 128;
 * llama-exported.ts builds it. Small copy: hidden 56 in 7 heads of 8 with 1 key-value head (GQA
 * 7:1 kept), intermediate 296 (the same 5.3× ratio), sequence 16.
 */
import { buildExportedLlama } from './llama-exported.js';
import type { LlamaConfig } from './llama.js';
import { depthEntries } from './depth-entries.js';

const SHAPE = { qkvBias: true, rmsEpsilon: 1e-6, ropeBase: 1_000_000, batch: 1 };

export const QWEN2_7B: Omit<LlamaConfig, 'layers'> = { ...SHAPE, hidden: 3584, heads: 28, kvHeads: 4, intermediate: 18_944, seq: 128 };
const SMALL: Omit<LlamaConfig, 'layers'> = { ...SHAPE, hidden: 56, heads: 7, kvHeads: 1, intermediate: 296, seq: 16, withData: true };

export const QWEN2_7B_ENTRIES = depthEntries('qwen2-7b', 'Qwen/Qwen2-7B config.json, exported by torch.onnx', (layers, width) =>
  buildExportedLlama({ ...(width === 'full' ? QWEN2_7B : SMALL), layers }),
);
