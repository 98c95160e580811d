import Decimal from "decimal.js";

/**
 * decimal.js with enough precision for `Decimal(38,18)` arithmetic to be exact: a product of two
 * such numbers has at most 76 significant digits. (The default, 20, would silently round.)
 * Rounding, where asked for, is half away from zero, as PostgreSQL's `round` and `numeric` casts.
 */
export const Exact = Decimal.clone({ precision: 100, rounding: Decimal.ROUND_HALF_UP });
export type Exact = InstanceType<typeof Exact>;

/** Decimals kept by the ledger columns. */
export const LEDGER_DECIMALS = 18;

/**
 * An amount as an exact decimal: a string as written, a number as `String(n)` (its shortest
 * round-trip form), rounded to the ledger's 18 decimals.
 */
export function exact(value: string | number): Exact {
  const d = new Exact(typeof value === "number" ? String(value) : value);
  if (!d.isFinite()) throw new Error(`not a finite decimal: ${String(value)}`);
  return d.toDecimalPlaces(LEDGER_DECIMALS, Exact.ROUND_HALF_UP);
}
