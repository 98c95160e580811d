"use client";
import { useState } from "react";
import type { WebhookRuleOption, WebhookSettings, WebhookView } from "@/lib/contracts/webhooks";
import { formatAge } from "@/lib/format/age";
import { formatDateTime, formatDuration } from "@/lib/format/time";
import { useNow } from "@/lib/client/use-now";
import { useWebhookActions, useWebhooks } from "@/lib/client/use-webhooks";
import { Panel } from "@/components/ui/panel";
import { QueryState, errorMessage } from "@/components/ui/query-state";
import { DeliveryLog } from "./delivery-log";
import { WebhookForm } from "./webhook-form";

/** What a webhook listens to, in words. */
function filterText(w: WebhookView, rules: readonly WebhookRuleOption[]): string {
  const names = w.ruleIds.map((id) => rules.find((r) => r.id === id)?.name ?? id);
  const ruleText = names.length === 0 ? "every rule" : names.join(", ");
  return `${w.eventKinds.join(" + ")} · ${ruleText}${w.minSeverity ? ` · ${w.minSeverity} or worse` : ""}`;
}

function LastDelivery({ w, now }: { w: WebhookView; now: number }) {
  const d = w.lastDelivery;
  if (!d || d.attemptedAt === null) return <span className="muted">none yet</span>;
  const tone = d.state === "delivered" ? "tone-ok" : d.state === "dead" ? "tone-bad" : "tone-warn";
  return (
    <span suppressHydrationWarning title={formatDateTime(d.attemptedAt) + " UTC"}>
      <span className={tone}>{d.status ?? "no answer"}</span>
      {d.durationMs !== null ? <span className="unit"> · {d.durationMs} ms</span> : null}
      <span className="unit"> · {formatAge(now - d.attemptedAt)} ago</span>
      {d.type === "webhook.test" ? <span className="unit"> · test</span> : null}
    </span>
  );
}

/**
 * The desk's webhooks (/desk/webhooks): each webhook's state, last delivery and failures in a row,
 * adding and editing with the server's field errors, re-enabling, a test delivery, and the delivery
 * log of the one selected. The secret of a new webhook is shown once, here.
 */
