/**
 * Growth of the typed arrays that hold the e-graph: a larger copy with room for at least `needed`
 * entries, growing by half again each time. Appends stay amortised O(1), and the unused tail is at
 * most a third of the array (doubling would leave up to half).
 */
export function grown<T extends Int32Array | Uint8Array>(array: T, needed: number, fill = 0): T {
  if (needed <= array.length) return array;
  let size = Math.max(16, array.length);
  while (size < needed) size = Math.ceil(size * 1.5);
  const bigger = new (array.constructor as new (n: number) => T)(size);
  bigger.set(array);
  if (fill !== 0) bigger.fill(fill, array.length);
  return bigger;
}

/** `array` cut to its first `length` entries, so no capacity is held beyond what is used. */
export function trimmed<T extends Int32Array | Uint8Array>(array: T, length: number): T {
  return array.length === length ? array : (array.slice(0, length) as T);
}
