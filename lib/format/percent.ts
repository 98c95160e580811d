import { fixedFormat } from "./number-format";

const MINUS = "\u2212";

/** A fraction as a percentage: 0.0235 → "2.35%"; `signed` adds "+" to positive values. "—" for none. */
export function formatPct(fraction: number | null | undefined, decimals = 2, signed = false): string {
  if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) return "—";
  const pct = fraction * 100;
  const text = Math.abs(pct).toFixed(decimals);
  const isZero = Number(text) === 0;
  const sign = pct < 0 && !isZero ? MINUS : signed && pct > 0 && !isZero ? "+" : "";
  return `${sign}${text}%`;
}

/**
 * A margin ratio (MM / equity; 1 = 100% = liquidation) as a percentage, rounded up so that an
 * account is never shown safer than it is (99.996% reads 100.0%, not 99.99…). `null` — equity at
 * or below zero — is "∞".
 */
export function formatMarginRatio(ratio: number | null | undefined, decimals = 1): string {
  if (ratio === null) return "∞";
  if (ratio === undefined || !Number.isFinite(ratio)) return "—";
  const f = 10 ** decimals;
  const up = Math.ceil(Number((ratio * 100 * f).toFixed(6))) / f;
  return `${fixedFormat(decimals).format(up)}%`;
}
