"use client";
import type { MarketView } from "@/lib/contracts/markets";
import { formatAge } from "@/lib/format/age";
import { useNow } from "@/lib/client/use-now";

/**
 * Says which markets have no fresh price — their figures use the last mark, with its true age —
 * and which have never had one (positions in them are unknown, their accounts not liquidated), in
 * a strip of fixed height that is always there: the page does not jump when it appears.
 */
export function StaleMarketsBanner({ markets, paused }: { markets: readonly MarketView[]; paused: number }) {
  const now = useNow();
  const stale = markets.filter((m) => m.stale && m.mark !== null && m.markTs !== null);
  const unpriced = markets.filter((m) => m.mark === null);
  if (stale.length === 0 && unpriced.length === 0) {
    return <div className="banner-slot"><div className="banner banner-quiet">Every market has a fresh mark price.</div></div>;
  }
  const parts: string[] = [];
  if (stale.length > 0) {
    const list = stale.map((m) => `${m.id} (last mark ${formatAge(now - m.markTs!)} ago)`).join(", ");
    parts.push(`STALE PRICE: ${list} — no fresh source; figures use the last mark and${paused > 0
      ? ` ${paused} liquidation${paused === 1 ? " is" : "s are"} paused`
      : " liquidations touching it are paused"} until a fresh price arrives.`);
  }
  if (unpriced.length > 0) {
    parts.push(`NO PRICE YET: ${unpriced.map((m) => m.id).join(", ")} — positions in ${unpriced.length === 1 ? "it" : "them"} are unknown (never valued at entry), their accounts not liquidated.`);
  }
  const text = parts.join(" ");
  return (
    <div className="banner-slot">
      <div className="banner banner-warn" role="alert" data-testid="stale-markets" title={text} suppressHydrationWarning>{text}</div>
    </div>
  );
}
