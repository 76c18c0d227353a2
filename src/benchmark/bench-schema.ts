/**
 * The JSON Schema of `netsat bench --out`'s JSON (format netsat-bench/1), documented in
 * docs/bench.md and checked against real output by the tests. It uses only type, enum, const,
 * properties, required, additionalProperties and items.
 */

const num = { type: 'number' } as const;
const int = { type: 'integer' } as const;
const str = { type: 'string' } as const;
const nullable = (schema: object) => ({ anyOf: [schema, { type: 'null' }] });
const object = (properties: Record<string, object>, optional: readonly string[] = []) => ({
  type: 'object',
  properties,
  required: Object.keys(properties).filter((k) => !optional.includes(k)),
  additionalProperties: false,
});
const spread = object({ median: num, low: num, high: num });

const cell = object({
  model: str,
  group: str,
  strategy: str,
  strategyVersion: int,
  device: str,
  status: { enum: ['ok', 'failed'] },
  failure: nullable(object({ kind: { enum: ['limit', 'verification', 'error'] }, message: str })),
  predicted: nullable(object({ costModel: str, before: num, after: num, speedup: num })),
  layers: nullable(object({ before: int, after: int })),
  fusedOps: { type: 'object', additionalProperties: int },
  egraph: nullable(object({ eclasses: int, enodes: int })),
  iterations: nullable(int),
  stopReason: nullable(str),
  stagesMs: { type: 'object', additionalProperties: num },
  optimizeMs: nullable(num),
  extraction: nullable(object({ extractor: { enum: ['tree', 'dag', 'ilp'] }, status: str, cost: num, gap: nullable(num) })),
  verification: object({ result: { enum: ['pass', 'fail', 'skipped'] }, method: nullable(str), note: nullable(str) }),
  measured: nullable(object({ runtime: str, warmup: int, repeats: int, originalMs: spread, optimizedMs: spread, speedup: spread })),
  measuredNote: nullable(str),
  wallMs: num,
});

const strategy = object({
  name: str,
  version: int,
  description: str,
  rules: { type: 'array', items: str },
  limits: object({ iterations: int, nodes: int, timeMs: int }),
  extractor: { enum: ['tree', 'dag', 'ilp'] },
  device: str,
  source: str,
});

export const BENCH_RESULT_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'netsat bench result (netsat-bench/1)',
  ...object({
    format: { const: 'netsat-bench/1' },
    environment: object({ netsat: str, node: str, onnxruntime: str, platform: str, cpu: str, cores: int, memoryGiB: int, date: str }),
    settings: object({ seed: int, jobs: int, measure: { type: 'boolean' }, warmup: int, repeats: int, maxMemoryBytes: int }),
    models: { type: 'array', items: object({ name: str, group: str, source: str }) },
    strategies: { type: 'array', items: strategy },
    devices: { type: 'array', items: str },
    cells: { type: 'array', items: cell },
    wallMs: num,
  }),
} as const;
