"use client";
import { useEffect } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import type { MarginCallsResponse, MarginCallUpdate } from "@/lib/contracts/margin-calls";
import { fetchJson } from "./fetch-json";
import { mergeMarginCalls, withCallUpdate } from "./margin-call-list";
import { queryKeys } from "./query-keys";
import { getSocket } from "./socket";

/** The calls are polled this often besides the pushes (a push missed while the socket was down is caught up). */
const MARGIN_CALLS_REFRESH_MS = 5000;

/**
 * One account's margin calls: seeded by the server render, kept current by the socket's
 * `account:margin-call` (pushed to the account's room and the desk the moment a call is issued,
 * met, expired or cancelled) and polled every 5 s. A poll never takes a call back to open once a
 * push closed it (`mergeMarginCalls`).
 */
export function useMarginCalls(accountId: string, initial: MarginCallsResponse) {
  const queryClient = useQueryClient();
  const key = queryKeys.marginCalls(accountId);
  useEffect(() => {
    const socket = getSocket();
    const onCall = (update: MarginCallUpdate) => {
      if (update.accountId !== accountId) return;
      queryClient.setQueryData<MarginCallsResponse>(queryKeys.marginCalls(accountId), (current) => withCallUpdate(current, update));
      // A call met or expired changes what the page shows of the account (ledger, suggestion): ask again now.
      if (update.call.state !== "open") void queryClient.invalidateQueries({ queryKey: queryKeys.account(accountId) });
    };
    socket.on("account:margin-call", onCall);
    return () => {
      socket.off("account:margin-call", onCall);
    };
  }, [accountId, queryClient]);
  return useQuery({
    queryKey: key,
    queryFn: async () => mergeMarginCalls(
      queryClient.getQueryData<MarginCallsResponse>(key),
      await fetchJson<MarginCallsResponse>(`/api/v1/accounts/${encodeURIComponent(accountId)}/margin-calls`),
    ),
    initialData: initial,
    initialDataUpdatedAt: initial.serverTime,
    refetchInterval: MARGIN_CALLS_REFRESH_MS,
    staleTime: MARGIN_CALLS_REFRESH_MS / 2,
  });
}
