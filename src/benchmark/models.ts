/**
 * The models of a benchmark, from the words a user types: `zoo` (every zoo entry), a zoo group
 * (`tensat`, `llm`, `example`), a zoo entry's name, an .onnx file, or a folder of .onnx files.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { readOnnxFile } from '../io/onnx/decode.js';
import type { Network } from '../network/network.js';
import { ZOO_ENTRIES } from '../zoo/catalog.js';
import type { ZooEntry } from '../zoo/entry.js';
import { BenchInputError } from './errors.js';

export interface BenchModel {
  name: string;
  /** The zoo group, or 'onnx' for a file. */
  group: string;
  /** The paper, config or file the network comes from. */
  source: string;
  /** The word that resolves to this one model again (a worker thread rebuilds it from this). */
  spec: string;
  /** The network whose predicted figures are reported. */
  build(): Network;
  /** The same network small, with seeded weights, for a runtime to measure; absent where there is none. */
  buildWithWeights?(): Network;
  /** True when buildWithWeights builds what build does (small examples, files): one run serves both. */
  weightedIsSame: boolean;
}

const GROUPS = ['tensat', 'llm', 'example'] as const;

function fromZoo(entry: ZooEntry): BenchModel {
  return {
    name: entry.name,
    group: entry.group,
    source: entry.source,
    spec: entry.name,
    build: () => entry.build(),
    ...(entry.buildWithWeights ? { buildWithWeights: () => entry.buildWithWeights!() } : {}),
    weightedIsSame: entry.buildWithWeights === entry.build,
  };
}

function fromOnnxFile(path: string): BenchModel {
  const build = () => readOnnxFile(path).network;
  // Named with the extension: the zoo has networks called bert, gpt2, llama and squeezenet too.
  return { name: basename(path), group: 'onnx', source: basename(path), spec: path, build, buildWithWeights: build, weightedIsSame: true };
}

/** One word of --models as its models. */
function modelsOf(spec: string): BenchModel[] {
  if (spec === 'zoo') return ZOO_ENTRIES.map(fromZoo);
  if ((GROUPS as readonly string[]).includes(spec)) return ZOO_ENTRIES.filter((e) => e.group === spec).map(fromZoo);
  const entry = ZOO_ENTRIES.find((e) => e.name === spec || `zoo:${e.name}` === spec);
  if (entry) return [fromZoo(entry)];
  if (spec.endsWith('.onnx') && existsSync(spec)) return [fromOnnxFile(spec)];
  if (existsSync(spec) && statSync(spec).isDirectory()) {
    const files = readdirSync(spec)
      .filter((f) => f.endsWith('.onnx'))
      .sort();
    if (files.length) return files.map((f) => fromOnnxFile(join(spec, f)));
  }
  throw new BenchInputError(`unknown model "${spec}"`, {
    where: '--models',
    hint: `use zoo (every zoo network), a group (${GROUPS.join(', ')}), a zoo network (${ZOO_ENTRIES.map((e) => e.name).join(', ')}), an .onnx file or a folder of them`,
  });
}

/** The models `specs` name, each once, in the order first named. */
export function resolveModels(specs: readonly string[]): BenchModel[] {
  if (specs.length === 0) throw new BenchInputError('no models given', { where: '--models', hint: 'e.g. --models zoo, or --models bert,llama' });
  const byName = new Map<string, BenchModel>();
  for (const model of specs.flatMap(modelsOf)) {
    const seen = byName.get(model.name);
    if (!seen) byName.set(model.name, model);
    else if (seen.spec !== model.spec)
      throw new BenchInputError(`two models are named "${model.name}": ${seen.spec} and ${model.spec}`, {
        where: '--models',
        hint: 'rows are keyed by model name: rename or copy one of the files',
      });
  }
  return [...byName.values()];
}
