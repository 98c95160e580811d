"use client";
import { useState, type FormEvent } from "react";
import { useQueryClient } from "@tanstack/react-query";
import type { MarginCallsResponse, MarginCallView } from "@/lib/contracts/margin-calls";
import { ApiError, postJson } from "@/lib/client/fetch-json";
import { openCallOf, withCallUpdate } from "@/lib/client/margin-call-list";
import { queryKeys } from "@/lib/client/query-keys";
import { useNow, useSecondsUntil } from "@/lib/client/use-now";
import { formatMarginRatio } from "@/lib/format/percent";
import { formatDateTime, formatTimeLeft } from "@/lib/format/time";
import { formatUsdExact } from "@/lib/format/usd";
import { MarginCallsTable } from "./margin-calls-table";
import styles from "./margin-calls.module.css";

const UNITS = { min: 60_000, h: 3_600_000 } as const;
const DEFAULT_MESSAGE = "Your account is at risk of liquidation. Please add the amount below as collateral before the deadline.";

const label: Record<string, string> = { amount: "Amount", deadline: "Deadline", message: "Message", alertId: "Alert", accountId: "Account", note: "Note" };
const fieldText = (error: ApiError) => Object.fromEntries(error.fields.map((f) => [f.path, `${label[f.path] ?? f.path}: ${f.message}`]));
const problemText = (error: unknown) => (error instanceof ApiError ? error.message.replace(/^\d+: /, "") : "The server did not answer: look at the list below before issuing again.");

/**
 * The desk's margin calls on an account page: the open call (amount, deadline counting down,
 * credited so far) with a cancel that takes a note, or the form that issues one — the amount
 * prefilled with the tier-aware top-up-to-safe (editable), a deadline, a message, and the alert it
 * answers when the page was opened from one (`?alert=`) — and every call with its outcome.
 */
export function MarginCallDesk({ accountId, calls, alertId }: { accountId: string; calls: MarginCallsResponse; alertId: string | null }) {
  const open = openCallOf(calls.calls);
  return (
    <div className={styles.deskForm}>
      {open ? <OpenCall accountId={accountId} call={open} /> : <IssueForm accountId={accountId} calls={calls} alertId={alertId} />}
      <MarginCallsTable calls={calls.calls} showIssuer="email" />
    </div>
  );
}

function useStoreCall(accountId: string) {
  const queryClient = useQueryClient();
  return (call: MarginCallView) => {
    queryClient.setQueryData<MarginCallsResponse>(queryKeys.marginCalls(accountId), (current) => withCallUpdate(current, { accountId, call, serverTime: Date.now() }));
    void queryClient.invalidateQueries({ queryKey: queryKeys.marginCalls(accountId) });
  };
}

