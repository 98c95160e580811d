import Decimal from "decimal.js";
import { COLLATERAL_DECIMALS } from "@/lib/contracts/topup";
import { formatUsdExact } from "@/lib/format/usd";

/** A top-up amount as typed, read: the canonical decimal to send, or what is wrong with it. */
export type TopUpAmountReading = { ok: true; amount: string } | { ok: false; message: string };

/** Digits with an optional point: `250`, `1250.50`, `.5` (0.5) and `5.` (5) are all numbers. */
const NUMBER_TEXT = /^(\d+\.?\d*|\.\d+)$/;

/**
 * Reads the top-up form's amount the way the server will (`.5` is 0.5, `5.` is 5, thousands
 * separators and signs are not numbers), and names what is wrong: not a number, too many
 * decimals, not more than 0, or above the largest top-up (`max`, the server's setting, once the
 * preview has said it). The server checks again.
 */
export function readTopUpAmount(text: string, max: string | null): TopUpAmountReading {
  const t = text.trim();
  if (!NUMBER_TEXT.test(t)) return { ok: false, message: "Amount: enter a number of USD, like 250 or 1250.50." };
  const value = new Decimal(t);
  if (value.decimalPlaces() > COLLATERAL_DECIMALS) {
    return { ok: false, message: `Amount: at most ${COLLATERAL_DECIMALS} decimals (collateral is kept to the micro-dollar, 0.000001 USD).` };
  }
  if (value.isZero()) return { ok: false, message: "Amount: must be more than 0." };
  if (max !== null && value.gt(max)) return { ok: false, message: `Amount: too large: the largest top-up is ${formatUsdExact(max)} USD.` };
  if (value.gte("1e20")) return { ok: false, message: "Amount: too large: at most 20 digits before the decimal point." };
  return { ok: true, amount: value.toFixed() };
}
