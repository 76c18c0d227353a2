/**
 * A checker for the part of JSON Schema that bench-schema.ts uses (type, enum, const, anyOf,
 * properties, required, additionalProperties, items): the paths at which `value` breaks `schema`.
 */
type Schema = Record<string, unknown>;

function typeOk(type: string, v: unknown): boolean {
  switch (type) {
    case 'object':
      return typeof v === 'object' && v !== null && !Array.isArray(v);
    case 'array':
      return Array.isArray(v);
    case 'integer':
      return Number.isInteger(v);
    case 'null':
      return v === null;
    default:
      return typeof v === type;
  }
}

export function schemaErrors(schema: Schema, value: unknown, path = '$'): string[] {
  if (schema['anyOf']) return (schema['anyOf'] as Schema[]).some((s) => schemaErrors(s, value, path).length === 0) ? [] : [`${path}: matches no alternative`];
  if ('const' in schema && value !== schema['const']) return [`${path}: is not ${JSON.stringify(schema['const'])}`];
  if (schema['enum'] && !(schema['enum'] as unknown[]).includes(value)) return [`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema['enum'])}`];
  if (typeof schema['type'] === 'string' && !typeOk(schema['type'], value)) return [`${path}: is not of type ${schema['type']}`];
  if (Array.isArray(value) && schema['items']) return value.flatMap((v, i) => schemaErrors(schema['items'] as Schema, v, `${path}[${i}]`));
  if (!typeOk('object', value)) return [];
  const object = value as Record<string, unknown>;
  const properties = (schema['properties'] ?? {}) as Record<string, Schema>;
  const extra = schema['additionalProperties'];
  return [
    ...((schema['required'] ?? []) as string[]).filter((k) => !(k in object)).map((k) => `${path}: lacks "${k}"`),
    ...Object.entries(object).flatMap(([k, v]) => {
      if (properties[k]) return schemaErrors(properties[k], v, `${path}.${k}`);
      if (extra === false) return [`${path}: has unknown key "${k}"`];
      return typeof extra === 'object' ? schemaErrors(extra as Schema, v, `${path}.${k}`) : [];
    }),
  ];
}
