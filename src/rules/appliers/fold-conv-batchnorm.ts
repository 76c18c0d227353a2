/**
 * Folds an inference BatchNorm into the Conv before it. With a = scale / sqrt(var + epsilon):
 *   BN(conv(x, w) + b) = conv(x, w · a[:, 1, ..., 1]) + ((b − mean) · a + shift)
 * The new weight and bias are small subgraphs over the constants (Add, Sqrt, Div, Reshape, Mul, Sub),
 * not computed arrays, so the e-graph keeps one representation and constant folding evaluates them
 * once; the network then runs one conv instead of a conv and a full pass of batch norm.
 */
import type { Applier } from '../builder.js';

export const foldConvBatchNorm: Applier = {
  name: 'fold_conv_batchnorm',
  doc: 'BatchNorm(Conv(x, w, b)) → Conv(x, w·a, (b − mean)·a + shift) with a = scale / sqrt(var + eps): one pass over the output instead of two',
  needs: ['?x', '?w', '?scale', '?shift', '?mean', '?var', '?eps', '?strides', '?pads', '?dilations', '?group'],
  apply({ env, build, bound }) {
    const [x, w, scale, shift, mean, variance] = ['?x', '?w', '?scale', '?shift', '?mean', '?var'].map(bound);
    const eps = env.attr('?eps');
    if (typeof eps !== 'number') return undefined;
    const a = build.op('Div', [scale, build.op('Sqrt', [build.op('Add', [variance, build.scalar(eps, variance!)], {})], {})], {});
    // a scales output channels: [M, 1, ..., 1] against a weight of any conv rank (1-D, 2-D, 3-D).
    const rank = env.type('?w')?.shape.length;
    if (rank === undefined) return undefined;
    const ones = new Array<number>(rank - 1).fill(1);
    const weight = build.op('Mul', [w, build.op('Reshape', [a], { shape: [-1, ...ones] })], {});
    const bias = bound('?b');
    const centered = bias === undefined ? build.op('Neg', [mean], {}) : build.op('Sub', [bias, mean], {});
    const newBias = build.op('Add', [build.op('Mul', [centered, a], {}), shift], {});
    const attrs = { strides: env.attr('?strides')!, pads: env.attr('?pads')!, dilations: env.attr('?dilations')!, group: env.attr('?group')! };
    return [build.op('Conv', [x, weight, newBias], attrs)];
  },
};