export function WebhooksView({ initial, rules, settings }: {
  initial: WebhookView[];
  rules: WebhookRuleOption[];
  settings: WebhookSettings;
}) {
  const { data, error, dataUpdatedAt } = useWebhooks(initial);
  const actions = useWebhookActions();
  const now = useNow();
  const [editing, setEditing] = useState<"new" | string | null>(null);
  const [logOf, setLogOf] = useState<string | null>(initial[0]?.id ?? null);
  const [secret, setSecret] = useState<{ name: string; secret: string } | null>(null);
  const [notes, setNotes] = useState<Record<string, { text: string; tone: string }>>({});
  const note = (id: string, text: string, tone: string) => setNotes((n) => ({ ...n, [id]: { text, tone } }));

  const editingView = editing && editing !== "new" ? data.find((w) => w.id === editing) ?? null : null;
  const logView = logOf ? data.find((w) => w.id === logOf) ?? null : null;

  async function run(id: string, what: string, action: () => Promise<unknown>) {
    note(id, `${what}…`, "muted");
    try {
      await action();
      setNotes((n) => Object.fromEntries(Object.entries(n).filter(([k]) => k !== id)));
    } catch (e) {
      note(id, `${what} failed: ${errorMessage(e)}`, "tone-bad");
    }
  }

  async function sendTest(w: WebhookView) {
    note(w.id, "sending a test…", "muted");
    setLogOf(w.id);
    try {
      const d = await actions.test(w.id);
      note(w.id, d.state === "delivered" ? `test delivered: HTTP ${d.lastStatus} in ${d.lastDurationMs} ms` : `test failed: ${d.lastError ?? "unknown"}`,
        d.state === "delivered" ? "tone-ok" : "tone-bad");
    } catch (e) {
      note(w.id, `test failed: ${errorMessage(e)}`, "tone-bad");
    }
  }

  const retries = `${settings.maxAttempts} attempts, waits from ${formatDuration(settings.backoffBaseMs)} doubling; ` +
    `disabled after ${settings.failureLimit} failed attempts in a row; ${settings.timeoutMs / 1000} s timeout`;

  return (
    <main className="webhooks-page">
      {secret ? (
        <Panel title="Signing secret" subtitle={`for “${secret.name}” · shown this once`} testId="webhook-secret">
          <p className="panel-note">Receivers check each request’s <code>Liqdesk-Signature</code> with it (docs/WEBHOOKS.md). Store it now: it cannot be shown again.</p>
          <code className="secret-box" data-testid="webhook-secret-value">{secret.secret}</code>
          <div className="webhook-form-actions">
            <button type="button" className="btn btn-small" onClick={() => void navigator.clipboard?.writeText(secret.secret)}>Copy</button>
            <button type="button" className="btn btn-small" onClick={() => setSecret(null)}>I have stored it</button>
          </div>
        </Panel>
      ) : null}

      <Panel title="Webhooks" subtitle="alert events POSTed, signed" testId="webhooks-panel"
        freshness={{ ts: dataUpdatedAt || null, stale: Boolean(error), staleAfterMs: 15_000 }}
        right={<>
          {error ? <span className="tone-warn">Could not refresh: {errorMessage(error)}</span> : null}
          {editing === null ? <button type="button" className="btn btn-small btn-primary" onClick={() => setEditing("new")} data-testid="webhook-add">Add webhook</button> : null}
        </>}>
        <p className="panel-note webhook-settings">{retries}</p>
        {editing !== null ? (
          <WebhookForm key={editing} editing={editingView} rules={rules} onCancel={() => setEditing(null)}
            onSubmit={async (body) => {
              if (editingView) {
                await actions.update(editingView.id, body);
              } else {
                const created = await actions.create(body);
                setSecret({ name: created.name, secret: created.secret });
                setLogOf(created.id);
              }
              setEditing(null);
            }} />
        ) : null}
        {data.length === 0 ? (
          <QueryState kind="empty" height={120}>No webhooks yet. Add one to have alert events POSTed to a URL (JSON, or a Slack message).</QueryState>
        ) : (
          <ul className="webhook-list" data-testid="webhook-list">
            {data.map((w) => (
              <li key={w.id} className={`webhook-card${w.enabled ? "" : " webhook-off"}${logOf === w.id ? " webhook-selected" : ""}`}
                data-testid={`webhook-${w.id}`} data-enabled={w.enabled}>
                <div className="webhook-head">
                  <b className="ellipsis">{w.name}</b>
                  <span className={`badge ${w.enabled ? "badge-healthy" : "badge-liquidatable"}`} data-testid="webhook-state">{w.enabled ? "enabled" : "disabled"}</span>
                  <span className="unit">{w.format === "slack" ? "Slack" : "JSON"}</span>
                </div>
                <div className="webhook-url ellipsis" title={w.url}>{w.url}</div>
                <div className="unit">{filterText(w, rules)}</div>
                {!w.enabled ? (
                  <div className="tone-bad webhook-reason" data-testid="webhook-disabled-reason">
                    {w.disabledReason ?? "disabled"}{w.disabledAt ? <span className="unit"> · since {formatDateTime(w.disabledAt)} UTC</span> : null}
                  </div>
                ) : null}
                <dl className="webhook-facts">
                  <div><dt>Last delivery</dt><dd><LastDelivery w={w} now={now} /></dd></div>
                  <div><dt>Failed in a row</dt><dd className={w.consecutiveFailures > 0 ? "tone-warn" : ""} data-testid="webhook-failures">{w.consecutiveFailures} / {settings.failureLimit}</dd></div>
                  <div><dt>Pending</dt><dd data-testid="webhook-pending">{w.pending}</dd></div>
                </dl>
                <div className="webhook-actions">
                  <button type="button" className="btn btn-small" onClick={() => setLogOf(w.id)} aria-pressed={logOf === w.id}>Delivery log</button>
                  <button type="button" className="btn btn-small" onClick={() => void sendTest(w)} data-testid="webhook-test">Send test</button>
                  <button type="button" className="btn btn-small" onClick={() => setEditing(w.id)} disabled={editing !== null}>Edit</button>
                  {w.enabled
                    ? <button type="button" className="btn btn-small" onClick={() => void run(w.id, "disabling", () => actions.update(w.id, { enabled: false }))}>Disable</button>
                    : <button type="button" className="btn btn-small btn-primary" onClick={() => void run(w.id, "enabling", () => actions.update(w.id, { enabled: true }))} data-testid="webhook-enable">Re-enable</button>}
                  <button type="button" className="btn btn-small" onClick={() => {
                    if (window.confirm(`Delete the webhook “${w.name}” and its delivery log?`)) void run(w.id, "deleting", () => actions.remove(w.id));
                  }}>Delete</button>
                </div>
                {notes[w.id] ? <div className={`webhook-note ${notes[w.id]!.tone}`} data-testid="webhook-note" role="status">{notes[w.id]!.text}</div> : null}
              </li>
            ))}
          </ul>
        )}
      </Panel>

      {logView ? <DeliveryLog key={logView.id} webhookId={logView.id} name={logView.name} disabled={!logView.enabled} /> : null}
    </main>
  );
}
