import { decimalPlaces } from "./lot-size";

/**
 * The accepted range of every number that can reach PostgreSQL or a figure, in one place: the
 * model's own scenario validation (lib/risk) and the ingest, top-up, what-if and stress contracts
 * (lib/contracts, which import them from here) all check against these, so a value out of range is
 * a 400 naming its field before anything is read, written or computed (docs/API.md, "Limits").
 *
 * Why these: money, prices and quantities are `Decimal(38,18)` in PostgreSQL (at most 20 integer
 * digits, 18 decimals) and doubles in the engine. A price is at least 10⁻⁸ (still 10 significant
 * digits at 18 decimals: never rounded to 0 as `1e-30` was) and at most 10⁹; a quantity at most
 * 10⁹ base units; so a position's notional stays ≤ 10¹⁸, a liquidation's notional, fee and PnL fit
 * their columns, and an account's figures stay finite. A collateral movement is at most 10¹⁵ USD
 * and a balance stays within ±10¹⁸ USD (checked inside the write's transaction: the sum of several
 * movements is refused, never overflowed).
 */
export const BOUNDS = {
  /** USD per unit of the base asset (ticks, funding mark prices, entry prices, what-if prices). */
  price: { min: 1e-8, max: 1e9 },
  /** |qty| in base units (positions, what-if positions). */
  qty: { maxAbs: 1e9 },
  /** |amount| in USD of one collateral movement (ingest entries, top-ups). */
  amount: { maxAbs: 1e15 },
  /**
   * |balance| in USD of an account's collateral (after any write; what-if collateral; insurance
   * fund): 0, or from one unit of the 18th decimal to 10¹⁸.
   */
  collateral: { minAbs: 1e-18, maxAbs: 1e18 },
  /**
   * |rate| of one funding period: below `maxAbs` (exclusive), at least `minAbs` (10⁻¹² of the
   * notional, a millionth of a basis point). 0 is refused: a period with no funding moves nothing
   * and writes nothing (no zero-amount ledger entries); a JSON number that underflows (`1e-400`)
   * is read as 0 and refused the same way.
   */
  fundingRate: { minAbs: 1e-12, maxAbs: 1 },
  /** Epoch milliseconds: a whole number in [0, 8.64e15] (the range of a JavaScript Date). */
  ts: { min: 0, max: 8_640_000_000_000_000 },
  /** Per-source sequence numbers: PostgreSQL `bigint`, [0, 2⁶³ − 1]. */
  seq: { max: (1n << 63n) - 1n },
  /** What-if and stress market parameters (spec §2, §5), so that margins and costs stay finite. */
  market: {
    tickSize: { max: 1e9 },
    lotSize: { max: 1e9 },
    /** USD of a tier's cap. */
    maxNotional: { max: 1e18 },
    maxLeverage: { min: 1, max: 1000 },
    /** USD per 1% of price impact. */
    depthPer1Pct: { min: 1, max: 1e18 },
  },
  /** Decimals kept by `Decimal(38,18)`: more is refused, never rounded. */
  decimals: 18,
} as const;

/** Why a number has more decimals than `Decimal(38,18)` keeps, or null. */
export function tooManyDecimals(n: number): string | null {
  return decimalPlaces(n) > BOUNDS.decimals ? `${n} has more than ${BOUNDS.decimals} decimals` : null;
}

/** `1e-8` as `0.00000001`, `1e9` as `1000000000`: how a bound reads in an error message. */
export function boundText(n: number): string {
  if (n === 0) return "0";
  const abs = Math.abs(n);
  if (abs >= 1e-18 && abs < 1e21) return n.toLocaleString("en-US", { useGrouping: false, maximumFractionDigits: 20 });
  return String(n);
}

/** Why a number is out of `[min, max]` (its unit named), or null when it is in. */
export function outOfRange(value: number, min: number, max: number, unit: string): string | null {
  if (!Number.isFinite(value)) return `must be a finite number (got ${String(value)})`;
  if (value < min || value > max) return `must be between ${boundText(min)} and ${boundText(max)} ${unit} (got ${value})`;
  return null;
}
