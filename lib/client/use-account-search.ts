"use client";
import { useEffect, useState } from "react";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { AccountSearchResult } from "@/lib/contracts/account-search";
import { fetchJson } from "./fetch-json";
import { queryKeys } from "./query-keys";

/** Typing must rest this long before the server is asked. */
export const SEARCH_DEBOUNCE_MS = 150;
/** The server refuses longer queries (lib/contracts/account-search.ts). */
export const SEARCH_MAX_CHARS = 128;

/**
 * The desk's account search for what is typed: asked once typing rests (`SEARCH_DEBOUNCE_MS`),
 * one query per text (TanStack Query), so that an answer to an older text is never shown as the
 * answer to the newer one (the older request is cancelled; a late answer lands under its own key).
 * While the new answer is on its way the previous one stays, with `current` false.
 */
/** The query of one search text (shared by the debounced search and an Enter that will not wait for it). */
export function accountSearchQuery(q: string) {
  return {
    queryKey: queryKeys.accountSearch(q),
    queryFn: ({ signal }: { signal: AbortSignal }) => fetchJson<AccountSearchResult>(`/api/v1/search?q=${encodeURIComponent(q)}`, { signal }),
    staleTime: 2000,
    gcTime: 30_000,
    retry: false,
  } as const;
}

export function useAccountSearch(text: string, enabled: boolean) {
  const q = text.trim();
  const [settled, setSettled] = useState(q);
  useEffect(() => {
    const id = setTimeout(() => setSettled(q), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(id);
  }, [q]);
  const asked = settled.length > 0 && settled.length <= SEARCH_MAX_CHARS && enabled;
  const query = useQuery({ ...accountSearchQuery(settled), enabled: asked, placeholderData: keepPreviousData });
  // The answer shown is for the text typed only once it is settled and answered; otherwise it is the previous one.
  const current = query.data?.q === q && !query.isPlaceholderData;
  return {
    q,
    tooLong: q.length > SEARCH_MAX_CHARS,
    result: q.length > 0 ? (query.data ?? null) : null,
    current,
    error: query.error,
  };
}
