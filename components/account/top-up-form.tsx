"use client";
import { useEffect, useState, type FormEvent } from "react";
import { useQueryClient } from "@tanstack/react-query";
import Decimal from "decimal.js";
import { COLLATERAL_DECIMALS, type TopUpPreview, type TopUpResult, type TopUpSide } from "@/lib/contracts/topup";
import type { LiveStatus } from "@/lib/risk";
import { smallestAmountAbove } from "@/lib/risk/top-up-to-safe";
import { ApiError, postJson } from "@/lib/client/fetch-json";
import { queryKeys } from "@/lib/client/query-keys";
import { newerLiveView, type LiveView } from "@/lib/client/newest-account-view";
import { isBehindLive, previewAgrees, useTopUpPreview, type LiveAccount } from "@/lib/client/use-top-up-preview";
import type { MarketDisplay } from "@/lib/client/market-index";
import { marketDisplay } from "@/lib/client/market-index";
import { formatUsdExact } from "@/lib/format/usd";
import { readTopUpAmount } from "@/lib/client/top-up-amount";
import { formatPrice } from "@/lib/format/price";
import { MarginRatio } from "@/components/ui/margin-ratio";
import { AccountStateBadge } from "@/components/ui/account-state-badge";

const errorText = (error: unknown) => (error instanceof Error ? error.message : "no answer");

