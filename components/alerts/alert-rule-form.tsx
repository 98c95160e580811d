"use client";
import { useState, type FormEvent, type ReactNode } from "react";
import {
  ALERT_RULE_KINDS, ALERT_SEVERITIES, ALERTABLE_STATUSES, SYSTEM_ALERT_KINDS, scopesOf,
  type AlertRuleKind, type AlertRuleView, type AlertScope, type AlertSeverity,
} from "@/lib/contracts/alerts";

/** Each kind's parameters as the form asks for them: the label, the unit, and what an empty field means. */
const PARAMS: Record<AlertRuleKind, readonly { key: string; label: string; hint: string }[]> = {
  status_enter: [
    { key: "status", label: "Status", hint: "raised when an account enters it" },
    { key: "minDurationMs", label: "Minimum duration", hint: "ms the status must hold (empty: 0)" },
    { key: "clearAfterMs", label: "Clear after", hint: "ms the account must stay out of it before the alert resolves (empty: 0)" },
  ],
  ratio_above: [
    { key: "threshold", label: "Margin ratio threshold", hint: "MM / equity; 1 = 100% (liquidatable)" },
    { key: "hysteresis", label: "Hysteresis", hint: "cleared at threshold − this (same unit; empty: 0)" },
    { key: "minDurationMs", label: "Minimum duration", hint: "ms above the threshold (empty: 0)" },
    { key: "clearAfterMs", label: "Clear after", hint: "ms at or below the clear line before the alert resolves (empty: 0)" },
  ],
  market_stale: [{ key: "minDurationMs", label: "Minimum duration", hint: "ms without a fresh price (empty: 0)" }],
  fund_runway_below: [{ key: "threshold", label: "Covered move below", hint: "a fraction of a uniform fall; 0.1 = 10%" }],
  uncovered_bad_debt: [],
  negative_collateral: [{ key: "minDurationMs", label: "Minimum duration", hint: "ms with collateral below 0 (empty: 0)" }],
  queue_notional_above: [{ key: "threshold", label: "Queue notional above", hint: "USD" }],
  margin_call_expired: [],
  webhook_disabled: [],
};

const SCOPE_LABEL: Record<AlertScope, string> = { all: "every account / market", market: "one market", accounts: "a list of accounts" };
const ADDABLE = ALERT_RULE_KINDS.filter((k) => !(SYSTEM_ALERT_KINDS as readonly string[]).includes(k));

/** A number as typed, or the text itself when it is not one (the server names what is wrong with it). */
function valueOf(text: string): unknown {
  const t = text.trim();
  return t !== "" && Number.isFinite(Number(t)) ? Number(t) : t;
}

export interface RuleFormProblems {
  fields: Map<string, string>;
  general: string | null;
}

function Field({ label, hint, error, wide, children }: { label: string; hint?: string; error?: string | undefined; wide?: boolean; children: ReactNode }) {
  return (
    <label className={`field${wide ? " wide" : ""}`}>
      <span>{label}{hint ? <> <span className="field-hint">{hint}</span></> : null}</span>
      {children}
      {error ? <span className="field-error" role="alert">{error}</span> : null}
    </label>
  );
}

/**
 * Adding or editing a rule. What is sent is what was typed: the server checks it and names each
 * field it refuses, shown beside that field (`problems`); an empty parameter is left to its
 * default (sent as null when editing, which resets it).
 */
