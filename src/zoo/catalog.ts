/**
 * The zoo by name, for the command line (`netsat optimize zoo:llama -o out.json`) and the
 * benchmark: small seeded networks shaped as the PyTorch exporter writes them.
 */
import { NetsatError } from '../errors.js';
import type { Network } from '../network/network.js';
import { buildBertBlock, TINY_BERT } from './bert.js';
import { buildGpt2Block, TINY_GPT2 } from './gpt2.js';
import { buildExportedLlama, EXPORTED_LLAMA_EXAMPLE } from './llama-exported.js';
import { buildFireModule, TINY_FIRE } from './squeezenet.js';

export const ZOO: Readonly<Record<string, () => Network>> = {
  llama: () => buildExportedLlama(EXPORTED_LLAMA_EXAMPLE),
  bert: () => buildBertBlock(TINY_BERT),
  gpt2: () => buildGpt2Block(TINY_GPT2),
  'squeezenet-fire': () => buildFireModule(TINY_FIRE),
};

export function zooNetwork(name: string): Network {
  const build = ZOO[name];
  if (!build)
    throw new NetsatError(`the zoo has no network "${name}"`, {
      where: `zoo:${name}`,
      hint: `zoo networks: ${Object.keys(ZOO)
        .map((k) => `zoo:${k}`)
        .join(', ')}`,
    });
  return build();
}
