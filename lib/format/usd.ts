import { fixedFormat } from "./number-format";

const MINUS = "\u2212";

function signed(text: string, negative: boolean): string {
  return negative ? `${MINUS}${text}` : text;
}

/** A USD amount with thousands separators and cents: 12,345.67 (no currency sign: the unit is labelled). "—" for none. */
export function formatUsd(value: number | string | null | undefined, decimals = 2): string {
  const n = typeof value === "string" ? Number(value) : value;
  if (n === null || n === undefined || !Number.isFinite(n)) return "—";
  const abs = fixedFormat(decimals).format(Math.abs(n));
  return signed(abs, n < 0 && abs.replace(/[0.,]/g, "") !== "");
}

const COMPACT_STEPS: [number, string][] = [
  [1e12, "T"],
  [1e9, "B"],
  [1e6, "M"],
  [1e3, "k"],
];

/**
 * A USD aggregate, compact: 1.23 M, 456 k, 12.3 k, 950. Three significant digits from a thousand
 * up; below that whole dollars. "—" for none.
 */
export function formatUsdCompact(value: number | string | null | undefined): string {
  const n = typeof value === "string" ? Number(value) : value;
  if (n === null || n === undefined || !Number.isFinite(n)) return "—";
  const abs = Math.abs(n);
  for (const [step, suffix] of COMPACT_STEPS) {
    if (abs >= step * 0.9995) {
      const scaled = abs / step;
      const digits = scaled >= 99.95 ? 0 : scaled >= 9.995 ? 1 : 2;
      return signed(`${scaled.toFixed(digits)} ${suffix}`, n < 0);
    }
  }
  const whole = Math.round(abs);
  return signed(whole.toString(), n < 0 && whole !== 0);
}
