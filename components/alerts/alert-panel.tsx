"use client";
import { useState, type FormEvent, type KeyboardEvent, type ReactNode } from "react";
import { MAX_SNOOZE_MS, type AlertView, type DeskUserView } from "@/lib/contracts/alerts";
import { actorName, alertSubject, isSnoozed } from "@/lib/client/alert-subject";
import { ApiError } from "@/lib/client/fetch-json";
import { useAlertAction, useAlertDetail, type AlertAction } from "@/lib/client/use-alerts";
import { useNow } from "@/lib/client/use-now";
import { formatAge } from "@/lib/format/age";
import { formatAlertValue } from "@/lib/format/alert-value";
import { formatDateTime } from "@/lib/format/time";
import { AccountLink } from "@/components/ui/account-link";
import { SeverityTag, StateTag } from "./alerts-table";

const SNOOZES = [
  { label: "15 min", ms: 15 * 60_000 },
  { label: "1 hour", ms: 3_600_000 },
  { label: "4 hours", ms: 4 * 3_600_000 },
  { label: "1 day", ms: 86_400_000 },
  { label: "7 days", ms: MAX_SNOOZE_MS },
];

/** The API's refusal as words beside the field it names, or for the whole form. */
function problems(error: unknown): { fields: Map<string, string>; general: string | null } {
  if (!error) return { fields: new Map(), general: null };
  if (error instanceof ApiError && error.fields.length > 0) return { fields: new Map(error.fields.map((f) => [f.path, f.message])), general: null };
  return { fields: new Map(), general: error instanceof ApiError ? error.message.replace(/^\d+: /, "") : String(error) };
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return <><dt>{label}</dt><dd>{children}</dd></>;
}

/**
 * The focused alert: what it says, its history, and the desk's actions on it (acknowledge with a
 * note, resolve with a note, snooze, assign), each opened by its key from the table. Enter in a
 * form sends it, Escape goes back to the row.
 */
