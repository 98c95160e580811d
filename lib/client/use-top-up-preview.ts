"use client";
import { useEffect } from "react";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { AccountView } from "@/lib/contracts/book-views";
import type { TopUpPreview } from "@/lib/contracts/topup";
import { postJson } from "./fetch-json";
import { queryKeys } from "./query-keys";

const PREVIEW_REFRESH_MS = 3000;

/** A preview more than this much older than the live figures beside it is asked for again. */
const BEHIND_LIVE_MS = 1000;

/** The page's live view of the account and when the engine was asked for it. */
export interface LiveAccount {
  view: AccountView;
  serverTime: number;
}

/** The preview was computed more than a second before the live figures beside it: it is not "now" any more. */
export function isBehindLive(liveAsOf: number | undefined, preview: TopUpPreview | undefined): boolean {
  return liveAsOf !== undefined && preview !== undefined && liveAsOf - preview.serverTime > BEHIND_LIVE_MS;
}

/**
 * The preview was computed from the same account state as the live view beside it: the same
 * collateral, the same positions (market and quantity) and the same status. When not (a
 * liquidation step, a top-up, an ingest or a price move across a line came in between), its
 * figures describe another account than the one on the page and must not be shown as its own.
 */
export function previewAgrees(view: AccountView, preview: TopUpPreview): boolean {
  const basis = preview.basis;
  return basis.collateral === view.collateral
    && basis.status === view.status
    && basis.positions.length === view.positions.length
    && basis.positions.every((p, i) => p.marketId === view.positions[i]!.marketId && p.qty === view.positions[i]!.qty);
}

/**
 * The server's top-up preview of an account (amount null: the account as it is, liquidation
 * trigger, the largest top-up), refreshed every 3 s, and at once when the live view on the same
 * page (`live`) has moved on from it: a different account state, or more than a second newer.
 * With `marketId`, the preview of margin added to that isolated position (spec §11).
 */
export function useTopUpPreview(accountId: string, amount: string | null, live?: LiveAccount, marketId: string | null = null) {
  const query = useQuery({
    queryKey: queryKeys.topUpPreview(accountId, amount, marketId),
    queryFn: () => postJson<TopUpPreview>(`/api/v1/accounts/${encodeURIComponent(accountId)}/topups/preview`,
      { ...(amount ? { amount } : {}), ...(marketId ? { marketId } : {}) }),
    refetchInterval: PREVIEW_REFRESH_MS,
    placeholderData: keepPreviousData,
    retry: false,
  });
  const { data, isFetching, refetch } = query;
  const moved = live !== undefined && data !== undefined && (isBehindLive(live.serverTime, data) || !previewAgrees(live.view, data));
  useEffect(() => {
    if (!isFetching && moved) void refetch();
  }, [moved, live?.serverTime, isFetching, refetch]);
  return query;
}
