/**
 * optimize()'s check on input sets the user gives (verify: { inputs }): in the reference
 * interpreter and in onnxruntime, in place of the seeded sets, with omitted inputs drawn, and the
 * input network's failure on its inputs reported as UnverifiableError rather than a kernel's error.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InterpretError } from '../../src/errors.js';
import { readOnnx } from '../../src/io/onnx/decode.js';
import { drawInputs } from '../../src/interp/verify.js';
import { ndarray } from '../../src/ops/ndarray.js';
import { optimize } from '../../src/optimize.js';
import { UnverifiableError } from '../../src/verifiable.js';
import { checkVerifiable, verifyOptimizedSync } from '../../src/verification.js';
import { graphModel, oneNode } from '../io/support/one-node-model.js';

/** Gather along axis 0 of data[n, 3] at idx[k]: the interpreter runs it; an index must be below n. */
const gather = () =>
  readOnnx(
    oneNode(
      'Gather',
      [
        ['data', 'float32', ['n', 3]],
        ['idx', 'int64', ['k']],
      ],
      ['y'],
      { attrs: { axis: 0 } },
    ),
  ).network;
/** Resize by a scales input: the interpreter has no kernel for it, and random scales are out of its domain. */
const resize = () => readOnnx(oneNode('Resize', [['x', 'float32', [1, 1, 2, 2]], '', ['scales', 'float32', [4]]], ['y'])).network;

const data = (n: number) =>
  ndarray(
    'float32',
    [n, 3],
    Array.from({ length: n * 3 }, (_, i) => i / 7),
  );
const idx = (...v: number[]) => ndarray('int64', [v.length], v);

describe('verify: { inputs } in the reference interpreter', () => {
  it('runs exactly the given sets, with symbolic dims at the sizes their values fix', async () => {
    const { report } = await optimize(gather(), {
      verify: {
        inputs: [
          { data: data(4), idx: idx(3, 0, 2, 1, 3) },
          { data: data(6), idx: idx(5) },
        ],
      },
    });
    const v = report.verification;
    if (v.skipped !== undefined) throw new Error(v.skipped);
    expect(v.method).toBe('interpreter');
    expect(v.pass).toBe(true);
    expect(v.sets).toEqual([
      { seed: 1, symbolValues: { n: 4, k: 5 }, given: ['data', 'idx'] },
      { seed: 2, symbolValues: { n: 6, k: 1 }, given: ['data', 'idx'] },
    ]);
    expect(v.outputs[0]!.shape).toEqual([5, 3]);
  });

  it('draws an input a set leaves out, its free dims at symbolValues', async () => {
    const { report } = await optimize(gather(), { verify: { inputs: [{ idx: idx(0, 1) }], symbolValues: { n: 3 } } });
    const v = report.verification;
    if (v.skipped !== undefined) throw new Error(v.skipped);
    expect(v.sets).toEqual([{ seed: 1, symbolValues: { n: 3, k: 2 }, given: ['idx'] }]);
    expect(v.outputs[0]!.shape).toEqual([2, 3]);
  });

  it('given values equal to a seeded draw check exactly as that draw does', () => {
    const network = gather();
    // Not equivalent to `network`, so the errors depend on the values run.
    const squared = readOnnx(
      graphModel(
        [
          { op: 'Gather', inputs: ['data', 'idx'], outputs: ['g'], attrs: { axis: 0 } },
          { op: 'Mul', inputs: ['g', 'g'], outputs: ['y'] },
        ],
        [
          ['data', 'float32', ['n', 3]],
          ['idx', 'int64', ['k']],
        ],
        ['y'],
      ),
    ).network;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 1, max: 6 }), (seed, n) => {
        const symbolValues = { n, k: n };
        // Indices below n, so the seeded draw runs on its first attempt.
        const drawn = drawInputs(network, { seed, symbolValues, random: { intRange: [0, n] } });
        const seeded = verifyOptimizedSync(network, squared, { seed, sets: 1, symbolValues, random: { intRange: [0, n] } });
        // Another seed: only the given values can make the comparisons equal.
        const given = verifyOptimizedSync(network, squared, { seed: seed + 7, inputs: [drawn] });
        if (seeded.skipped !== undefined || given.skipped !== undefined) throw new Error('skipped');
        expect(given.outputs).toEqual(seeded.outputs);
        expect(given.sets[0]!.symbolValues).toEqual(seeded.sets[0]!.symbolValues);
      }),
      { seed: 20261203, numRuns: 40 },
    );
  });

  it('reports the network failing on given values as UnverifiableError naming the set', async () => {
    const run = optimize(gather(), {
      verify: {
        inputs: [
          { data: data(2), idx: idx(0) },
          { data: data(2), idx: idx(7) },
        ],
      },
    });
    await expect(run).rejects.toThrow(UnverifiableError);
    await expect(run).rejects.toThrow(/cannot run the input network on given input set 2: Gather: index 7 is out of range/);
  });

  it('draws integers again at 0 where seeded indices are out of range, instead of failing in the kernel', async () => {
    // Every index drawn from [3, 9) is past the 3 rows of data[3, 3].
    const network = readOnnx(
      oneNode(
        'Gather',
        [
          ['data', 'float32', [3, 3]],
          ['idx', 'int64', [2]],
        ],
        ['y'],
        { attrs: { axis: 0 } },
      ),
    ).network;
    const { report } = await optimize(network, { verify: { random: { intRange: [3, 9] } } });
    expect(report.verification.pass).toBe(true);
  });
});

