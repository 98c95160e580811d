"use client";
import { useEffect } from "react";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { TopUpPreview } from "@/lib/contracts/topup";
import { postJson } from "./fetch-json";
import { queryKeys } from "./query-keys";

const PREVIEW_REFRESH_MS = 3000;

/** A preview more than this much older than the live figures beside it is asked for again. */
const BEHIND_LIVE_MS = 1000;

/** The preview was computed more than a second before the live figures beside it: it is not "now" any more. */
export function isBehindLive(liveAsOf: number | undefined, preview: TopUpPreview | undefined): boolean {
  return liveAsOf !== undefined && preview !== undefined && liveAsOf - preview.serverTime > BEHIND_LIVE_MS;
}

/**
 * The server's top-up preview of an account (amount null: the account as it is, presets,
 * liquidation trigger), refreshed every 3 s, and sooner when `liveAsOf` (the `serverTime` of the
 * account's live figures on the same page) is more than a second newer than it: the "now" of the
 * preview must not contradict the figures above it.
 */
export function useTopUpPreview(accountId: string, amount: string | null, liveAsOf?: number) {
  const query = useQuery({
    queryKey: queryKeys.topUpPreview(accountId, amount),
    queryFn: () => postJson<TopUpPreview>(`/api/v1/accounts/${encodeURIComponent(accountId)}/topups/preview`, amount ? { amount } : {}),
    refetchInterval: PREVIEW_REFRESH_MS,
    placeholderData: keepPreviousData,
    retry: false,
  });
  const { data, isFetching, refetch } = query;
  useEffect(() => {
    if (!isFetching && isBehindLive(liveAsOf, data)) void refetch();
  }, [liveAsOf, data, isFetching, refetch]);
  return query;
}
