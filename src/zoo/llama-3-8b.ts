/**
 * Llama-3-8B decoder blocks as the PyTorch ONNX exporter writes Hugging Face's LlamaForCausalLM
 * (meta-llama/Meta-Llama-3-8B config.json: hidden 4096, 32 heads with 8 key-value heads,
 * intermediate 14336, rms_norm_eps 1e-5, rope_theta 500000), batch 1, sequence 128. It differs
 * from Llama-7B in config only, so llama-exported.ts builds it. Small copy: hidden 64 in 8 heads of
 * 8 with 2 key-value heads (GQA 4:1 kept), intermediate 224 (3.5× kept), sequence 16.
 */
import { buildExportedLlama } from './llama-exported.js';
import type { LlamaConfig } from './llama.js';
import { depthEntries } from './depth-entries.js';

const SHAPE = { rmsEpsilon: 1e-5, ropeBase: 500_000, batch: 1 };

const LLAMA_3_8B: Omit<LlamaConfig, 'layers'> = { ...SHAPE, hidden: 4096, heads: 32, kvHeads: 8, intermediate: 14_336, seq: 128 };
const SMALL: Omit<LlamaConfig, 'layers'> = { ...SHAPE, hidden: 64, heads: 8, kvHeads: 2, intermediate: 224, seq: 16, withData: true };

export const LLAMA_3_8B_ENTRIES = depthEntries('llama-3-8b', 'meta-llama/Meta-Llama-3-8B config.json, exported by torch.onnx', (layers, width) =>
  buildExportedLlama({ ...(width === 'full' ? LLAMA_3_8B : SMALL), layers }),
);
