"use client";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import type { WebhookCreated, WebhookDeliveryView, WebhookView } from "@/lib/contracts/webhooks";
import { fetchJson } from "./fetch-json";

const LIST_REFRESH_MS = 3000;
const LOG_REFRESH_MS = 2000;
const listKey = ["webhooks"] as const;

/** The desk's webhooks (`GET /api/v1/webhooks`; the page's render first), refreshed every 3 s; `dataUpdatedAt` says how current. */
export function useWebhooks(initial: WebhookView[]) {
  return useQuery({
    queryKey: listKey,
    queryFn: () => fetchJson<WebhookView[]>("/api/v1/webhooks"),
    initialData: initial,
    refetchInterval: LIST_REFRESH_MS,
  });
}

/** One webhook's delivery log, newest first, refreshed every 2 s while shown. */
export function useDeliveries(webhookId: string | null) {
  return useQuery({
    queryKey: ["webhooks", webhookId, "deliveries"],
    queryFn: () => fetchJson<WebhookDeliveryView[]>(`/api/v1/webhooks/${encodeURIComponent(webhookId!)}/deliveries?limit=100`),
    enabled: webhookId !== null,
    refetchInterval: LOG_REFRESH_MS,
  });
}

const send = <T,>(url: string, method: string, body?: unknown) =>
  fetchJson<T>(url, { method, ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { "content-type": "application/json" } }) });

/** The webhook writes; each refreshes the list (and the log) when it is done. */
export function useWebhookActions() {
  const client = useQueryClient();
  const refresh = () => client.invalidateQueries({ queryKey: listKey });
  const path = (id: string) => `/api/v1/webhooks/${encodeURIComponent(id)}`;
  const after = async <T,>(p: Promise<T>) => {
    try {
      return await p;
    } finally {
      void refresh();
    }
  };
  return {
    create: (body: unknown) => after(send<WebhookCreated>("/api/v1/webhooks", "POST", body)),
    update: (id: string, body: unknown) => after(send<WebhookView>(path(id), "PATCH", body)),
    remove: (id: string) => after(send<null>(path(id), "DELETE")),
    test: (id: string) => after(send<WebhookDeliveryView>(`${path(id)}/test`, "POST")),
  };
}
