/** The zoo's catalog: names the command line and the benchmark can rely on, and a helpful refusal. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NetsatError } from '../../src/errors.js';
import type { Network } from '../../src/network/network.js';
import { ZOO, ZOO_ENTRIES, zooEntry, zooNetwork } from '../../src/zoo/catalog.js';

const names = ZOO_ENTRIES.map((e) => e.name);
const inGroup = (group: string) => ZOO_ENTRIES.filter((e) => e.group === group).map((e) => e.name);

/** Each constant's bytes, by name: what a seeded build must reproduce. */
const weights = (network: Network): Map<string, string> =>
  new Map(
    network.layers
      .filter((l) => l.op === 'Constant')
      .map((l) => {
        const { buffer, byteOffset, byteLength } = l.constantData!.data as Float32Array;
        return [l.name, Buffer.from(buffer, byteOffset, byteLength).toString('base64')];
      }),
  );

describe('zoo catalog', () => {
  it('names are unique and kebab-case, each with a one-line source', () => {
    expect(new Set(names).size).toBe(names.length);
    for (const entry of ZOO_ENTRIES) {
      expect(entry.name).toMatch(/^[a-z0-9]+(-[a-z0-9.]+)*$/);
      expect(entry.source).toMatch(/^[^\n]+$/);
    }
  });

  it('holds the TENSAT suite, three LLMs at 1, 4 and 32 layers, and the four examples', () => {
    expect(inGroup('tensat')).toEqual(['bert-base', 'resnext-50', 'nasnet-a', 'nasrnn', 'inception-v3', 'squeezenet', 'vgg-19']);
    expect(inGroup('llm')).toEqual(['llama-3-8b', 'qwen2-7b', 'gpt2'].flatMap((m) => [1, 4, 32].map((n) => `${m}-x${n}`)));
    expect(inGroup('example')).toEqual(['llama', 'bert', 'gpt2', 'squeezenet-fire']);
    expect(ZOO_ENTRIES.filter((e) => e.group === 'llm').map((e) => e.layers)).toEqual([1, 4, 32, 1, 4, 32, 1, 4, 32]);
  });

  it('docs/zoo.md names every entry', () => {
    const page = readFileSync(new URL('../../docs/zoo.md', import.meta.url), 'utf8');
    expect(names.filter((name) => !page.includes(`\`${name}\``))).toEqual([]);
  });

  it('ZOO maps every name to its builder, and zooNetwork builds by name', () => {
    expect(Object.keys(ZOO)).toEqual(names);
    expect(opsOf(ZOO.gpt2!())).toEqual(opsOf(zooNetwork('gpt2')));
  });

  it('an unknown name is a NetsatError that lists the known ones', () => {
    const error = (() => {
      try {
        zooEntry('resnet-50');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(NetsatError);
    expect((error as NetsatError).where).toBe('zoo:resnet-50');
    for (const name of names) expect((error as NetsatError).hint).toContain(`zoo:${name}`);
  });

  it('small copies are seeded: two builds carry the same weights', () => {
    for (const name of ['squeezenet', 'nasrnn', 'llama-3-8b-x1', 'gpt2-x1']) {
      const entry = zooEntry(name);
      expect(weights(entry.buildWithWeights!()), name).toEqual(weights(entry.buildWithWeights!()));
    }
  });

  it('a small copy’s weights of one shape differ: each is drawn from its own seed', () => {
    const network = zooEntry('nasrnn').buildWithWeights!();
    const [a, b] = ['w1', 'w2'].map((name) => network.getTensor(name)!);
    expect(a!.shape).toEqual(b!.shape);
    expect(weights(network).get('w1')).not.toEqual(weights(network).get('w2'));
  });
});

function opsOf(network: Network): string[] {
  return network.layers.map((l) => l.op);
}
