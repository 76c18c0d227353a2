/** The `overwriteInputShapes` option: `"name:1,32 other:1,3,224,224"` or a record, checked against the graph's inputs. */
import { checkedCount } from './dims.js';
import { OnnxImportError } from './errors.js';

export function parseInputShapes(given: string | Readonly<Record<string, readonly number[]>> | undefined, inputNames: readonly string[], where: string): Map<string, number[]> {
  const out = new Map<string, number[]>();
  if (given === undefined) return out;
  const entries: [string, readonly number[]][] =
    typeof given === 'string'
      ? given
          .split(/[\s;]+/)
          .filter(Boolean)
          .map((item) => {
            const colon = item.lastIndexOf(':');
            const dims = item
              .slice(colon + 1)
              .split(',')
              .map(Number);
            if (colon <= 0 || dims.some((d) => !Number.isInteger(d) || d < 0)) {
              throw new OnnxImportError(`cannot read the input shape "${item}"`, { where, hint: 'write name:d1,d2,... with non-negative integer dims, e.g. input_ids:1,32' });
            }
            return [item.slice(0, colon), dims];
          })
      : Object.entries(given);
  for (const [name, dims] of entries) {
    if (!inputNames.includes(name)) {
      throw new OnnxImportError(`overwriteInputShapes names "${name}", which is not a graph input`, { where, hint: `the inputs are: ${inputNames.join(', ')}` });
    }
    checkedCount(dims, name);
    out.set(name, [...dims]);
  }
  return out;
}
