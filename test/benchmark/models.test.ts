import { describe, expect, it } from 'vitest';
import { resolveModels } from '../../src/benchmark/models.js';
import { ZOO_ENTRIES } from '../../src/zoo/catalog.js';
import { describeShared, sharedPath } from '../support/shared.js';

describe('the models of a benchmark', () => {
  it('resolves zoo, groups and names, each model once, in the order first named', () => {
    expect(resolveModels(['zoo']).map((m) => m.name)).toEqual(ZOO_ENTRIES.map((e) => e.name));
    const tensat = ZOO_ENTRIES.filter((e) => e.group === 'tensat').map((e) => e.name);
    expect(resolveModels(['gpt2', 'tensat', 'zoo:gpt2']).map((m) => m.name)).toEqual(['gpt2', ...tensat]);
  });

  it('runs a model with a separate small weighted copy twice, and an example once', () => {
    const [full, example] = resolveModels(['resnext-50', 'gpt2']);
    expect(full!.weightedIsSame).toBe(false);
    expect(example!.weightedIsSame).toBe(true);
  });

  it('lists what it knows for an unknown word', () => {
    expect(() => resolveModels(['resnet-152'])).toThrow(/unknown model "resnet-152"[\s\S]*tensat, llm, example[\s\S]*vgg-19/);
    expect(() => resolveModels([])).toThrow(/no models given/);
  });
});

describeShared('the models of a benchmark: ONNX files', () => {
  it('reads a folder as its .onnx files, named apart from the zoo networks of the same name', () => {
    const folder = resolveModels(['gpt2', sharedPath('data', 'onnx')]);
    const files = ['bert', 'efficientnet', 'gpt2', 'llama', 'mistral', 'mobilenet', 'phi3', 'squeezenet', 'vit_small', 'whisper_enc'];
    expect(folder.map((m) => m.name)).toEqual(['gpt2', ...files.map((f) => `${f}.onnx`)]);
    expect(folder.slice(1).every((m) => m.group === 'onnx' && m.weightedIsSame)).toBe(true);
    const [file] = resolveModels([sharedPath('data', 'onnx', 'squeezenet.onnx')]);
    expect(file!.build().layers.length).toBeGreaterThan(0);
    expect(() => resolveModels([sharedPath('data', 'onnx', 'gpt2.onnx'), `${sharedPath('data', 'onnx', 'peers')}/../gpt2.onnx`])).toThrow(/two models are named "gpt2.onnx"/);
  });
});
