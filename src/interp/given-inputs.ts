/**
 * Input values a user gives for a check (their own data, where random draws miss an op's domain:
 * sizes, scales, axes read from inputs). A given set is checked against the network's declared
 * inputs before any work, and binds the symbolic dims it fixes.
 */
import { InterpretError } from '../errors.js';
import { formatShape, numel } from '../ops/shape.js';
import type { NDArray } from '../ops/types.js';
import type { Network } from '../network/network.js';
import { bindDims } from './interpret.js';
import type { InputSet } from './verify.js';
import { inputSymbols } from './verify.js';

/** Values for some or all of a network's inputs, by input name. */
export type InputValues = Readonly<Record<string, NDArray>>;

/** The network's inputs, for a hint: `x float32[batch, 3], ids int64[batch]`. */
export function declaredInputs(network: Network): string {
  return network.inputs.map((t) => `${t.name} ${t.dtype}${formatShape(t.shape)}`).join(', ');
}

/**
 * Checks `values` against the inputs `network` declares (names, dtypes, ranks, fixed dims, one size
 * per symbolic dim, data length) and returns the sizes they bind the symbolic dims to. Errors are
 * InterpretErrors at `whereOf(name)`, so a caller says which set or file a value came from.
 */
export function bindGivenInputs(network: Network, values: InputValues, whereOf: (name: string) => string): Record<string, number> {
  const declared = new Map(network.inputs.map((t) => [t.name, t]));
  const bindings = new Map<string, number>();
  for (const [name, value] of Object.entries(values)) {
    const t = declared.get(name);
    const where = whereOf(name);
    const hint = `the network's inputs are ${declaredInputs(network)}`;
    if (!t) throw new InterpretError(`"${name}" is not an input of ${network.name}`, { where, hint });
    if (value.dtype !== t.dtype) throw new InterpretError(`input ${name} is ${value.dtype} but the network declares ${t.dtype}`, { where, hint });
    if (value.data.length !== numel(value.shape)) {
      throw new InterpretError(`input ${name} holds ${value.data.length} values but its shape ${formatShape(value.shape)} has ${numel(value.shape)}`, { where });
    }
    try {
      bindDims(t.shape, value.shape, bindings, name);
    } catch (e) {
      if (!(e instanceof InterpretError)) throw e;
      throw new InterpretError(e.what, { where, hint });
    }
  }
  return Object.fromEntries(bindings);
}

/**
 * One input set per element of `given`: seeds `seed`, `seed + 1`, ...; the symbolic dims the given
 * values fix at those sizes, the others (of inputs a set leaves to be drawn) at `symbolValues` or 2.
 */
export function givenInputSets(network: Network, given: readonly InputValues[], options: { seed?: number; symbolValues?: Readonly<Record<string, number>> } = {}): InputSet[] {
  return given.map((values, k) => {
    const fixed = bindGivenInputs(network, values, (name) => `input ${name} of given input set ${k + 1}`);
    const free = inputSymbols(network).filter((s) => fixed[s] === undefined);
    return {
      seed: (options.seed ?? 0) + k,
      symbolValues: { ...Object.fromEntries(free.map((s) => [s, options.symbolValues?.[s] ?? 2])), ...fixed },
      given: Object.keys(values),
    };
  });
}
