"use client";
import { useEffect } from "react";
import { useMutation, useQuery, useQueryClient, type QueryClient } from "@tanstack/react-query";
import type { AlertCounts, AlertDetail, AlertPage, AlertsChange, AlertView } from "@/lib/contracts/alerts";
import { ALERTS_PAGE, alertsApiQuery, type AlertsFilter } from "./alerts-filter";
import { fetchJson, postJson } from "./fetch-json";
import { queryKeys } from "./query-keys";
import { getSocket } from "./socket";

/** Pages subscribed to the alerts room's pushes; one socket listener serves them all. */
let subscribers = 0;
let unsubscribe: (() => void) | null = null;

function subscribe(queryClient: QueryClient): () => void {
  const socket = getSocket();
  const onChanged = (change: AlertsChange) => {
    const held = queryClient.getQueryData<AlertCounts>(queryKeys.alertCounts);
    if (!held || held.serverTime <= change.counts.serverTime) queryClient.setQueryData(queryKeys.alertCounts, change.counts);
    if (change.changes.length > 0 || change.more > 0) void queryClient.invalidateQueries({ queryKey: queryKeys.alertLists });
    for (const c of change.changes) void queryClient.invalidateQueries({ queryKey: queryKeys.alertDetail(c.id) });
    if (change.more > 0) void queryClient.invalidateQueries({ queryKey: ["alerts", "detail"] });
  };
  // Pushes missed while disconnected: read everything again on (re)connect.
  const onConnect = () => void queryClient.invalidateQueries({ queryKey: queryKeys.alertsAll });
  socket.on("alerts:changed", onChanged);
  socket.on("connect", onConnect);
  return () => {
    socket.off("alerts:changed", onChanged);
    socket.off("connect", onConnect);
  };
}

/** Keeps the alert queries of this page live (the socket room `alerts`: the desk only). */
export function useAlertsLive(): void {
  const queryClient = useQueryClient();
  useEffect(() => {
    if (subscribers++ === 0) unsubscribe = subscribe(queryClient);
    return () => {
      if (--subscribers === 0) {
        unsubscribe?.();
        unsubscribe = null;
      }
    };
  }, [queryClient]);
}

/** The header's counts: read once, then as each push carries them. */
export function useAlertCounts() {
  useAlertsLive();
  return useQuery({
    queryKey: queryKeys.alertCounts,
    queryFn: () => fetchJson<AlertCounts>("/api/v1/alerts/counts"),
    staleTime: Infinity,
  });
}

/** One filter's newest alerts; `initial` seeds the filter the page was rendered with. */
export function useAlertList(filter: AlertsFilter, initial: { filter: string; page: AlertPage } | null, filterKey: string) {
  useAlertsLive();
  return useQuery({
    queryKey: queryKeys.alertList(filter),
    queryFn: () => fetchJson<AlertPage>(`/api/v1/alerts?${new URLSearchParams(alertsApiQuery(filter, ALERTS_PAGE))}`),
    initialData: initial && initial.filter === filterKey ? initial.page : undefined,
    staleTime: Infinity,
    placeholderData: (previous) => previous,
  });
}

/** One alert with its rule and history. */
export function useAlertDetail(id: string | null) {
  return useQuery({
    queryKey: queryKeys.alertDetail(id ?? ""),
    queryFn: () => fetchJson<AlertDetail>(`/api/v1/alerts/${encodeURIComponent(id!)}`),
    enabled: id !== null,
    staleTime: Infinity,
  });
}

export type AlertAction = "acknowledge" | "resolve" | "snooze" | "assign";

/** A transition of one alert; the lists, its detail and the counts are read again after it. */
export function useAlertAction() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, action, body }: { id: string; action: AlertAction; body: Record<string, unknown> }) =>
      postJson<AlertView>(`/api/v1/alerts/${encodeURIComponent(id)}/${action}`, body),
    onSettled: (_data, _error, { id }) => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.alertLists });
      void queryClient.invalidateQueries({ queryKey: queryKeys.alertDetail(id) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.alertCounts });
    },
  });
}
