"use client";
import { useState, type FormEvent } from "react";
import { ALERT_SEVERITIES } from "@/lib/contracts/alerts";
import { DEFAULT_SLACK_TEMPLATE, TEMPLATE_FIELDS } from "@/lib/contracts/webhook-template";
import {
  DEFAULT_WEBHOOK_EVENT_KINDS, WEBHOOK_EVENT_KINDS, type WebhookEventKind, type WebhookFormat, type WebhookRuleOption, type WebhookView,
} from "@/lib/contracts/webhooks";
import { ApiError } from "@/lib/client/fetch-json";

/** The form's fields as the API names them; "(body)" and anything else go to the form's own line. */
type FieldName = "name" | "url" | "format" | "ruleIds" | "minSeverity" | "eventKinds" | "template" | "form";

/** An API 400's fields, by the form field they belong to (`ruleIds[2]` → ruleIds). */
function fieldErrors(error: unknown): Partial<Record<FieldName, string>> {
  if (!(error instanceof ApiError)) return { form: error instanceof Error ? error.message : String(error) };
  if (error.fields.length === 0) return { form: error.message };
  const out: Partial<Record<FieldName, string>> = {};
  for (const f of error.fields) {
    const root = f.path.replace(/[.[].*$/, "") as FieldName;
    const key: FieldName = ["name", "url", "format", "ruleIds", "minSeverity", "eventKinds", "template"].includes(root) ? root : "form";
    const text = key === "form" || f.path === root ? f.message : `${f.path}: ${f.message}`;
    out[key] = out[key] ? `${out[key]}; ${text}` : text;
  }
  return out;
}

/**
 * Adding or editing a webhook. Everything is checked by the server (`POST` / `PATCH
 * /api/v1/webhooks`); a refusal shows under the field it names and nothing is saved.
 */
export function WebhookForm({ editing, rules, onSubmit, onCancel }: {
  editing: WebhookView | null;
  rules: readonly WebhookRuleOption[];
  onSubmit: (body: Record<string, unknown>) => Promise<void>;
  onCancel: () => void;
}) {
  const [name, setName] = useState(editing?.name ?? "");
  const [url, setUrl] = useState(editing?.url ?? "");
  const [format, setFormat] = useState<WebhookFormat>(editing?.format ?? "json");
  const [kinds, setKinds] = useState<WebhookEventKind[]>(editing ? [...editing.eventKinds] : [...DEFAULT_WEBHOOK_EVENT_KINDS]);
  const [minSeverity, setMinSeverity] = useState<string>(editing?.minSeverity ?? "");
  const [ruleIds, setRuleIds] = useState<string[]>(editing ? [...editing.ruleIds] : []);
  const [template, setTemplate] = useState(editing?.template ?? "");
  const [errors, setErrors] = useState<Partial<Record<FieldName, string>>>({});
  const [busy, setBusy] = useState(false);

  const toggle = <T,>(list: T[], value: T) => (list.includes(value) ? list.filter((v) => v !== value) : [...list, value]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setErrors({});
    try {
      await onSubmit({
        name, url, format, eventKinds: kinds, minSeverity: minSeverity === "" ? null : minSeverity, ruleIds,
        template: format === "slack" && template.trim() !== "" ? template : null,
      });
    } catch (error) {
      setErrors(fieldErrors(error));
    } finally {
      setBusy(false);
    }
  }

  const invalid = (f: FieldName) => (errors[f] ? { "aria-invalid": true, "aria-describedby": `wh-${f}-error` } : {});
  const error = (f: FieldName) => (errors[f] ? <span className="field-error" id={`wh-${f}-error`} data-testid={`webhook-error-${f}`}>{errors[f]}</span> : null);

  return (
    <form className="webhook-form" onSubmit={submit} data-testid="webhook-form" noValidate>
      <div className="webhook-form-row">
        <label className="field">Name
          <input value={name} onChange={(e) => setName(e.target.value)} maxLength={100} data-testid="webhook-name" {...invalid("name")} />
          {error("name")}
        </label>
        <label className="field grow">URL <span className="unit">http:// or https://, no user:password@</span>
          <input value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://hooks.example.com/liqdesk" inputMode="url" data-testid="webhook-url" {...invalid("url")} />
          {error("url")}
        </label>
      </div>
      <div className="webhook-form-row">
        <label className="field">Format
          <select value={format} onChange={(e) => setFormat(e.target.value as WebhookFormat)} data-testid="webhook-format" {...invalid("format")}>
            <option value="json">JSON (the event)</option>
            <option value="slack">Slack message</option>
          </select>
          {error("format")}
        </label>
        <label className="field">Minimum severity
          <select value={minSeverity} onChange={(e) => setMinSeverity(e.target.value)} data-testid="webhook-min-severity" {...invalid("minSeverity")}>
            <option value="">any</option>
            {ALERT_SEVERITIES.map((s) => <option key={s} value={s}>{s} or worse</option>)}
          </select>
          {error("minSeverity")}
        </label>
      </div>
      <fieldset className="field webhook-choices" {...invalid("eventKinds")}>
        <legend>Events</legend>
        {WEBHOOK_EVENT_KINDS.map((k) => (
          <label key={k} className="check"><input type="checkbox" checked={kinds.includes(k)} onChange={() => setKinds(toggle(kinds, k))} data-testid={`webhook-kind-${k}`} /> {k}</label>
        ))}
        {error("eventKinds")}
      </fieldset>
      <fieldset className="field webhook-choices" {...invalid("ruleIds")}>
        <legend>Rules <span className="unit">{ruleIds.length === 0 ? "none ticked: every rule" : `${ruleIds.length} ticked`}</span></legend>
        {rules.map((r) => (
          <label key={r.id} className="check" title={r.id}>
            <input type="checkbox" checked={ruleIds.includes(r.id)} onChange={() => setRuleIds(toggle(ruleIds, r.id))} /> {r.name} <span className="unit">{r.severity}</span>
          </label>
        ))}
        {error("ruleIds")}
      </fieldset>
      {format === "slack" ? (
        <label className="field">Message template <span className="unit">empty: {DEFAULT_SLACK_TEMPLATE}</span>
          <textarea rows={3} value={template} onChange={(e) => setTemplate(e.target.value)} maxLength={2000} data-testid="webhook-template" {...invalid("template")} />
          {error("template")}
          <span className="unit">Fields: {Object.keys(TEMPLATE_FIELDS).map((f) => `{{${f}}}`).join(" ")}</span>
        </label>
      ) : error("template")}
      {error("form")}
      <div className="webhook-form-actions">
        <button type="button" className="btn" onClick={onCancel} disabled={busy}>Cancel</button>
        <button type="submit" className="btn btn-primary" disabled={busy} data-testid="webhook-save">{busy ? "Saving…" : editing ? "Save changes" : "Add webhook"}</button>
      </div>
    </form>
  );
}
