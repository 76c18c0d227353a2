/**
 * Four transformer architectures as PyTorch exports them, at any depth: Llama-7B, a Qwen2-7B-style
 * block (grouped-query attention with q/k/v biases), a Phi-3-mini-style block (one qkv and one
 * gate-up projection, sliced apart) and BERT-base. At full width the weights are shape-only (a
 * 64-block Llama costs no weight memory); `small` keeps each block's structure at width 64 with
 * seeded weights, so it verifies in moments. The scaling benchmark and the fairness test use them.
 */
import type { Network } from '../network/network.js';
import { buildBertBlock } from './bert.js';
import type { BertConfig } from './bert.js';
import { buildExportedLlama } from './llama-exported.js';
import { LLAMA_7B } from './llama.js';
import type { LlamaConfig } from './llama.js';
import { QWEN2_7B } from './qwen2-7b.js';

export type ArchitectureName = 'llama-7b' | 'qwen2-7b' | 'phi3-mini' | 'bert-base';

const SEQ = 128;
const decoder = (c: Omit<LlamaConfig, 'layers' | 'batch' | 'seq'>) => ({ ...c, batch: 1, seq: SEQ });
const FULL: Record<ArchitectureName, Omit<LlamaConfig, 'layers'> | BertConfig> = {
  'llama-7b': decoder({ hidden: LLAMA_7B.hidden, heads: LLAMA_7B.heads, kvHeads: LLAMA_7B.kvHeads, intermediate: LLAMA_7B.intermediate }),
  'qwen2-7b': QWEN2_7B,
  'phi3-mini': decoder({ hidden: 3072, heads: 32, kvHeads: 32, intermediate: 8192, fusedProjections: true }),
  'bert-base': { hidden: 768, heads: 12, intermediate: 3072, batch: 1, seq: SEQ },
};

/** The same block at width 64 (heads and kv heads kept in proportion), seq 8. */
function small(c: Omit<LlamaConfig, 'layers'> | BertConfig): Omit<LlamaConfig, 'layers'> | BertConfig {
  const heads = 4;
  const kvHeads = 'kvHeads' in c ? Math.max(1, Math.round((heads * c.kvHeads) / c.heads)) : undefined;
  return { ...c, hidden: 64, heads, ...(kvHeads ? { kvHeads } : {}), intermediate: 128, seq: 8, withData: true };
}

export const ARCHITECTURES: readonly ArchitectureName[] = Object.keys(FULL) as ArchitectureName[];

/** `blocks` blocks of `name`, at full width (shape-only weights) or small (seeded weights). */
export function buildArchitecture(name: ArchitectureName, blocks: number, width: 'full' | 'small' = 'full'): Network {
  const config = width === 'full' ? FULL[name] : small(FULL[name]);
  return 'kvHeads' in config ? buildExportedLlama({ ...config, layers: blocks }) : buildBertBlock({ ...config, layers: blocks });
}
