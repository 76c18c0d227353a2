/**
 * Ops that are the same in ONNX and in the registry: same name, same inputs, and int attributes
 * of the same names. The importer and the exporter both read this table, so the one-to-one part of
 * the mapping is stated once.
 */

/** op → its int attributes with their ONNX defaults. */
export const DIRECT_OPS: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  Identity: {},
  Add: {},
  Sub: {},
  Mul: {},
  Div: {},
  Pow: {},
  Sqrt: {},
  Reciprocal: {},
  Neg: {},
  Exp: {},
  Log: {},
  Erf: {},
  Tanh: {},
  Relu: {},
  Sigmoid: {},
  IsNaN: {},
  Where: {},
  MatMul: {},
  GlobalAveragePool: {},
  Concat: { axis: 0 },
  Gather: { axis: 0 },
  Flatten: { axis: 1 },
};

/** One converter per direct op, built from its attribute defaults. */
export function directTable<F>(make: (op: string, defaults: Readonly<Record<string, number>>) => F): Record<string, F> {
  return Object.fromEntries(Object.entries(DIRECT_OPS).map(([op, defaults]) => [op, make(op, defaults)]));
}