/** A fresh idempotency key: one per intended top-up (a resubmission of the same one reuses it). */
function newKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `ui-${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}

/** One side of the comparison: ratio, status and queue (`null`: not known for this account state yet). */
function Side({ side, testId }: { side: { marginRatio: number | null; status: LiveStatus; equity: number | null; positions: number; inQueue: boolean }; testId: string }) {
  return (
    <>
      <td><MarginRatio ratio={side.marginRatio} decimals={2} /></td>
      <td><AccountStateBadge status={side.status} equity={side.equity} positions={side.positions} testId={`${testId}-status`} /></td>
      <td className={side.inQueue ? "tone-bad" : "tone-ok"} data-testid={`${testId}-queue`}>{side.inQueue ? "in the queue" : "out of the queue"}</td>
    </>
  );
}

const sideOf = (s: TopUpSide) => ({ ...s, positions: s.positions.length });

/** A preset: the least whole cent strictly above the amount that crosses the line (as the server's presets are). */
function presetAbove(amount: number): string {
  return new Decimal(String(smallestAmountAbove(amount, PRESET_UNIT))).toFixed();
}
const PRESET_UNIT = 0.01;

/**
 * Manual top-up: an amount with the server's before → after preview (margin ratio, status, queue,
 * liquidation prices), presets from the top-up-to-safe calculation, a note (required for the
 * desk), sent with an idempotency key so that a double submit applies once.
 *
 * One page, one state: "now" and the presets are the page's live view itself (the one the header
 * and every panel show); the server's "after" is shown only while it was computed from that same
 * account state, else it says "updating…" until the server answers again, and is dimmed while it
 * is more than a second older than the live view.
 *
 * Spec §11 "add margin": when the account holds isolated positions, "Add to" chooses the account
 * (its cross collateral) or one isolated position: the amount then moves from the cross
 * collateral into that position's margin, and "now", "after", the presets and the liquidation
 * price are that position's own (same preview, same idempotency key handling, same route).
 */
export function TopUpForm({ accountId, role, markets, live, prefill }: {
  accountId: string; role: "desk" | "trader"; markets: Map<string, MarketDisplay>;
  /** The live view shown beside the form and when the engine was asked for it. */
  live: LiveAccount;
  /** An amount to fill in (a margin call's remaining amount), filled again each time `key` changes. */
  prefill?: { amount: string; key: string } | null;
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
  /** The isolated position margin is added to (its market), or null: the account's collateral. */
  const [chosen, setTarget] = useState<string | null>(null);
  const isolatedPositions = live.view.positions.filter((pos) => pos.isolated !== undefined);
  // A position closed (or made cross) since it was chosen: back to the account.
  const target = chosen !== null && isolatedPositions.some((pos) => pos.marketId === chosen) ? chosen : null;

  useEffect(() => {
    const timer = setTimeout(() => setDebounced(amount.trim()), 250);
    return () => clearTimeout(timer);
  }, [amount]);
  const [prefilled, setPrefilled] = useState<string | null>(null);
  if (prefill && prefill.key !== prefilled) {
    // A new margin call, or what it still asks changed: the form holds that amount (a new top-up, a new key).
    setPrefilled(prefill.key);
    setAmount(prefill.amount);
    setDebounced(prefill.amount);
    setKey(newKey());
    setFieldErrors({});
    setFormError(null);
  }
  // The largest top-up, as the server's preview of the account (no amount) said it; the server checks again.
  const maxAmount = queryClient.getQueryData<TopUpPreview>(queryKeys.topUpPreview(accountId, null))?.maxAmount ?? null;
  const reading = amount.trim() === "" ? null : readTopUpAmount(amount, maxAmount);
  const localProblem = reading && !reading.ok ? reading.message : null;
  const debouncedReading = debounced === "" ? null : readTopUpAmount(debounced, maxAmount);
  const previewAmount = debouncedReading?.ok ? debouncedReading.amount : null;
  // The amount in the field now: the "after" shown is of this amount or says it is updating.
  const typed = reading?.ok ? reading.amount : null;
  const preview = useTopUpPreview(accountId, previewAmount, live, target);
  const p = preview.data;
  const view = live.view;
  // The server's "after" belongs to the account on the page only while it was computed from the same state.
  const agrees = p !== undefined && previewAgrees(view, p);
  // Until the server answers again, its "after" is older than the figures above: shown dimmed, never as current.
  const behind = isBehindLive(live.serverTime, p);
  const unit = target === null ? null : view.positions.find((pos) => pos.marketId === target)?.isolated ?? null;
  // "Now": the account, or the chosen isolated position alone.
  const now = unit
    ? { marginRatio: unit.marginRatio, status: unit.status, equity: unit.equity, positions: 1, inQueue: unit.queue !== null, topUp: unit.topUp }
    : { marginRatio: view.marginRatio, status: view.status, equity: view.equity, positions: view.positions.length, inQueue: view.queue !== null, topUp: view.topUp };
  const inQueue = now.inQueue;
  const presets = {
    leaveQueue: inQueue && now.topUp ? presetAbove(now.topUp.toMaintenance) : null,
    healthy: now.status !== "healthy" && now.topUp ? presetAbove(now.topUp.toHealthy) : null,
  };
  const shownPositions = target === null ? view.positions : view.positions.filter((pos) => pos.marketId === target);
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
    if (!reading) problems.amount = "Amount: enter how much USD to add.";
    else if (!reading.ok) problems.amount = reading.message;
    if (role === "desk" && note.trim() === "") problems.note = "Note: the desk says why it tops up an account.";
    setFieldErrors(problems);
    if (Object.keys(problems).length || submitting || !reading?.ok) return;
    setSubmitting(true);
    setFormError(null);
    try {
      const result = await postJson<TopUpResult>(`/api/v1/accounts/${encodeURIComponent(accountId)}/topups`, {
        amount: reading.amount, idempotencyKey: key, ...(note.trim() ? { note: note.trim() } : {}), ...(target ? { marketId: target } : {}),
      });
      setDone(result);
      setAmount("");
      setNote("");
      setKey(newKey());
      queryClient.setQueryData<LiveView>(queryKeys.accountLive(accountId), (current) => newerLiveView(current, { view: result.view, serverTime: result.serverTime }));
      void queryClient.invalidateQueries({ queryKey: queryKeys.account(accountId) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.topUpPreviews(accountId) });
    } catch (error) {
      if (error instanceof ApiError && error.fields.length) {
        setFieldErrors(Object.fromEntries(error.fields.map((f) => [f.path === "marketId" ? "amount" : f.path,
          `${f.path === "note" ? "Note" : f.path === "amount" ? "Amount" : f.path === "marketId" ? "Position" : f.path}: ${f.message}`])));
      } else {
        // Not known whether it applied (e.g. the connection dropped): submitting again reuses the key, so it applies at most once.
        setFormError(error instanceof ApiError ? error.message.replace(/^\d+: /, "") : "The server did not answer; submit again: it will not apply twice.");
      }
    } finally {
      setSubmitting(false);
    }
  }

  const presetButton = (label: string, value: string | null, testId: string) => value === null ? null : (
    <button type="button" className="btn btn-small" data-testid={testId} onClick={() => edit(setAmount, value)}>
      {label}: {formatUsdExact(value)} USD
    </button>
  );
  const updating = <span className="stale-tag" title="the account changed since the server computed this: asking it again"> updating…</span>;

  return (
    <form className="topup" onSubmit={submit} noValidate data-testid="topup-form">
      {isolatedPositions.length > 0 ? (
        <label className="field">
          <span>Add to <span className="unit">(margin for an isolated position comes from the cross collateral)</span></span>
          <select value={target ?? ""} data-testid="topup-target" onChange={(e) => edit((v) => setTarget(v === "" ? null : v), e.target.value)}>
            <option value="">Account collateral (cross)</option>
            {isolatedPositions.map((pos) => <option key={pos.marketId} value={pos.marketId}>Isolated {pos.marketId} position: add margin</option>)}
          </select>
        </label>
      ) : null}
      <div className="topup-row">
        <label className="field">
          <span>Amount <span className="unit">USD, up to {COLLATERAL_DECIMALS} decimals{p ? `, at most ${formatUsdExact(p.maxAmount)}` : ""}</span></span>
          <input inputMode="decimal" value={amount} onChange={(e) => edit(setAmount, e.target.value)} placeholder="e.g. 500"
            aria-invalid={Boolean(fieldErrors.amount || localProblem || previewError)} data-testid="topup-amount" />
        </label>
        {presetButton("Enough to leave the queue", presets.leaveQueue, "topup-preset-queue")}
        {presetButton("Enough to be healthy", presets.healthy, "topup-preset-healthy")}
      </div>
      {fieldErrors.amount || localProblem || (previewAmount && previewError)
        ? <div className="field-error" role="alert" data-testid="topup-amount-error">{fieldErrors.amount ?? localProblem ?? `Amount: ${previewError}`}</div> : null}
      <label className="field">
        <span>Note {role === "desk" ? <span className="unit">(required: why the desk tops up)</span> : <span className="unit">(optional)</span>}</span>
        <input value={note} onChange={(e) => edit(setNote, e.target.value)} maxLength={500} aria-invalid={Boolean(fieldErrors.note)} data-testid="topup-note" />
      </label>
      {fieldErrors.note ? <div className="field-error" role="alert" data-testid="topup-note-error">{fieldErrors.note}</div> : null}
      <table className="topup-compare" data-testid="topup-preview" data-behind={behind} data-agrees={agrees}>
        <thead><tr><th /><th>Margin ratio <span className="unit">MM / equity</span></th><th>Status</th><th>Queue</th></tr></thead>
        <tbody>
          <tr data-testid="topup-now">
            <td>Now</td>
            <Side side={now} testId="topup-now" />
          </tr>
          <tr data-testid="topup-after" className={agrees && behind ? "is-behind" : undefined}>
            {!typed ? <><td>After</td><td colSpan={3} className="muted">enter an amount to see its effect</td></>
              : !p || p.amount !== typed || !agrees
                ? <><td>After +{formatUsdExact(typed)} USD</td><td colSpan={3} className="muted">{preview.error && previewAmount === typed ? `preview unavailable: ${errorText(preview.error)}` : updating}</td></>
                : p.marketId !== target ? <><td>After +{formatUsdExact(typed)} USD</td><td colSpan={3} className="muted">{updating}</td></>
                : <><td>After +{formatUsdExact(p.amount)} USD{behind ? updating : null}</td><Side side={sideOf(p.after)} testId="topup-after" /></>}
          </tr>
          {target !== null && typed && agrees && p?.amount === typed && p.crossCollateral ? (
            <tr data-testid="topup-cross">
              <td>Cross collateral <span className="unit">USD</span></td>
              <td colSpan={3} className="num">{formatUsdExact(String(p.crossCollateral.before))} → {formatUsdExact(String(p.crossCollateral.after))}</td>
            </tr>
          ) : null}
          {shownPositions.map((pos) => {
            const m = marketDisplay(markets, pos.marketId);
            const after = typed && agrees && p?.amount === typed && p.marketId === target ? p.after.positions.find((a) => a.marketId === pos.marketId) : undefined;
            return (
              <tr key={pos.marketId} data-testid={`topup-liq-${pos.marketId}`}>
                <td>Liq. price {pos.marketId} <span className="unit">USD</span></td>
                <td colSpan={3} className="num">{formatPrice(pos.liquidationPrice, m.tickSize)}{after ? <> → {formatPrice(after.liquidationPrice, m.tickSize)}</> : null}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {formError ? <div className="field-error" role="alert" data-testid="topup-error">{formError}</div> : null}
      <div className="topup-row">
        <button type="submit" className="btn btn-primary" disabled={submitting} data-testid="topup-submit">{submitting ? "Adding…" : target ? "Add margin" : "Add collateral"}</button>
        {done ? (
          <span className="topup-done" role="status" data-testid="topup-done">
            {done.replayed ? "Already applied" : "Added"} {formatUsdExact(done.entry.amount)} USD
            {done.entry.marketId ? <> of margin to the isolated {done.entry.marketId} position · its margin {formatUsdExact(done.entry.balanceAfter)} USD after it</>
              : <> · collateral {formatUsdExact(done.entry.balanceAfter)} USD after it</>}
          </span>
        ) : null}
      </div>
    </form>
  );
}
