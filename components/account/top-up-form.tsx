"use client";
import { useEffect, useState, type FormEvent } from "react";
import { useQueryClient } from "@tanstack/react-query";
import type { AccountDetail } from "@/lib/contracts/desk";
import { COLLATERAL_DECIMALS, type TopUpResult, type TopUpSide } from "@/lib/contracts/topup";
import { ApiError, postJson } from "@/lib/client/fetch-json";
import { queryKeys } from "@/lib/client/query-keys";
import { isBehindLive, useTopUpPreview } from "@/lib/client/use-top-up-preview";
import type { MarketDisplay } from "@/lib/client/market-index";
import { marketDisplay } from "@/lib/client/market-index";
import { formatUsd } from "@/lib/format/usd";
import { formatPrice } from "@/lib/format/price";
import { MarginRatio } from "@/components/ui/margin-ratio";
import { StatusBadge } from "@/components/ui/status-badge";

const AMOUNT_TEXT = new RegExp(`^\\d{1,20}(\\.\\d{1,${COLLATERAL_DECIMALS}})?$`);

/** A fresh idempotency key: one per intended top-up (a resubmission of the same one reuses it). */
function newKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `ui-${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}

/** The amount as typed, or why it cannot be sent (the server checks again, and the maximum). */
function amountProblem(text: string): string | null {
  const t = text.trim();
  if (t === "") return null;
  if (!/^\d*\.?\d*$/.test(t) || t === ".") return "Amount: enter a number of USD, like 250 or 1250.50.";
  if (t.includes(".") && t.split(".")[1]!.length > COLLATERAL_DECIMALS) return `Amount: at most ${COLLATERAL_DECIMALS} decimals.`;
  if (!AMOUNT_TEXT.test(t) || !(Number(t) > 0)) return "Amount: must be more than 0.";
  return null;
}

function Side({ side }: { side: TopUpSide }) {
  return (
    <>
      <td><MarginRatio ratio={side.marginRatio} decimals={2} /></td>
      <td><StatusBadge status={side.status} /></td>
      <td className={side.inQueue ? "tone-bad" : "tone-ok"}>{side.inQueue ? "in the queue" : "out of the queue"}</td>
    </>
  );
}

/**
 * Manual top-up: an amount with the server's before → after preview (margin ratio, status, queue,
 * liquidation prices), presets from the top-up-to-safe calculation, a note (required for the
 * desk), sent with an idempotency key so that a double submit applies once.
 */
export function TopUpForm({ accountId, role, markets, liveAsOf }: {
  accountId: string; role: "desk" | "trader"; markets: Map<string, MarketDisplay>;
  /** `serverTime` of the live figures shown beside the form: the preview keeps up with them. */
  liveAsOf: number;
}) {
  const queryClient = useQueryClient();
  const [amount, setAmount] = useState("");
  const [debounced, setDebounced] = useState("");
  const [note, setNote] = useState("");
  const [key, setKey] = useState(newKey);
  const [submitting, setSubmitting] = useState(false);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [done, setDone] = useState<TopUpResult | null>(null);

  useEffect(() => {
    const timer = setTimeout(() => setDebounced(amount.trim()), 250);
    return () => clearTimeout(timer);
  }, [amount]);
  const localProblem = amountProblem(amount);
  const previewAmount = debounced !== "" && amountProblem(debounced) === null ? debounced : null;
  const preview = useTopUpPreview(accountId, previewAmount, liveAsOf);
  const p = preview.data;
  // Until the server answers again, its "now" is older than the figures above: shown dimmed, never as current.
  const behind = isBehindLive(liveAsOf, p);
  const previewError = preview.error instanceof ApiError ? preview.error.fields.find((f) => f.path === "amount")?.message ?? preview.error.message : null;

  function edit(setter: (v: string) => void, value: string) {
    setter(value);
    setKey(newKey()); // a different top-up: a new key
    setFieldErrors({});
    setFormError(null);
    setDone(null);
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    const problems: Record<string, string> = {};
    if (amount.trim() === "") problems.amount = "Amount: enter how much USD to add.";
    else if (localProblem) problems.amount = localProblem;
    if (role === "desk" && note.trim() === "") problems.note = "Note: the desk says why it tops up an account.";
    setFieldErrors(problems);
    if (Object.keys(problems).length || submitting) return;
    setSubmitting(true);
    setFormError(null);
    try {
      const result = await postJson<TopUpResult>(`/api/v1/accounts/${encodeURIComponent(accountId)}/topups`, {
        amount: amount.trim(), idempotencyKey: key, ...(note.trim() ? { note: note.trim() } : {}),
      });
      setDone(result);
      setAmount("");
      setNote("");
      setKey(newKey());
      queryClient.setQueryData<AccountDetail>(queryKeys.account(accountId), (d) => (d ? { ...d, view: result.view, serverTime: result.serverTime } : d));
      void queryClient.invalidateQueries({ queryKey: queryKeys.account(accountId) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.topUpPreviews(accountId) });
    } catch (error) {
      if (error instanceof ApiError && error.fields.length) {
        setFieldErrors(Object.fromEntries(error.fields.map((f) => [f.path, `${f.path === "note" ? "Note" : f.path === "amount" ? "Amount" : f.path}: ${f.message}`])));
      } else {
        // Not known whether it applied (e.g. the connection dropped): submitting again reuses the key, so it applies at most once.
        setFormError(error instanceof ApiError ? error.message.replace(/^\d+: /, "") : "The server did not answer; submit again: it will not apply twice.");
      }
    } finally {
      setSubmitting(false);
    }
  }

  const presetButton = (label: string, value: string | null, testId: string) => value === null ? null : (
    <button type="button" className="btn btn-small" data-testid={testId} onClick={() => edit(setAmount, value)}
      disabled={behind} title={behind ? "computed before the figures above changed: wait for the server's new preview" : undefined}>
      {label}: {formatUsd(value)} USD
    </button>
  );

  return (
    <form className="topup" onSubmit={submit} noValidate data-testid="topup-form">
      <div className="topup-row">
        <label className="field">
          <span>Amount <span className="unit">USD, up to {COLLATERAL_DECIMALS} decimals{p ? `, at most ${formatUsd(p.maxAmount, 0)}` : ""}</span></span>
          <input inputMode="decimal" value={amount} onChange={(e) => edit(setAmount, e.target.value)} placeholder="e.g. 500"
            aria-invalid={Boolean(fieldErrors.amount || localProblem || previewError)} data-testid="topup-amount" />
        </label>
        {presetButton("Enough to leave the queue", p?.presets.leaveQueue ?? null, "topup-preset-queue")}
        {presetButton("Enough to be healthy", p?.presets.healthy ?? null, "topup-preset-healthy")}
      </div>
      {fieldErrors.amount || localProblem || (previewAmount && previewError)
        ? <div className="field-error" role="alert" data-testid="topup-amount-error">{fieldErrors.amount ?? localProblem ?? `Amount: ${previewError}`}</div> : null}
      <label className="field">
        <span>Note {role === "desk" ? <span className="unit">(required: why the desk tops up)</span> : <span className="unit">(optional)</span>}</span>
        <input value={note} onChange={(e) => edit(setNote, e.target.value)} maxLength={500} aria-invalid={Boolean(fieldErrors.note)} data-testid="topup-note" />
      </label>
      {fieldErrors.note ? <div className="field-error" role="alert" data-testid="topup-note-error">{fieldErrors.note}</div> : null}
      {p ? (
        <table className={`topup-compare${behind ? " is-behind" : ""}`} data-testid="topup-preview" data-behind={behind}>
          <thead><tr><th /><th>Margin ratio <span className="unit">MM / equity</span></th><th>Status</th><th>Queue</th></tr></thead>
          <tbody>
            <tr data-testid="topup-now">
              <td>Now{behind ? <span className="stale-tag" title="the live figures above are newer: asking the server again"> updating…</span> : null}</td>
              <Side side={p.before} />
            </tr>
            <tr data-testid="topup-after"><td>After {p.amount ? `+${formatUsd(p.amount)} USD` : "(enter an amount)"}</td><Side side={p.after} /></tr>
            {p.before.positions.map((pos, i) => {
              const m = marketDisplay(markets, pos.marketId);
              const after = p.after.positions[i];
              return (
                <tr key={pos.marketId}>
                  <td>Liq. price {pos.marketId} <span className="unit">USD</span></td>
                  <td colSpan={3} className="num">{formatPrice(pos.liquidationPrice, m.tickSize)} → {formatPrice(after?.liquidationPrice ?? null, m.tickSize)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : preview.isPending ? <div className="muted">Loading the preview…</div>
        : <div className="field-error" role="alert">Preview unavailable: {preview.error instanceof Error ? preview.error.message : "no answer"}</div>}
      {formError ? <div className="field-error" role="alert" data-testid="topup-error">{formError}</div> : null}
      <div className="topup-row">
        <button type="submit" className="btn btn-primary" disabled={submitting} data-testid="topup-submit">{submitting ? "Adding…" : "Add collateral"}</button>
        {done ? (
          <span className="topup-done" role="status" data-testid="topup-done">
            {done.replayed ? "Already applied" : "Added"} {formatUsd(done.entry.amount)} USD · collateral now {formatUsd(done.entry.balanceAfter)} USD
            {done.view.queue ? " · still in the queue" : " · not in the liquidation queue"}
          </span>
        ) : null}
      </div>
    </form>
  );
}
