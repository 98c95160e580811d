"use client";
import { useCallback, useMemo } from "react";
import { useSearchParams } from "next/navigation";
import { filterFromUrl, filterToUrl, type AccountsFilter } from "./accounts-filter";

/**
 * The desk table's filter and sort, kept in the page's URL (shareable; Back and Forward step
 * through them): read with `useSearchParams`, written with the History API, which Next.js folds
 * into its router (no server round trip for a filter). Each change is a history entry, except
 * refining the id text already typed, which replaces the entry it typed into.
 */
export function useAccountsFilterUrl(): [AccountsFilter, (next: AccountsFilter) => void] {
  const params = useSearchParams();
  const search = params.toString();
  const filter = useMemo(() => filterFromUrl(new URLSearchParams(search)), [search]);
  const setFilter = useCallback((next: AccountsFilter) => {
    const current = new URLSearchParams(window.location.search);
    const was = filterFromUrl(current);
    const qs = filterToUrl(next, current).toString();
    if (qs === current.toString()) return;
    const url = `${window.location.pathname}${qs ? `?${qs}` : ""}${window.location.hash}`;
    const refiningText = was.q !== "" && next.q !== "" && was.q !== next.q && was.market === next.market && was.minRatio === next.minRatio
      && was.sort === next.sort && was.status.join() === next.status.join();
    if (refiningText) window.history.replaceState(null, "", url);
    else window.history.pushState(null, "", url);
  }, []);
  return [filter, setFilter];
}