describe('verify: { inputs } with onnxruntime', () => {
  it('checks a model on its own inputs where seeded ones are out of its domain', async () => {
    await expect(optimize(resize())).rejects.toThrow(/cannot run the original model on seeded inputs[\s\S]*--verify-inputs/);
    const { report } = await optimize(resize(), { verify: { inputs: [{ scales: ndarray('float32', [4], [1, 1, 2, 2]) }] } });
    const v = report.verification;
    if (v.skipped !== undefined) throw new Error(v.skipped);
    expect([v.method, v.pass, v.outputs[0]!.shape]).toEqual(['onnxruntime', true, [1, 1, 4, 4]]);
    expect(v.sets).toEqual([{ seed: 1, symbolValues: {}, given: ['scales'] }]);
  });

  it('reports given values the model refuses as UnverifiableError on the given inputs', async () => {
    const run = optimize(resize(), { verify: { inputs: [{ x: ndarray('float32', [1, 1, 2, 2], [1, 2, 3, 4]), scales: ndarray('float32', [4], [1, 1, -2, 2]) }] } });
    await expect(run).rejects.toThrow(UnverifiableError);
    await expect(run).rejects.toThrow(/cannot run the original model on the given inputs/);
  });
});

describe('given sets that do not fit the network are typed errors before any work', () => {
  const cases: [string, Record<string, ReturnType<typeof ndarray>>, RegExp][] = [
    ['a name that is no input', { data: data(2), ids: idx(0) }, /"ids" is not an input of Gather/],
    ['a wrong dtype', { data: data(2), idx: ndarray('int32', [1], [0]) }, /input idx is int32 but the network declares int64/],
    ['a wrong fixed dim', { data: ndarray('float32', [2, 4], new Array(8).fill(0)), idx: idx(0) }, /input data has shape \[2, 4\] but the network declares \[n, 3\]/],
    ['a wrong rank', { data: data(2), idx: ndarray('int64', [1, 1], [0]) }, /input idx has rank 2/],
  ];
  it.each(cases)('%s', async (_, values, message) => {
    const options = { inputs: [{ data: data(2), idx: idx(1) }, values] };
    // checkVerifiable is what optimize and the CLI ask before saturation.
    expect(() => checkVerifiable(gather(), options)).toThrow(message);
    const run = optimize(gather(), { verify: options });
    await expect(run).rejects.toThrow(InterpretError);
    await expect(run).rejects.toThrow(message);
    await expect(run).rejects.toThrow(/at input \w+ of given input set 2\)\n {2}hint: the network's inputs are data float32\[n, 3\], idx int64\[k\]/);
  });

  it('a symbolic dim of two sizes in one set', async () => {
    const network = readOnnx(
      oneNode(
        'Add',
        [
          ['a', 'float32', ['n']],
          ['b', 'float32', ['n']],
        ],
        ['y'],
      ),
    ).network;
    const values = { a: ndarray('float32', [2], [1, 2]), b: ndarray('float32', [3], [1, 2, 3]) };
    await expect(optimize(network, { verify: { inputs: [values] } })).rejects.toThrow(/dimension "n" is 2 in one input and 3 in b \(at input b of given input set 1\)/);
  });
});
