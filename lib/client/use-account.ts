"use client";
import { useQueries, useQuery } from "@tanstack/react-query";
import type { AccountDetail } from "@/lib/contracts/desk";
import { fetchJson, isNotFound } from "./fetch-json";
import { queryKeys } from "./query-keys";
import { newestAccountView } from "./newest-account-view";

/** Accounts are polled this often while on screen. */
export const ACCOUNT_REFRESH_MS = 2000;

function accountQuery(id: string, active = true) {
  return {
    queryKey: queryKeys.account(id),
    queryFn: () => fetchJson<AccountDetail>(`/api/v1/accounts/${encodeURIComponent(id)}`),
    refetchInterval: (query: { state: { error: unknown } }) => (!active || isNotFound(query.state.error) ? false : ACCOUNT_REFRESH_MS),
    staleTime: ACCOUNT_REFRESH_MS / 2,
    retry: (failures: number, error: unknown) => !isNotFound(error) && failures < 1,
    // Every write of the account's data (poll, socket push, top-up answer) keeps the newest view.
    structuralSharing: (previous: unknown, next: unknown) => newestAccountView(previous as AccountDetail | undefined, next as AccountDetail),
  } as const;
}

/** One account's live view, history, ledger and liquidation events, seeded by the server render and polled every 2 s. */
export function useAccount(id: string, initial: AccountDetail) {
  return useQuery({ ...accountQuery(id), initialData: initial, initialDataUpdatedAt: initial.serverTime });
}

/** Several accounts at once (the desk's ratio chart of selected accounts), each polled every 2 s while `active` (on screen). */
export function useAccounts(ids: readonly string[], active: boolean) {
  return useQueries({ queries: ids.map((id) => accountQuery(id, active)) });
}
