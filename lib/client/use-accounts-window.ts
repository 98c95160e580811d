"use client";
import { useEffect, useState } from "react";
import { useQueries, useQueryClient } from "@tanstack/react-query";
import type { Page } from "@/lib/contracts/book-views";
import type { AccountListRow } from "@/lib/contracts/desk";
import { accountsQueryString, type AccountsFilter } from "./accounts-filter";
import { fetchJson } from "./fetch-json";
import { queryKeys } from "./query-keys";

/** Rows per request of the at-risk list. */
export const ACCOUNTS_PAGE_ROWS = 100;
/** Pages in view are fetched again this often: the list is live. */
const REFRESH_MS = 3000;
/** Scrolling must rest this long before pages are fetched (a thumb drag over 100,000 rows fetches nothing in between). */
const SETTLE_MS = 120;

function fetchPage(filter: AccountsFilter, page: number): Promise<Page<AccountListRow>> {
  return fetchJson<Page<AccountListRow>>(`/api/v1/accounts?${accountsQueryString(filter, page * ACCOUNTS_PAGE_ROWS, ACCOUNTS_PAGE_ROWS)}`);
}

/**
 * The at-risk list over a window of rows `[first, last)`: fetches, through TanStack Query, the pages
 * of `ACCOUNTS_PAGE_ROWS` rows that cover the window once scrolling rests, refreshes them while in
 * view and `active` (the table on screen), and answers rows from any page already cached (`null`
 * for a row not loaded yet).
 */
export function useAccountsWindow(filter: AccountsFilter, first: number, last: number, active: boolean) {
  const queryClient = useQueryClient();
  const wantFirst = Math.floor(first / ACCOUNTS_PAGE_ROWS);
  const wantLast = Math.max(wantFirst, Math.floor(Math.max(first, last - 1) / ACCOUNTS_PAGE_ROWS));
  const [settled, setSettled] = useState({ from: wantFirst, to: wantLast });
  useEffect(() => {
    const id = setTimeout(() => setSettled({ from: wantFirst, to: wantLast }), SETTLE_MS);
    return () => clearTimeout(id);
  }, [wantFirst, wantLast]);

  const pages: number[] = [];
  for (let p = settled.from; p <= settled.to; p++) pages.push(p);
  const results = useQueries({
    queries: pages.map((page) => ({
      queryKey: queryKeys.accountsPage(filter, page),
      queryFn: () => fetchPage(filter, page),
      staleTime: REFRESH_MS - 500,
      refetchInterval: active ? REFRESH_MS : false,
      gcTime: 60_000,
    })),
  });

  const cached = (page: number): Page<AccountListRow> | undefined =>
    queryClient.getQueryData<Page<AccountListRow>>(queryKeys.accountsPage(filter, page));
  const rowAt = (index: number): AccountListRow | null => {
    const page = cached(Math.floor(index / ACCOUNTS_PAGE_ROWS));
    return page?.items[index - page.offset] ?? null;
  };

  // The count of matches: from a page in view, else from any page of this filter already cached.
  let total: number | null = results.find((r) => r.data)?.data?.total ?? null;
  const updatedAt = Math.max(0, ...results.map((r) => r.dataUpdatedAt));
  if (total === null) {
    for (const [, data] of queryClient.getQueriesData<Page<AccountListRow>>({ queryKey: queryKeys.accountsFilter(filter) })) {
      if (data) {
        total = data.total;
        break;
      }
    }
  }
  const error = results.find((r) => r.error)?.error ?? null;
  const fetching = results.some((r) => r.isFetching);
  return { total, rowAt, error, fetching, updatedAt: updatedAt || null };
}
