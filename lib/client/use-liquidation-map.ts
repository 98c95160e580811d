"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { BookLiquidationMap } from "@/lib/contracts/book-views";
import { fetchJson } from "./fetch-json";
import { queryKeys } from "./query-keys";

/**
 * The liquidation map of one market (spec §9), fetched again every 10 s while `active` (on screen):
 * it moves slowly and costs the server a full book pass. A market that never had a price answers
 * `{ markPrice: null, reason: "no price yet" }` (200): a state to show, not an error.
 */
export function useLiquidationMap(marketId: string | null, active: boolean) {
  return useQuery({
    queryKey: queryKeys.liquidationMap(marketId ?? ""),
    queryFn: () => fetchJson<BookLiquidationMap>(`/api/v1/markets/${encodeURIComponent(marketId ?? "")}/liquidation-map`),
    enabled: marketId !== null && active,
    refetchInterval: 10_000,
    staleTime: 9000,
    placeholderData: keepPreviousData,
  });
}
