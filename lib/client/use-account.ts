"use client";
import { useMemo } from "react";
import { skipToken, useQueries, useQuery } from "@tanstack/react-query";
import type { AccountDetail } from "@/lib/contracts/desk";
import { fetchJson, isNotFound } from "./fetch-json";
import { queryKeys } from "./query-keys";
import { newestAccountView, type LiveView } from "./newest-account-view";

/** Accounts are polled this often while on screen. */
export const ACCOUNT_REFRESH_MS = 2000;

function accountQuery(id: string, active = true) {
  return {
    queryKey: queryKeys.account(id),
    queryFn: () => fetchJson<AccountDetail>(`/api/v1/accounts/${encodeURIComponent(id)}`),
    refetchInterval: (query: { state: { error: unknown } }) => (!active || isNotFound(query.state.error) ? false : ACCOUNT_REFRESH_MS),
    staleTime: ACCOUNT_REFRESH_MS / 2,
    retry: (failures: number, error: unknown) => !isNotFound(error) && failures < 1,
  } as const;
}

/**
 * One account's live view, history, ledger and liquidation events, seeded by the server render and
 * polled every 2 s; the view is the newest of the poll's and the socket's (`accountLive`, kept in a
 * cache entry of its own: written into the polled query, each push restarted its 2 s poll timer,
 * so while the socket was live the history, ledger and events never refreshed).
 */
export function useAccount(id: string, initial: AccountDetail) {
  const detail = useQuery({ ...accountQuery(id), initialData: initial, initialDataUpdatedAt: initial.serverTime });
  const { data: live } = useQuery<LiveView>({ queryKey: queryKeys.accountLive(id), queryFn: skipToken, staleTime: Infinity });
  const data = useMemo(() => newestAccountView(detail.data, live), [detail.data, live]);
  return { ...detail, data };
}

/** Several accounts at once (the desk's ratio chart of selected accounts), each polled every 2 s while `active` (on screen). */
export function useAccounts(ids: readonly string[], active: boolean) {
  return useQueries({ queries: ids.map((id) => accountQuery(id, active)) });
}
