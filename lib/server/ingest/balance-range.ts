import "server-only";
import type Decimal from "decimal.js";
import { BOUNDS, boundText } from "@/lib/contracts/bounds";

/** Why a write that would leave an account's collateral at `after` is refused (beyond ±BOUNDS.collateral.maxAbs). */
export function balanceOutOfRange(accountId: string, after: Decimal | string): string {
  const max = boundText(BOUNDS.collateral.maxAbs);
  return `would take account "${accountId}"'s collateral to ${after.toString()} USD, beyond the allowed range -${max} to ${max} USD; nothing was applied`;
}
