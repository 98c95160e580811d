const cache = new Map<number, Intl.NumberFormat>();

/**
 * An en-US number format with exactly `decimals` fraction digits and thousands separators.
 * Cached: building an Intl.NumberFormat (as `toLocaleString` with options does) is slow, and a
 * live table formats thousands of numbers a second.
 */
export function fixedFormat(decimals: number): Intl.NumberFormat {
  let f = cache.get(decimals);
  if (!f) {
    f = new Intl.NumberFormat("en-US", { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
    cache.set(decimals, f);
  }
  return f;
}
