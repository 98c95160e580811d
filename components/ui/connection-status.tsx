"use client";
import { useQuery } from "@tanstack/react-query";
import type { MarketsResponse } from "@/lib/contracts/markets";
import { marksAsOf } from "@/lib/client/marks-as-of";
import { queryKeys } from "@/lib/client/query-keys";
import { useSocketStatus } from "@/lib/client/use-socket-status";

const TEXT = { live: "LIVE", connecting: "CONNECTING…", down: "RECONNECTING — figures are not current" } as const;

/**
 * LIVE only while the socket is connected and every market has a fresh price; connected with no
 * fresh price anywhere (a restart without a feed) it says NO PRICE FEED, with some markets stale or
 * never priced STALE PRICES, never LIVE; RECONNECTING (figures frozen, marked stale) after the
 * socket dropped. The markets are the ones the page streams (the query cache); a page without them
 * shows the socket alone. `data-status` is the socket's state, `data-prices` the prices' (fresh,
 * stale, nofeed). A page without prices says CONNECTED, not LIVE, while its socket is up.
 */
export function ConnectionStatus() {
  const socket = useSocketStatus();
  const { data } = useQuery<MarketsResponse>({ queryKey: queryKeys.markets, enabled: false, staleTime: Infinity });
  const marks = data ? marksAsOf(data.markets) : null;
  const notFresh = marks ? [...marks.unpriced, ...marks.stale].sort() : [];
  const prices = !data || notFresh.length === 0 ? "fresh" : notFresh.length === data.markets.length ? "nofeed" : "stale";
  const shown = socket !== "live" || prices === "fresh" ? socket : prices;
  // LIVE says the prices are fresh: a page that streams none (the alerts inbox, the audit log) can
  // only say that its connection is up.
  const text = shown === "nofeed" ? "NO PRICE FEED — figures use the last marks"
    : shown === "stale" ? `STALE PRICES — ${notFresh.length} of ${data!.markets.length} markets`
    : shown === "live" && !data ? "CONNECTED"
    : TEXT[shown];
  return (
    <span className={`conn conn-${shown}`} data-testid="connection-status" data-status={socket} data-prices={prices} role="status"
      title={shown === "nofeed" || shown === "stale" ? `connected; no fresh price for ${notFresh.join(", ")}: figures use the last mark (or are unknown where there was never one)`
        : shown === "live" && !data ? "connected to the server, live; this page shows no prices (the desk board says whether they are fresh)" : undefined}>
      <span className="conn-dot" aria-hidden />{text}
    </span>
  );
}
