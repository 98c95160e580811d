import type { UnknownAccounts } from "@/lib/contracts/book-views";
import { formatCountOf } from "@/lib/format/quantity";

/**
 * "2 accounts not evaluated: no price yet for SOL-PERP": what a book-wide figure (stress, fund
 * runway, liquidation map) says of the accounts it leaves out because a market they hold has never
 * had a price (spec §7: their figures are unknown, never valued at entry price). `null` when none is.
 */
export function unknownAccountsText(unknown: UnknownAccounts | null | undefined): string | null {
  if (!unknown || unknown.count === 0) return null;
  return `${formatCountOf(unknown.count, "account")} not evaluated: no price yet for ${unknown.markets.join(", ")}`;
}