function IssueForm({ accountId, calls, alertId }: { accountId: string; calls: MarginCallsResponse; alertId: string | null }) {
  const store = useStoreCall(accountId);
  const suggestion = calls.suggestion;
  const [amount, setAmount] = useState<string | null>(null);
  const [inCount, setInCount] = useState("4");
  const [unit, setUnit] = useState<keyof typeof UNITS>("h");
  const [message, setMessage] = useState(DEFAULT_MESSAGE);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const now = useNow(1000);
  // Untouched, the amount follows what the top-up-to-safe says now.
  const shownAmount = amount ?? suggestion?.amount ?? "";
  const count = Number(inCount);
  const deadline = Number.isFinite(count) && inCount.trim() !== "" ? now + count * UNITS[unit] : null;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (sending) return;
    const local: Record<string, string> = {};
    if (deadline === null || !(count > 0)) local.deadline = "Deadline: enter how long the trader has, more than 0.";
    setErrors(local);
    setProblem(null);
    if (Object.keys(local).length) return;
    setSending(true);
    try {
      const call = await postJson<MarginCallView>(`/api/v1/accounts/${encodeURIComponent(accountId)}/margin-calls`, {
        ...(shownAmount.trim() ? { amount: shownAmount.trim() } : {}),
        deadline: new Date(Date.now() + count * UNITS[unit]).toISOString(),
        message,
        ...(alertId ? { alertId } : {}),
      });
      store(call);
      setAmount(null);
      setMessage(DEFAULT_MESSAGE);
    } catch (error) {
      if (error instanceof ApiError && error.fields.length) setErrors(fieldText(error));
      else setProblem(problemText(error));
    } finally {
      setSending(false);
    }
  }

  return (
    <form className={styles.deskForm} onSubmit={submit} noValidate data-testid="margin-call-form">
      <div className={styles.suggestion} data-testid="margin-call-suggestion">
        {suggestion === null ? "The engine does not know this account yet."
          : suggestion.inDanger
            ? <>Suggested: <b>{suggestion.amount ? `${formatUsdExact(suggestion.amount)} USD` : "—"}</b>, the least whole cent that makes the account healthy at current marks
              (status {suggestion.status}, margin ratio {formatMarginRatio(suggestion.marginRatio, 2)}).</>
            : <>No call can be issued now: {suggestion.reason}</>}
        {alertId ? <> · answering alert #{alertId}</> : null}
      </div>
      {/* Not in danger (or figures unknown): the reason above, no form; the server refuses such a call too. */}
      {suggestion?.inDanger === false ? null : <>
      <div className={styles.row}>
        <label className="field">
          <span>Amount <span className="unit">USD, editable</span></span>
          <input inputMode="decimal" value={shownAmount} onChange={(e) => setAmount(e.target.value)} aria-invalid={Boolean(errors.amount)} data-testid="margin-call-amount-input" />
        </label>
        <label className="field">
          <span>Deadline <span className="unit" suppressHydrationWarning>from now{deadline !== null && count > 0 ? ` → ${formatDateTime(deadline)} UTC` : ""}</span></span>
          <span className={styles.deadlineInputs}>
            <input inputMode="decimal" value={inCount} onChange={(e) => setInCount(e.target.value)} aria-invalid={Boolean(errors.deadline)} data-testid="margin-call-deadline-in" />
            <select value={unit} onChange={(e) => setUnit(e.target.value as keyof typeof UNITS)} data-testid="margin-call-deadline-unit" aria-label="unit">
              <option value="min">minutes</option>
              <option value="h">hours</option>
            </select>
          </span>
        </label>
      </div>
      {errors.amount ? <div className="field-error" role="alert" data-testid="margin-call-error-amount">{errors.amount}</div> : null}
      {errors.deadline ? <div className="field-error" role="alert" data-testid="margin-call-error-deadline">{errors.deadline}</div> : null}
      <label className="field">
        <span>Message to the trader <span className="unit">(required, up to 1,000 characters)</span></span>
        <textarea className={styles.textarea} value={message} maxLength={1000} onChange={(e) => setMessage(e.target.value)} aria-invalid={Boolean(errors.message)} data-testid="margin-call-message-input" />
      </label>
      {errors.message ? <div className="field-error" role="alert" data-testid="margin-call-error-message">{errors.message}</div> : null}
      {errors.accountId || errors.alertId ? <div className="field-error" role="alert" data-testid="margin-call-error-account">{errors.accountId ?? errors.alertId}</div> : null}
      {problem ? <div className="field-error" role="alert" data-testid="margin-call-error">{problem}</div> : null}
      <div className={styles.row}>
        <button type="submit" className="btn btn-primary" disabled={sending} data-testid="margin-call-submit">{sending ? "Issuing…" : "Issue margin call"}</button>
      </div>
      </>}
    </form>
  );
}

function OpenCall({ accountId, call }: { accountId: string; call: MarginCallView }) {
  const store = useStoreCall(accountId);
  const left = useSecondsUntil(call.deadline);
  const [note, setNote] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);

  async function cancel(event: FormEvent) {
    event.preventDefault();
    if (sending) return;
    if (!note.trim()) {
      setError("Note: say why the call is cancelled.");
      return;
    }
    setSending(true);
    setError(null);
    try {
      store(await postJson<MarginCallView>(`/api/v1/accounts/${encodeURIComponent(accountId)}/margin-calls/${call.id}/cancel`, { note }));
    } catch (e) {
      setError(e instanceof ApiError && e.fields.length ? Object.values(fieldText(e)).join(" ") : problemText(e));
    } finally {
      setSending(false);
    }
  }

  return (
    <div className={styles.openCall} data-testid="margin-call-open" data-call-id={call.id}>
      <div>
        <b>Open margin call #{call.id}</b>: {formatUsdExact(call.amount)} USD by {formatDateTime(call.deadline)} UTC ·{" "}
        <span className={styles.countdown} data-testid="margin-call-open-countdown" suppressHydrationWarning>{formatTimeLeft(left * 1000)} left</span>
      </div>
      <div className={styles.progress}>
        Credited since: {formatUsdExact(call.credited)} USD · still asked {formatUsdExact(call.remaining)} USD · issued by {call.issuer.email} at {formatDateTime(call.issuedAt)} UTC
        {call.alertId ? ` from alert #${call.alertId}` : ""}
      </div>
      <blockquote className={styles.message}>{call.message}</blockquote>
      <form className={styles.row} onSubmit={cancel} noValidate>
        <label className="field grow">
          <span>Cancel with a note <span className="unit">(required)</span></span>
          <input value={note} onChange={(e) => setNote(e.target.value)} maxLength={500} data-testid="margin-call-cancel-note" />
        </label>
        <button type="submit" className="btn" disabled={sending} data-testid="margin-call-cancel">{sending ? "Cancelling…" : "Cancel call"}</button>
      </form>
      {error ? <div className="field-error" role="alert" data-testid="margin-call-cancel-error">{error}</div> : null}
    </div>
  );
}
