/** Typed arrays that can be reallocated larger, keeping their contents (capacity doubling helpers). */
type Typed = Float64Array | Int32Array | Uint8Array | Uint16Array;

/** The next capacity at least `needed`: doubling from `current` (at least 16). */
export function nextCapacity(current: number, needed: number): number {
  let c = Math.max(16, current);
  while (c < needed) c *= 2;
  return c;
}

/** A copy of `array` with length `capacity`, the extra rows set to `fill`. */
export function grow<T extends Typed>(array: T, capacity: number, fill = 0): T {
  if (array.length >= capacity) return array;
  const out = new (array.constructor as new (n: number) => T)(capacity);
  out.set(array as never);
  if (fill !== 0) out.fill(fill, array.length);
  return out;
}
