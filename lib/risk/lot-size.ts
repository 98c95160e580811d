/**
 * A lot size as an exact decimal: `lotSize = lotUnits / lotScale` with `lotScale = 10^lotDecimals`
 * and `lotUnits` a whole number. Quantities are handled as whole numbers of lots; the quantity of
 * `n` lots is `(n * lotUnits) / lotScale`, one correctly rounded division, which is exactly the
 * double nearest to the decimal `n × lotSize` (the same value as
 * `Number((n * lotSize).toFixed(lotDecimals))`, without a string round trip).
 */
export interface LotSize {
  readonly lotSize: number;
  readonly lotDecimals: number;
  readonly lotUnits: number;
  readonly lotScale: number;
}

/** Largest number of decimals a lot size may have (10^18 is exact in float64). */
export const MAX_LOT_DECIMALS = 18;

/** Decimal places of a number as written by `String(x)` (shortest round-trip form). */
export function decimalPlaces(x: number): number {
  const text = String(Math.abs(x));
  const [mantissa = "", exponentText] = text.split("e");
  const dot = mantissa.indexOf(".");
  const fraction = dot < 0 ? 0 : mantissa.length - dot - 1;
  const exponent = exponentText === undefined ? 0 : Number(exponentText);
  return Math.max(0, fraction - exponent);
}

/** Splits a lot size into whole units over a power of ten; `null` when it has no exact form. */
export function parseLotSize(lotSize: number): LotSize | null {
  if (!Number.isFinite(lotSize) || lotSize <= 0) return null;
  const lotDecimals = decimalPlaces(lotSize);
  if (lotDecimals > MAX_LOT_DECIMALS) return null;
  const lotScale = 10 ** lotDecimals;
  const lotUnits = Math.round(lotSize * lotScale);
  if (!Number.isSafeInteger(lotUnits) || lotUnits <= 0 || lotUnits / lotScale !== lotSize) return null;
  return { lotSize, lotDecimals, lotUnits, lotScale };
}
