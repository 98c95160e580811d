"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { TopUpPreview } from "@/lib/contracts/topup";
import { postJson } from "./fetch-json";
import { queryKeys } from "./query-keys";

const PREVIEW_REFRESH_MS = 3000;

/** The server's top-up preview of an account (amount null: the account as it is, presets, liquidation trigger), refreshed every 3 s. */
export function useTopUpPreview(accountId: string, amount: string | null) {
  return useQuery({
    queryKey: queryKeys.topUpPreview(accountId, amount),
    queryFn: () => postJson<TopUpPreview>(`/api/v1/accounts/${encodeURIComponent(accountId)}/topups/preview`, amount ? { amount } : {}),
    refetchInterval: PREVIEW_REFRESH_MS,
    placeholderData: keepPreviousData,
    retry: false,
  });
}
