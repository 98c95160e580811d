"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { LiquidationMap } from "@/lib/risk";
import { fetchJson } from "./fetch-json";
import { queryKeys } from "./query-keys";

/** The liquidation map of one market (spec §9), fetched again every 5 s while shown. */
export function useLiquidationMap(marketId: string | null) {
  return useQuery({
    queryKey: queryKeys.liquidationMap(marketId ?? ""),
    queryFn: () => fetchJson<LiquidationMap>(`/api/v1/markets/${encodeURIComponent(marketId ?? "")}/liquidation-map`),
    enabled: marketId !== null,
    refetchInterval: 5000,
    staleTime: 4000,
    placeholderData: keepPreviousData,
  });
}
