/**
 * The TENSAT suite builds as TENSAT built it: expected op counts are derived from the architecture
 * (the paper's layer plan, TENSAT's builders and model files), not read off the builders.
 */
import { describe, expect, it } from 'vitest';
import { zooEntry } from '../../src/zoo/catalog.js';
import { countWithAttr, opHistogram } from './op-histogram.js';

interface Expectation {
  name: string;
  input: readonly number[];
  histogram: Record<string, number>;
}

// ResNeXt-50: stem conv + 16 blocks × 3 convs + 4 projections (first block of each stage) = 53;
// ReLU after every conv but each block's last (16) and after each block's sum (16): 53.
// NasNet-A: 18 cells × (2 input convs + 5 separable convs × 2) + stem = 217; ReLU on stem and the
// 36 cell inputs; pools: normal cells 3 avg, reduction cells 2 max + 2 avg, stem 1 max.
// NasRNN, per step of 5: 8 terms × 2 matmuls, 8 term sums + 3 mixing sums, 4 products,
// 2 ReLU, 5 sigmoid, 8 tanh.
// BERT (TASO): 8 layers × (Q, K, V, scores, context, next-layer linear) matmuls, 4 reshapes and
// 4 transposes (Q, K, V, context), one input ReLU.
// Inception-v3: stem 5 + A 7 × 3 + B 4 + C 10 × 4 + D 6 + E 9 × 2 = 94 convs with ReLU; concats:
// A 3 × 3 + B 2 + C 3 × 4 + D 1 + E 3 × 2 = 30; max-pools: stem 2, D 1, E 1 × 2; avg: A 3, B 1, C 4, final 1.
// SqueezeNet 1.1: conv1 + 8 fires × 3 + classifier = 26 convs, all with ReLU; 3 max-pools; 8 concats.
// VGG-19: 2 + 2 + 4 + 4 + 4 = 16 convs; 5 max-pools; 3 FC matmuls with transposed weights; ReLU on
// 16 convs and 2 FCs; 2 dropouts; flatten and the importer's two reshapes.
const SUITE: readonly Expectation[] = [
  { name: 'bert-base', input: [64, 1024], histogram: { MatMul: 48, Reshape: 32, Transpose: 32, Relu: 1 } },
  { name: 'resnext-50', input: [1, 3, 224, 224], histogram: { Conv: 53, Relu: 53, Add: 16, MaxPool: 1 } },
  { name: 'nasnet-a', input: [1, 3, 224, 224], histogram: { Conv: 217, Relu: 37, Add: 90, Concat: 18, AveragePool: 51, MaxPool: 7 } },
  { name: 'nasrnn', input: [1, 512], histogram: { MatMul: 80, Add: 55, Mul: 20, Relu: 10, Sigmoid: 25, Tanh: 40 } },
  { name: 'inception-v3', input: [1, 3, 299, 299], histogram: { Conv: 94, Relu: 94, Concat: 30, MaxPool: 5, AveragePool: 9 } },
  { name: 'squeezenet', input: [1, 3, 224, 224], histogram: { Conv: 26, Relu: 26, Concat: 8, MaxPool: 3, AveragePool: 1, Identity: 1, Reshape: 1 } },
  { name: 'vgg-19', input: [1, 3, 224, 224], histogram: { Conv: 16, Relu: 18, MaxPool: 5, MatMul: 3, Transpose: 3, Reshape: 3, Identity: 2 } },
];

describe.each(SUITE)('TENSAT suite: $name', ({ name, input, histogram }) => {
  const entry = zooEntry(name);

  it('builds at the paper’s shapes, validates, and counts the ops its architecture has', () => {
    const network = entry.build();
    network.validate();
    expect(entry.group).toBe('tensat');
    expect(network.inputs[0]!.shape).toEqual(input);
    expect(opHistogram(network)).toEqual(histogram);
    expect(network.layers.filter((l) => l.op === 'Constant' && l.constantData !== undefined)).toEqual([]);
  });

  it('has a small copy with seeded weights and the same op counts', () => {
    const small = entry.buildWithWeights!();
    small.validate();
    expect(opHistogram(small)).toEqual(histogram);
    expect(small.layers.filter((l) => l.op === 'Constant').every((l) => l.constantData !== undefined)).toBe(true);
  });
});

describe('TENSAT suite details', () => {
  it('ResNeXt-50 runs its 16 3×3 convs in 32 groups', () => {
    expect(countWithAttr(zooEntry('resnext-50').build(), 'Conv', 'group', (g) => g === 32)).toBe(16);
  });

  it('NasNet-A’s 90 separable convs start depthwise', () => {
    const network = zooEntry('nasnet-a').build();
    const depthwise = network.layers.filter((l) => l.op === 'Conv' && l.attributes.group === l.outputs[0]!.shape[1] && l.attributes.group !== 1);
    expect(depthwise).toHaveLength(90);
  });

  it('BERT (TASO) gives each of its 8 layers’ attention as an output, beside the last linear', () => {
    const network = zooEntry('bert-base').build();
    expect(network.outputs.map((o) => o.shape)).toEqual(Array(9).fill([64, 1024]));
  });

  it('the CNNs end where TENSAT’s graphs end', () => {
    expect(zooEntry('resnext-50').build().outputs[0]!.shape).toEqual([1, 2048, 7, 7]);
    expect(zooEntry('inception-v3').build().outputs[0]!.shape).toEqual([1, 2048, 1, 1]);
    expect(zooEntry('squeezenet').build().outputs[0]!.shape).toEqual([1, 1000]);
    expect(zooEntry('vgg-19').build().outputs[0]!.shape).toEqual([1, 1000]);
  });
});
