"use client";
import Link from "next/link";
import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { AlertRuleView } from "@/lib/contracts/alerts";
import { ApiError, fetchJson } from "@/lib/client/fetch-json";
import { queryKeys } from "@/lib/client/query-keys";
import { Panel } from "@/components/ui/panel";
import { AlertRuleForm, type RuleFormProblems } from "./alert-rule-form";
import { SeverityTag } from "./alerts-table";
import "./alerts.css";

const NONE: RuleFormProblems = { fields: new Map(), general: null };

function problemsOf(error: unknown): RuleFormProblems {
  if (!error) return NONE;
  if (error instanceof ApiError && error.fields.length > 0) return { fields: new Map(error.fields.map((f) => [f.path, f.message])), general: null };
  return { fields: new Map(), general: error instanceof ApiError ? error.message.replace(/^\d+: /, "") : String(error) };
}

/** A rule's parameters and scope in words. */
function summary(r: AlertRuleView): string {
  const p = r.params;
  const parts: string[] = [];
  if (p.status !== undefined) parts.push(`status ${String(p.status)}`);
  if (p.threshold !== undefined) {
    parts.push(r.kind === "queue_notional_above" ? `above ${Number(p.threshold).toLocaleString("en-US")} USD`
      : r.kind === "fund_runway_below" ? `covers < ${(Number(p.threshold) * 100).toFixed(1)}% move`
      : `ratio ≥ ${(Number(p.threshold) * 100).toFixed(1)}%`);
  }
  if (p.hysteresis) parts.push(`clears ${(Number(p.hysteresis) * 100).toFixed(1)} pts lower`);
  if (p.minDurationMs) parts.push(`after ${Number(p.minDurationMs) / 1000} s`);
  if (p.clearAfterMs) parts.push(`resolves after ${Number(p.clearAfterMs) / 1000} s clear`);
  return parts.join(" · ") || "—";
}

function scopeText(r: AlertRuleView): string {
  if (r.scope === "market") return `market ${r.marketId}`;
  if (r.scope === "accounts") return `${r.accountIds.length} account${r.accountIds.length === 1 ? "" : "s"}`;
  return "all";
}

async function send(method: "POST" | "PATCH" | "DELETE", url: string, body?: unknown): Promise<AlertRuleView> {
  return fetchJson<AlertRuleView>(url, {
    method, ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { "content-type": "application/json" } }),
  });
}

/**
 * /desk/alerts/rules: every rule, switched on and off in place, edited or added in a form that
 * shows the server's refusal beside each field; the system's own rules (margin calls, webhooks)
 * keep their kind and cannot be deleted. Every change is audited by the server.
 */
export function AlertRulesView({ initial, markets }: { initial: AlertRuleView[]; markets: readonly string[] }) {
  const queryClient = useQueryClient();
  const rules = useQuery({ queryKey: queryKeys.alertRules, queryFn: () => fetchJson<AlertRuleView[]>("/api/v1/alert-rules"), initialData: initial, staleTime: Infinity });
  const [editing, setEditing] = useState<AlertRuleView | "new" | null>(null);
  const [rowError, setRowError] = useState<{ id: string; message: string } | null>(null);
  const done = () => void queryClient.invalidateQueries({ queryKey: queryKeys.alertRules });
  const save = useMutation({
    mutationFn: ({ rule, body }: { rule: AlertRuleView | null; body: Record<string, unknown> }) =>
      rule ? send("PATCH", `/api/v1/alert-rules/${encodeURIComponent(rule.id)}`, body) : send("POST", "/api/v1/alert-rules", body),
    onSuccess: () => {
      setEditing(null);
      done();
    },
  });
  const quick = useMutation({
    mutationFn: ({ rule, remove }: { rule: AlertRuleView; remove?: boolean }) => remove
      ? send("DELETE", `/api/v1/alert-rules/${encodeURIComponent(rule.id)}`)
      : send("PATCH", `/api/v1/alert-rules/${encodeURIComponent(rule.id)}`, { enabled: !rule.enabled }),
    onMutate: () => setRowError(null),
    onError: (error, { rule }) => setRowError({ id: rule.id, message: problemsOf(error).general ?? String(error) }),
    onSettled: done,
  });
  const open = (r: AlertRuleView | "new") => {
    save.reset();
    setEditing(r);
  };

  return (
    <main className="alerts-page">
      <Panel title="Alert rules" subtitle="what raises an alert; every change is audited" testId="alert-rules"
        right={<><Link href="/desk/alerts">Inbox</Link><button type="button" className="btn btn-small" onClick={() => open("new")} data-testid="rule-add">Add rule</button></>}>
        {editing === "new" ? (
          <AlertRuleForm key="new" rule={null} markets={markets} problems={problemsOf(save.error)} busy={save.isPending}
            onSubmit={(body) => save.mutate({ rule: null, body })} onCancel={() => setEditing(null)} />
        ) : null}
        <div className="table-scroll">
          <table className="table rules-table" data-testid="rules-table">
            <thead>
              <tr><th className="c-on">On</th><th className="c-name">Name</th><th className="c-kind">Kind</th><th className="c-sev">Severity</th><th>Condition</th><th className="c-scope">Scope</th><th className="c-edit" /></tr>
            </thead>
            <tbody>
              {rules.data.map((r) => (
                <RuleRow key={r.id} rule={r} onToggle={() => quick.mutate({ rule: r })} onEdit={() => open(r)}
                  onDelete={r.system ? null : () => quick.mutate({ rule: r, remove: true })} error={rowError?.id === r.id ? rowError.message : null}
                  form={editing !== "new" && editing?.id === r.id ? (
                    <AlertRuleForm key={r.id} rule={r} markets={markets} problems={problemsOf(save.error)} busy={save.isPending}
                      onSubmit={(body) => save.mutate({ rule: r, body })} onCancel={() => setEditing(null)} />
                  ) : null} />
              ))}
            </tbody>
          </table>
        </div>
      </Panel>
    </main>
  );
}

function RuleRow({ rule, onToggle, onEdit, onDelete, error, form }: {
  rule: AlertRuleView; onToggle: () => void; onEdit: () => void; onDelete: (() => void) | null; error: string | null; form: React.ReactNode;
}) {
  return (
    <>
      <tr data-testid={`rule-${rule.id}`} data-enabled={rule.enabled}>
        <td className="c-on">
          <button type="button" className={`chip rule-toggle${rule.enabled ? " chip-on" : ""}`} aria-pressed={rule.enabled} onClick={onToggle}
            title={rule.enabled ? "on: click to turn it off (its open alerts are resolved)" : "off: click to turn it on"} data-testid={`rule-toggle-${rule.id}`}>
            {rule.enabled ? "on" : "off"}
          </button>
        </td>
        <td className="c-name">{rule.name}{rule.system ? <span className="unit"> · system</span> : null}</td>
        <td className="c-kind muted">{rule.kind}</td>
        <td className="c-sev"><SeverityTag severity={rule.severity} /></td>
        <td>{summary(rule)}</td>
        <td className="c-scope">{scopeText(rule)}</td>
        <td className="c-edit">
          <button type="button" className="link-button" onClick={onEdit} data-testid={`rule-edit-${rule.id}`}>edit</button>
          {onDelete ? <button type="button" className="link-button" onClick={onDelete} title="only a rule that never raised an alert">delete</button> : null}
        </td>
      </tr>
      {error ? <tr><td colSpan={7} className="field-error" role="alert">{error}</td></tr> : null}
      {form ? <tr><td colSpan={7}>{form}</td></tr> : null}
    </>
  );
}
