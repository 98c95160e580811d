import { fixedFormat } from "./number-format";
import { stepDecimals } from "./price";

/** A base-asset quantity at the market's lot decimals: 0.25 BTC at lot 0.001 → "0.250". "—" for none. */
export function formatQty(qty: number | null | undefined, lotSize: number): string {
  if (qty === null || qty === undefined || !Number.isFinite(qty)) return "—";
  const d = stepDecimals(lotSize);
  return fixedFormat(d).format(qty);
}

/** A whole count with separators: 12,345. */
export function formatCount(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return "—";
  return fixedFormat(0).format(Math.round(n));
}

/** A count with its noun, singular for exactly one: `1 account`, `2,657 accounts`, `— accounts`. */
export function formatCountOf(n: number | null | undefined, noun: string, plural = `${noun}s`): string {
  return `${formatCount(n)} ${n === 1 ? noun : plural}`;
}
