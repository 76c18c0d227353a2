/**
 * Growth of the typed arrays that hold the e-graph: a larger copy with room for at least `needed`
 * entries, doubling so that appends cost amortised O(1).
 */
export function grown<T extends Int32Array | Uint8Array>(array: T, needed: number, fill = 0): T {
  if (needed <= array.length) return array;
  let size = Math.max(16, array.length);
  while (size < needed) size *= 2;
  const bigger = new (array.constructor as new (n: number) => T)(size);
  bigger.set(array);
  if (fill !== 0) bigger.fill(fill, array.length);
  return bigger;
}
