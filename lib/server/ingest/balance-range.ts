import "server-only";
import Decimal from "decimal.js";
import { BOUNDS, boundText } from "@/lib/risk/bounds";

/**
 * Decimals exact to `Decimal(38,18)` and beyond (decimal.js rounds to 20 significant digits by
 * default: 10¹⁸ + 0.000001 would be 10¹⁸): what balance checks add with.
 */
export const ExactDecimal = Decimal.clone({ precision: 64 });

/** Why a write that would leave an account's collateral at `after` is refused (beyond ±BOUNDS.collateral.maxAbs). */
export function balanceOutOfRange(accountId: string, after: Decimal | string): string {
  const max = boundText(BOUNDS.collateral.maxAbs);
  return `would take account "${accountId}"'s collateral to ${after.toString()} USD, beyond the allowed range -${max} to ${max} USD; nothing was applied`;
}
