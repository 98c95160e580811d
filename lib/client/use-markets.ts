"use client";
import { useEffect, useMemo } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import type { MarketsResponse, MarketView } from "@/lib/contracts/markets";
import { applyMarketsDelta, namesUnknownMarket } from "./apply-markets-delta";
import { marketsOfSelector } from "./markets-of";
import { queryKeys } from "./query-keys";
import { getSocket } from "./socket";
import { fetchJson } from "./fetch-json";

/**
 * Live markets: the server-rendered snapshot seeds the query; socket snapshots replace it and
 * numbered deltas patch it. The query cache is the only store of this data in the browser.
 */
export function useMarkets(initial: MarketsResponse) {
  return useMarketsSelected(initial, identity);
}

const identity = (data: MarketsResponse) => data;

/**
 * The live markets of `ids` only (in the list's order), as an array that keeps its identity while
 * none of them changed: a page about one account redraws when its own markets move, not at every
 * tick of the book's other markets (up to 10 frames a second).
 */
export function useMarketsOf(initial: MarketsResponse, ids: readonly string[]): readonly MarketView[] {
  const key = [...new Set(ids)].sort().join("\n");
  const select = useMemo(() => marketsOfSelector(new Set(key ? key.split("\n") : [])), [key]);
  return useMarketsSelected(initial, select).data;
}

function useMarketsSelected<T>(initial: MarketsResponse, select: (data: MarketsResponse) => T) {
  const queryClient = useQueryClient();
  const query = useQuery({
    queryKey: queryKeys.markets,
    queryFn: () => fetchJson<MarketsResponse>("/api/v1/markets"),
    initialData: initial,
    staleTime: Infinity,
    // applyMarketsDelta already keeps every market it did not change: comparing 300-point histories
    // deeply on each frame would only cost time.
    structuralSharing: false,
    select,
  });

  useEffect(() => {
    const socket = getSocket();
    const onSnapshot = (snapshot: MarketsResponse) => queryClient.setQueryData(queryKeys.markets, snapshot);
    const onDelta = (delta: Parameters<typeof applyMarketsDelta>[1]) => {
      const current = queryClient.getQueryData<MarketsResponse>(queryKeys.markets);
      // A market added since the snapshot: ask for a new one, which lists it (and this delta's marks).
      if (current && namesUnknownMarket(current, delta)) socket.emit("markets:resync");
      queryClient.setQueryData<MarketsResponse>(queryKeys.markets, (cur) => (cur ? applyMarketsDelta(cur, delta) : cur));
    };
    socket.on("markets:snapshot", onSnapshot);
    socket.on("markets:delta", onDelta);
    // Joined before this effect ran: ask for the snapshot that would otherwise have been missed.
    if (socket.connected) socket.emit("markets:resync");
    return () => {
      socket.off("markets:snapshot", onSnapshot);
      socket.off("markets:delta", onDelta);
    };
  }, [queryClient]);

  return query;
}
