import Decimal from "decimal.js";
import { fixedFormat } from "./number-format";

const MINUS = "\u2212";

function signed(text: string, negative: boolean): string {
  return negative ? `${MINUS}${text}` : text;
}

/**
 * The smallest USD amount the venue keeps (a micro-dollar, the collateral's unit): a figure
 * smaller than this is arithmetic noise and reads as 0.
 */
const USD_UNIT_DECIMALS = 6;

/**
 * A USD amount with thousands separators and cents: 12,345.67 (no currency sign: the unit is
 * labelled). A non-zero amount never reads as 0: one that `decimals` would round to 0 is shown
 * to its first two significant digits (0.000001, −0.0042), down to the micro-dollar; below a
 * micro-dollar it is noise and reads 0.00. "—" for none.
 */
export function formatUsd(value: number | string | null | undefined, decimals = 2): string {
  const n = typeof value === "string" ? Number(value) : value;
  if (n === null || n === undefined || !Number.isFinite(n)) return "—";
  let abs = fixedFormat(decimals).format(Math.abs(n));
  if (!/[1-9]/.test(abs) && Math.abs(n) >= 0.5 * 10 ** -USD_UNIT_DECIMALS) {
    const firstSignificant = -Math.floor(Math.log10(Math.abs(n)));
    abs = fixedFormat(Math.min(USD_UNIT_DECIMALS, firstSignificant + 1)).format(Math.abs(n)).replace(/(\.\d*?[1-9])0+$/, "$1");
  }
  return signed(abs, n < 0 && abs.replace(/[0.,]/g, "") !== "");
}

/**
 * An exact USD amount (a ledger entry, a top-up, a balance): thousands separators and at least the
 * cents, and every further decimal the amount has, never rounded: 0.000001 is "0.000001", never
 * "0.00"; 1250.5 is "1,250.50". Numbers are read as their shortest decimal form. "—" for none.
 */
export function formatUsdExact(value: number | string | null | undefined): string {
  const text = typeof value === "number" ? (Number.isFinite(value) ? decimalText(value) : "") : (value ?? "").trim();
  const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(text);
  if (!m || (m[2] === "" && !m[3])) return "—";
  const whole = m[2]!.replace(/^0+(?=\d)/, "") || "0";
  const fraction = (m[3] ?? "").replace(/0+$/, "").padEnd(2, "0");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return signed(`${grouped}.${fraction}`, m[1] === "-" && /[1-9]/.test(whole + fraction));
}

/** A number's shortest round-trip decimal form, without an exponent (1e-7 → "0.0000001"). */
function decimalText(n: number): string {
  return new Decimal(n).toFixed();
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
