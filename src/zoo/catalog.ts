/**
 * The zoo by name, for the command line (`netsat optimize zoo:llama -o out.json`) and the
 * benchmark: the TENSAT suite as TENSAT built it, today's LLM blocks as PyTorch exports them at
 * 1, 4 and 32 layers, and the small seeded examples the docs and tests use.
 */
import { NetsatError } from '../errors.js';
import type { Network } from '../network/network.js';
import { buildBertBlock, TINY_BERT } from './bert.js';
import { BERT_TASO } from './bert-taso.js';
import type { ZooEntry } from './entry.js';
import { buildGpt2Block, GPT2_ENTRIES, TINY_GPT2 } from './gpt2.js';
import { LLAMA_3_8B_ENTRIES } from './llama-3-8b.js';
import { QWEN2_7B_ENTRIES } from './qwen2-7b.js';
import { buildExportedLlama, EXPORTED_LLAMA_EXAMPLE } from './llama-exported.js';
import { INCEPTION_V3 } from './inception-v3.js';
import { NASNET_A } from './nasnet-a.js';
import { NASRNN } from './nasrnn.js';
import { RESNEXT_50 } from './resnext-50.js';
import { buildFireModule, TINY_FIRE } from './squeezenet.js';
import { SQUEEZENET_11 } from './squeezenet-1.1.js';
import { VGG_19 } from './vgg-19.js';

export type { ZooEntry } from './entry.js';

/** The examples already carry small seeded weights: both builders give the same network. */
function example(name: string, source: string, build: () => Network): ZooEntry {
  return { name, group: 'example', source, build, buildWithWeights: build };
}

/** TENSAT's seven benchmark models, in its paper's order. */
const TENSAT_SUITE: readonly ZooEntry[] = [BERT_TASO, RESNEXT_50, NASNET_A, NASRNN, INCEPTION_V3, SQUEEZENET_11, VGG_19];

/** Today's LLM blocks at 1, 4 and 32 layers. */
const LLM_BLOCKS: readonly ZooEntry[] = [...LLAMA_3_8B_ENTRIES, ...QWEN2_7B_ENTRIES, ...GPT2_ENTRIES];

const EXAMPLES: readonly ZooEntry[] = [
  example('llama', 'two Llama blocks as exported by PyTorch, width 32', () => buildExportedLlama(EXPORTED_LLAMA_EXAMPLE)),
  example('bert', 'one BERT encoder block as exported by PyTorch, width 32', () => buildBertBlock(TINY_BERT)),
  example('gpt2', 'one GPT-2 block as exported by PyTorch, width 32', () => buildGpt2Block(TINY_GPT2)),
  example('squeezenet-fire', 'one SqueezeNet fire module with BatchNorm, 8 channels', () => buildFireModule(TINY_FIRE)),
];

export const ZOO_ENTRIES: readonly ZooEntry[] = [...TENSAT_SUITE, ...LLM_BLOCKS, ...EXAMPLES];

export const ZOO: Readonly<Record<string, () => Network>> = Object.fromEntries(ZOO_ENTRIES.map((entry) => [entry.name, () => entry.build()]));

export function zooEntry(name: string): ZooEntry {
  const entry = ZOO_ENTRIES.find((e) => e.name === name);
  if (!entry)
    throw new NetsatError(`the zoo has no network "${name}"`, {
      where: `zoo:${name}`,
      hint: `zoo networks: ${ZOO_ENTRIES.map((e) => `zoo:${e.name}`).join(', ')}`,
    });
  return entry;
}

export function zooNetwork(name: string): Network {
  return zooEntry(name).build();
}
