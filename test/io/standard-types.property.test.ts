/**
 * The sliding-window and broadcast rules against onnxruntime on random configurations: the output
 * dims netsat infers for MaxPool (ceil mode, dilations, pads, auto_pad) and Conv (groups, strides,
 * dilations) of 1 to 3 spatial dims, and for broadcasting comparisons, are the dims onnxruntime
 * produces. Configurations whose output would be empty are left out (onnxruntime refuses them).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readOnnx } from '../../src/io/onnx/decode.js';
import { oneNode, ortOutputTypes } from './support/one-node-model.js';
import type { Attr } from './support/one-node-model.js';

/** The inferred dims of every output equal onnxruntime's. */
async function agree(bytes: Uint8Array): Promise<void> {
  const { network } = readOnnx(bytes);
  const got = await ortOutputTypes(bytes);
  for (const t of network.outputs) expect(t.shape, t.name).toEqual(got[t.name]!.dims);
}

/** One spatial dim's window parameters. */
const spatial = fc.record({
  size: fc.integer({ min: 4, max: 12 }),
  kernel: fc.integer({ min: 1, max: 3 }),
  stride: fc.integer({ min: 1, max: 3 }),
  dilation: fc.integer({ min: 1, max: 2 }),
  pad: fc.integer({ min: 0, max: 1 }),
});

const window = fc.record({
  dims: fc.array(spatial, { minLength: 1, maxLength: 3 }),
  ceil: fc.boolean(),
  autoPad: fc.constantFrom('NOTSET', 'VALID', 'SAME_UPPER', 'SAME_LOWER'),
});

type Window = typeof window extends fc.Arbitrary<infer T> ? T : never;

function windowAttrs(w: Window, withCeil: boolean): Record<string, Attr> {
  const attrs: Record<string, Attr> = {
    strides: w.dims.map((d) => d.stride),
    dilations: w.dims.map((d) => d.dilation),
  };
  if (w.autoPad === 'NOTSET') attrs['pads'] = [...w.dims.map((d) => d.pad), ...w.dims.map((d) => d.pad)];
  else attrs['auto_pad'] = { s: w.autoPad };
  if (withCeil) attrs['ceil_mode'] = w.ceil ? 1 : 0;
  return attrs;
}

/**
 * Windows that fit inside the padded input, so every output dim is at least 1; auto_pad SAME only
 * without dilation (onnxruntime's Conv refuses that mix, and its MaxPool sizes it otherwise than the spec).
 */
const fits = (w: Window) =>
  w.dims.every((d) => d.size + 2 * d.pad >= (d.kernel - 1) * d.dilation + 1 && d.pad < (d.kernel - 1) * d.dilation + 1 && (!w.autoPad.startsWith('SAME') || d.dilation === 1));

describe('window and broadcast rules agree with onnxruntime', () => {
  it('MaxPool of 1 to 3 spatial dims, with indices', async () => {
    await fc.assert(
      fc.asyncProperty(window.filter(fits), async (w) => {
        const attrs = { ...windowAttrs(w, true), kernel_shape: w.dims.map((d) => d.kernel) };
        await agree(oneNode('MaxPool', [['x', 'float32', [1, 2, ...w.dims.map((d) => d.size)]]], ['y', 'idx'], { attrs }));
      }),
      { seed: 11, numRuns: 40 },
    );
  });

  it('Conv of 1 to 3 spatial dims, grouped', async () => {
    await fc.assert(
      fc.asyncProperty(window.filter(fits), fc.constantFrom(1, 2), async (w, group) => {
        const kernel = w.dims.map((d) => d.kernel);
        const weights = 4 * (4 / group) * kernel.reduce((a, b) => a * b, 1);
        const inputs: Parameters<typeof oneNode>[1] = [
          ['x', 'float32', [1, 4, ...w.dims.map((d) => d.size)]],
          ['w', 'float32', [4, 4 / group, ...kernel], new Array<number>(weights).fill(0)],
        ];
        await agree(oneNode('Conv', inputs, ['y'], { attrs: { ...windowAttrs(w, false), group } }));
      }),
      { seed: 12, numRuns: 40 },
    );
  });

  it('comparisons broadcast as numpy does', async () => {
    const dim = fc.constantFrom(1, 2, 3);
    await fc.assert(
      fc.asyncProperty(fc.array(dim, { maxLength: 4 }), fc.array(fc.boolean(), { maxLength: 4 }), async (shape, ones) => {
        // The second shape is a suffix of the first with some dims set to 1, so the two broadcast.
        const other = shape.slice(shape.length - ones.length).map((d, i) => (ones[i] ? 1 : d));
        await agree(
          oneNode(
            'Greater',
            [
              ['a', 'float32', shape],
              ['b', 'float32', other],
            ],
            ['y'],
          ),
        );
      }),
      { seed: 13, numRuns: 40 },
    );
  });
});
