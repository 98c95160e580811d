"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { LiquidationMap } from "@/lib/risk";
import { fetchJson } from "./fetch-json";
import { queryKeys } from "./query-keys";

/**
 * The liquidation map of one market (spec §9), fetched again every 10 s while `active` (on screen):
 * it moves slowly and costs the server a full book pass.
 */
export function useLiquidationMap(marketId: string | null, active: boolean) {
  return useQuery({
    queryKey: queryKeys.liquidationMap(marketId ?? ""),
    queryFn: () => fetchJson<LiquidationMap>(`/api/v1/markets/${encodeURIComponent(marketId ?? "")}/liquidation-map`),
    enabled: marketId !== null && active,
    refetchInterval: 10_000,
    staleTime: 9000,
    placeholderData: keepPreviousData,
  });
}
