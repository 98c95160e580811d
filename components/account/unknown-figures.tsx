import type { AccountView } from "@/lib/contracts/book-views";

/** "unknown — no price for SOL-PERP": what an account figure says while a market it holds has never had a price (spec §7). */
export function unknownText(unpricedMarkets: readonly string[]): string {
  return `unknown — no price for ${unpricedMarkets.join(", ")}`;
}

/**
 * Says why an account's figures are missing: it holds a position in a market that has never had a
 * price, so its equity, margins, ratio and liquidation prices are unknown — never valued at the
 * entry price — and it is neither queued nor liquidated until a price arrives.
 */
export function UnknownFiguresBanner({ view }: { view: AccountView }) {
  if (view.unpricedMarkets.length === 0) return null;
  return (
    <div className="banner banner-warn" role="alert" data-testid="account-unknown">
      Figures {unknownText(view.unpricedMarkets)} yet: equity, margins, margin ratio and liquidation prices are unknown
      until it has one; the account is not liquidated meanwhile.
    </div>
  );
}