export function AlertRuleForm({ rule, markets, problems, busy, onSubmit, onCancel }: {
  /** null: a new rule. */
  rule: AlertRuleView | null;
  markets: readonly string[];
  problems: RuleFormProblems;
  busy: boolean;
  onSubmit: (body: Record<string, unknown>) => void;
  onCancel: () => void;
}) {
  const [name, setName] = useState(rule?.name ?? "");
  const [kind, setKind] = useState<AlertRuleKind>(rule?.kind ?? "ratio_above");
  const [severity, setSeverity] = useState<AlertSeverity>(rule?.severity ?? "warning");
  const [params, setParams] = useState<Record<string, string>>(() =>
    Object.fromEntries(Object.entries(rule?.params ?? {}).map(([k, v]) => [k, String(v)])));
  const [scope, setScope] = useState<AlertScope>(rule?.scope ?? "all");
  const [marketId, setMarketId] = useState(rule?.marketId ?? "");
  const [accounts, setAccounts] = useState((rule?.accountIds ?? []).join("\n"));
  const [enabled, setEnabled] = useState(rule?.enabled ?? true);
  const err = (path: string) => problems.fields.get(path);
  const accountsError = [...problems.fields].filter(([p]) => p === "accountIds" || p.startsWith("accountIds[")).map(([p, m]) => (p === "accountIds" ? m : `${p}: ${m}`)).join("; ") || undefined;
  const scopes = scopesOf(kind);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const p: Record<string, unknown> = {};
    for (const { key } of PARAMS[kind]) {
      const text = params[key] ?? "";
      if (text.trim() !== "") p[key] = key === "status" ? text : valueOf(text);
      else if (rule) p[key] = null;
    }
    const ids = accounts.split(/[\s,]+/).map((s) => s.trim()).filter(Boolean);
    const body: Record<string, unknown> = {
      name, severity, scope, enabled,
      marketId: scope === "market" ? marketId || null : null,
      accountIds: scope === "accounts" ? ids : [],
      ...(PARAMS[kind].length > 0 ? { params: p } : {}),
    };
    if (!rule) body.kind = kind;
    onSubmit(body);
  };

  return (
    <form className="rule-form" onSubmit={submit} data-testid="rule-form" noValidate>
      <Field label="Name" error={err("name")}>
        <input value={name} onChange={(e) => setName(e.target.value)} maxLength={120} autoFocus data-testid="rule-name" aria-invalid={!!err("name")} />
      </Field>
      <Field label="Kind" hint={rule ? "cannot be changed" : undefined} error={err("kind")}>
        <select value={kind} disabled={rule !== null} onChange={(e) => {
          const k = e.target.value as AlertRuleKind;
          setKind(k);
          setParams({});
          if (!scopesOf(k).includes(scope)) setScope("all");
        }} data-testid="rule-kind">
          {(rule ? [rule.kind] : ADDABLE).map((k) => <option key={k} value={k}>{k}</option>)}
        </select>
      </Field>
      <Field label="Severity" error={err("severity")}>
        <select value={severity} onChange={(e) => setSeverity(e.target.value as AlertSeverity)} data-testid="rule-severity">
          {ALERT_SEVERITIES.map((s) => <option key={s} value={s}>{s}</option>)}
        </select>
      </Field>
      {PARAMS[kind].map(({ key, label, hint }) => (
        <Field key={key} label={label} hint={hint} error={err(`params.${key}`)}>
          {key === "status" ? (
            <select value={params[key] ?? ""} onChange={(e) => setParams({ ...params, [key]: e.target.value })} data-testid={`rule-param-${key}`}>
              <option value="">choose…</option>
              {ALERTABLE_STATUSES.map((s) => <option key={s} value={s}>{s}</option>)}
            </select>
          ) : (
            <input value={params[key] ?? ""} inputMode="decimal" onChange={(e) => setParams({ ...params, [key]: e.target.value })}
              data-testid={`rule-param-${key}`} aria-invalid={!!err(`params.${key}`)} />
          )}
        </Field>
      ))}
      {err("params") ? <p className="field-error wide" role="alert">params: {err("params")}</p> : null}
      <Field label="Scope" error={err("scope")}>
        <select value={scope} onChange={(e) => setScope(e.target.value as AlertScope)} data-testid="rule-scope" disabled={scopes.length === 1}>
          {scopes.map((s) => <option key={s} value={s}>{SCOPE_LABEL[s]}</option>)}
        </select>
      </Field>
      {scope === "market" ? (
        <Field label="Market" error={err("marketId")}>
          <select value={marketId} onChange={(e) => setMarketId(e.target.value)} data-testid="rule-market" aria-invalid={!!err("marketId")}>
            <option value="">choose…</option>
            {markets.map((m) => <option key={m} value={m}>{m}</option>)}
          </select>
        </Field>
      ) : null}
      {scope === "accounts" ? (
        <Field label="Accounts" hint="ids, one a line or comma-separated; at most 1,000" error={accountsError} wide>
          <textarea value={accounts} onChange={(e) => setAccounts(e.target.value)} rows={3} data-testid="rule-accounts" aria-invalid={!!accountsError} />
        </Field>
      ) : null}
      <label className="field">
        <span>Enabled</span>
        <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} data-testid="rule-enabled" />
      </label>
      <div className="rule-form-buttons">
        <button type="submit" className="btn btn-primary" disabled={busy} data-testid="rule-save">{busy ? "Saving…" : rule ? "Save changes" : "Add rule"}</button>
        <button type="button" className="btn" onClick={onCancel}>Cancel</button>
        {problems.general ? <span className="field-error" role="alert">{problems.general}</span> : null}
        {problems.fields.has("(body)") ? <span className="field-error" role="alert">{problems.fields.get("(body)")}</span> : null}
      </div>
    </form>
  );
}
