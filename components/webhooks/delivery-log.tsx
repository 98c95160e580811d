"use client";
import type { WebhookDeliveryView } from "@/lib/contracts/webhooks";
import { formatCountdown, formatDateTime } from "@/lib/format/time";
import { useNow } from "@/lib/client/use-now";
import { useDeliveries } from "@/lib/client/use-webhooks";
import { Panel } from "@/components/ui/panel";
import { QueryState, errorMessage } from "@/components/ui/query-state";

const STATE_TONE: Record<WebhookDeliveryView["state"], string> = { delivered: "tone-ok", pending: "tone-warn", dead: "tone-bad" };

/** What a pending delivery waits for: its next attempt, counted down (or "sending" while it is leased past now). */
function nextAttempt(d: WebhookDeliveryView, now: number, disabled: boolean): string {
  if (d.state !== "pending") return "—";
  if (disabled) return "waits: webhook disabled";
  if (d.nextAttemptAt === null) return "—";
  return d.nextAttemptAt - now > 0 ? `in ${formatCountdown(d.nextAttemptAt - now)}` : "due now";
}

/** One webhook's delivery log: each delivery's state, attempts, next retry, last answer and latency; newest first, refreshed every 2 s. */
export function DeliveryLog({ webhookId, name, disabled }: { webhookId: string; name: string; disabled: boolean }) {
  const { data, error, dataUpdatedAt } = useDeliveries(webhookId);
  const now = useNow();
  return (
    <Panel title={<>Delivery log · {name}</>} subtitle="newest 100 · times UTC" testId="delivery-log"
      freshness={{ ts: dataUpdatedAt || null, stale: Boolean(error), staleAfterMs: 10_000 }}
      right={error ? <span className="tone-warn">Could not refresh: {errorMessage(error)}</span> : null}>
      {!data ? <QueryState kind={error ? "error" : "loading"} height={120}>{error ? errorMessage(error) : "Loading…"}</QueryState>
        : data.length === 0 ? <QueryState kind="empty" height={120}>Nothing delivered yet: deliveries appear here when an alert event matches, or after “Send test”.</QueryState>
        : (
          <div className="table-scroll">
            <table className="table delivery-table" data-testid="delivery-table">
              <thead>
                <tr>
                  <th style={{ width: 150 }}>Created</th>
                  <th style={{ width: 140 }}>Event</th>
                  <th style={{ width: 80 }}>State</th>
                  <th className="r" style={{ width: 70 }}>Attempts</th>
                  <th style={{ width: 150 }}>Next retry</th>
                  <th className="r" style={{ width: 64 }}>HTTP</th>
                  <th className="r" style={{ width: 80 }}>Latency <span className="unit">ms</span></th>
                  <th>Last error</th>
                </tr>
              </thead>
              <tbody>
                {data.map((d) => (
                  <tr key={d.id} data-testid={`delivery-${d.id}`} data-state={d.state} data-type={d.type}>
                    <td data-label="Created" className="num">{formatDateTime(d.createdAt)}</td>
                    <td data-label="Event">{d.type}{d.alertId ? <span className="unit"> · alert {d.alertId}</span> : null}</td>
                    <td data-label="State" className={STATE_TONE[d.state]}>{d.state}</td>
                    <td data-label="Attempts" className="r num">{d.attempts} / {d.maxAttempts}</td>
                    <td data-label="Next retry" suppressHydrationWarning>{nextAttempt(d, now, disabled)}</td>
                    <td data-label="HTTP" className="r num">{d.lastStatus ?? "—"}</td>
                    <td data-label="Latency ms" className="r num">{d.lastDurationMs ?? "—"}</td>
                    <td data-label="Last error" className="wrap" title={d.lastError ?? ""}>{d.lastError ?? <span className="muted">—</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
    </Panel>
  );
}
