import { fixedFormat } from "./number-format";

/** Decimals implied by a tick or lot size: 0.1 → 1, 0.00001 → 5, 10 → 0. */
export function stepDecimals(step: number): number {
  if (!(step > 0)) return 0;
  const text = step.toString();
  const exp = /e-(\d+)$/.exec(text);
  if (exp) return Number(exp[1]);
  const dot = text.indexOf(".");
  return dot < 0 ? 0 : text.length - dot - 1;
}

/** A price at the market's tick decimals, with thousands separators: 60,165.7. "—" for none. */
export function formatPrice(price: number | null | undefined, tickSize: number): string {
  if (price === null || price === undefined || !Number.isFinite(price)) return "—";
  const d = stepDecimals(tickSize);
  return fixedFormat(d).format(price);
}
