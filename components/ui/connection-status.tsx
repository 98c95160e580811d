"use client";
import { useQuery } from "@tanstack/react-query";
import type { MarketsResponse } from "@/lib/contracts/markets";
import { marksAsOf } from "@/lib/client/marks-as-of";
import { queryKeys } from "@/lib/client/query-keys";
import { useSocketStatus } from "@/lib/client/use-socket-status";

const TEXT = { live: "LIVE", connecting: "CONNECTING…", down: "RECONNECTING — figures are not current" } as const;

/**
 * LIVE only while the socket is connected and every market has a fresh price; connected with no
 * fresh price anywhere (a restart without a feed) it says NO PRICE FEED, with some markets stale
 * STALE PRICES, never LIVE; RECONNECTING (figures frozen, marked stale) after the socket dropped.
 * The markets are the ones the page streams (the query cache); a page without them shows the socket alone.
 */
export function ConnectionStatus() {
  const socket = useSocketStatus();
  const { data } = useQuery<MarketsResponse>({ queryKey: queryKeys.markets, enabled: false, staleTime: Infinity });
  const marks = data ? marksAsOf(data.markets) : null;
  const notFresh = marks ? [...marks.unpriced, ...marks.stale].sort() : [];
  const status = socket !== "live" || !data || notFresh.length === 0 ? socket
    : notFresh.length === data.markets.length ? "nofeed" : "stale";
  const text = status === "nofeed" ? "NO PRICE FEED — figures use the last marks"
    : status === "stale" ? `STALE PRICES: ${notFresh.join(", ")}`
    : TEXT[status];
  return (
    <span className={`conn conn-${status}`} data-testid="connection-status" data-status={status} role="status"
      title={status === "nofeed" || status === "stale" ? "connected, but these markets have no fresh price: their figures use the last mark" : undefined}>
      <span className="conn-dot" aria-hidden />{text}
    </span>
  );
}