export function AlertPanel({ alert, mode, setMode, users, me, onDone }: {
  alert: AlertView;
  mode: AlertAction | null;
  setMode: (mode: AlertAction | null) => void;
  users: ReadonlyMap<string, DeskUserView>;
  me: string;
  /** The form closed (sent or escaped): focus goes back to the table. */
  onDone: () => void;
}) {
  const now = useNow();
  const detail = useAlertDetail(alert.id);
  const action = useAlertAction();
  const [note, setNote] = useState("");
  const [snoozeMs, setSnoozeMs] = useState(SNOOZES[1]!.ms);
  const [assignee, setAssignee] = useState<string>(alert.assignee ?? me);
  const { fields, general } = problems(action.error);
  const subject = alertSubject(alert);
  const resolved = alert.state === "resolved";

  const open = (m: AlertAction) => {
    action.reset();
    setNote("");
    setAssignee(alert.assignee === me ? "" : me);
    setMode(m);
  };
  const close = () => {
    action.reset();
    setMode(null);
    onDone();
  };
  const send = (body: Record<string, unknown>) => {
    if (!mode) return;
    action.mutate({ id: alert.id, action: mode, body }, { onSuccess: close });
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const n = note.trim();
    if (mode === "acknowledge") send(n ? { note: n } : {});
    else if (mode === "resolve") send({ note: n });
    else if (mode === "snooze") send({ until: Date.now() + snoozeMs, ...(n ? { note: n } : {}) });
    else if (mode === "assign") send({ assigneeId: assignee || null, ...(n ? { note: n } : {}) });
  };
  const onFormKey = (e: KeyboardEvent) => {
    if (e.key === "Escape") {
      e.preventDefault();
      close();
    }
  };

  return (
    <div className="alert-panel" data-testid="alert-panel" data-alert={alert.id}>
      <div className="alert-panel-head">
        <SeverityTag severity={alert.severity} />
        <b>{alert.ruleName}</b>
        <StateTag alert={alert} now={now} />
      </div>
      <p className="alert-message">{alert.message || <span className="muted">no message</span>}</p>
      <dl className="alert-facts">
        <Row label="Subject">{subject.accountId ? <AccountLink id={subject.accountId}>{subject.label}</AccountLink> : subject.label}</Row>
        <Row label="Raised"><span suppressHydrationWarning>{formatDateTime(alert.raisedAt)} UTC · {formatAge(now - alert.raisedAt)} ago</span></Row>
        {alert.value !== null ? (({ label, text }) => <Row label={label}>{text}</Row>)(formatAlertValue(alert.kind, alert.value)) : null}
        {alert.acknowledgedAt !== null ? (
          <Row label="Acknowledged">{actorName(alert.acknowledgedBy, users)} · {formatDateTime(alert.acknowledgedAt)} UTC{alert.ackNote ? ` · “${alert.ackNote}”` : ""}</Row>
        ) : null}
        {isSnoozed(alert, now) ? <Row label="Snoozed until">{formatDateTime(alert.snoozedUntil!)} UTC</Row> : null}
        <Row label="Assignee">{alert.assignee ? actorName(alert.assignee, users) : "nobody"}</Row>
        {alert.resolvedAt !== null ? (
          <Row label="Resolved">{actorName(alert.resolvedBy, users)} · {formatDateTime(alert.resolvedAt)} UTC{alert.resolveNote ? ` · “${alert.resolveNote}”` : ""}</Row>
        ) : null}
      </dl>

      {!resolved && mode === null ? (
        <div className="alert-actions">
          {alert.state === "open" ? <button type="button" className="btn btn-small" onClick={() => open("acknowledge")} data-testid="action-acknowledge"><kbd>a</kbd> Acknowledge</button> : null}
          <button type="button" className="btn btn-small" onClick={() => open("resolve")} data-testid="action-resolve"><kbd>r</kbd> Resolve</button>
          <button type="button" className="btn btn-small" onClick={() => open("snooze")} data-testid="action-snooze"><kbd>s</kbd> Snooze</button>
          <button type="button" className="btn btn-small" onClick={() => open("assign")} data-testid="action-assign"><kbd>g</kbd> Assign</button>
          {isSnoozed(alert, now) ? (
            <button type="button" className="btn btn-small" disabled={action.isPending}
              onClick={() => action.mutate({ id: alert.id, action: "snooze", body: { until: null } })}>End snooze</button>
          ) : null}
        </div>
      ) : null}
      {!resolved && mode === null && general ? <p className="field-error" role="alert">{general}</p> : null}

      {!resolved && mode !== null ? (
        <form className="alert-form" onSubmit={submit} onKeyDown={onFormKey} data-testid={`form-${mode}`}>
          {mode === "snooze" ? (
            <label className="field">
              <span>Snooze for</span>
              <select value={snoozeMs} onChange={(e) => setSnoozeMs(Number(e.target.value))} autoFocus aria-invalid={fields.has("until")}>
                {SNOOZES.map((s) => <option key={s.ms} value={s.ms}>{s.label}</option>)}
              </select>
              {fields.has("until") ? <span className="field-error">{fields.get("until")}</span> : null}
            </label>
          ) : null}
          {mode === "assign" ? (
            <label className="field">
              <span>Assign to</span>
              <select value={assignee} onChange={(e) => setAssignee(e.target.value)} autoFocus aria-invalid={fields.has("assigneeId")}>
                <option value="">nobody</option>
                {[...users.values()].map((u) => <option key={u.id} value={u.id}>{u.id === me ? `me (${u.email})` : u.email}</option>)}
              </select>
              {fields.has("assigneeId") ? <span className="field-error">{fields.get("assigneeId")}</span> : null}
            </label>
          ) : null}
          <label className="field">
            <span>{mode === "resolve" ? "Why is it resolved? (required)" : "Note (optional)"}</span>
            <input value={note} onChange={(e) => setNote(e.target.value)} maxLength={500} autoFocus={mode === "acknowledge" || mode === "resolve"}
              data-testid="action-note" aria-invalid={fields.has("note")} placeholder={mode === "acknowledge" ? "e.g. calling the trader" : undefined} />
            {fields.has("note") ? <span className="field-error">{fields.get("note")}</span> : null}
          </label>
          {general ? <p className="field-error" role="alert">{general}</p> : null}
          <div className="alert-form-buttons">
            <button type="submit" className="btn btn-primary btn-small" disabled={action.isPending} data-testid="action-send">
              {action.isPending ? "Sending…" : { acknowledge: "Acknowledge", resolve: "Resolve", snooze: "Snooze", assign: "Assign" }[mode]} <kbd>Enter</kbd>
            </button>
            <button type="button" className="btn btn-small" onClick={close}>Cancel <kbd>Esc</kbd></button>
          </div>
        </form>
      ) : null}

      <h3 className="alert-history-title">History</h3>
      {detail.data ? (
        <ol className="alert-history" data-testid="alert-history">
          {detail.data.events.map((e) => (
            <li key={e.id}><span className="num muted">{formatDateTime(e.at)}</span> <b>{e.kind}</b> by {actorName(e.actor, users)}{e.note ? <> · {e.note}</> : null}</li>
          ))}
        </ol>
      ) : <p className="muted">{detail.isError ? "The history could not be read." : "Reading the history…"}</p>}
    </div>
  );
}
