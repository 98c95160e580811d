/**
 * Says which markets have no fresh price (their figures use the last mark, their liquidations
 * wait), in a strip of fixed height that is always there: the page does not jump when it appears.
 */
export function StaleMarketsBanner({ staleMarkets, paused }: { staleMarkets: string[]; paused: number }) {
  if (staleMarkets.length === 0) {
    return <div className="banner-slot"><div className="banner banner-quiet">Every market has a fresh mark price.</div></div>;
  }
  const text = `STALE PRICE: ${staleMarkets.join(", ")} — no fresh source; figures use the last mark and${paused > 0
    ? ` ${paused} liquidation${paused === 1 ? " is" : "s are"} paused`
    : " liquidations touching it are paused"} until a fresh price arrives.`;
  return (
    <div className="banner-slot">
      <div className="banner banner-warn" role="alert" data-testid="stale-markets" title={text}>{text}</div>
    </div>
  );
}
