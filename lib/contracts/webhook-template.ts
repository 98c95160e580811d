/**
 * The webhooks' template language (docs/WEBHOOKS.md, "Templates"): text with `{{ field }}` holes,
 * nothing else. A field is one of `TEMPLATE_FIELDS`; there are no expressions, loops, filters or
 * escapes, so a template can only ever print the fields it names. A `{{` that is not a known field
 * followed by `}}` makes the template invalid: it is refused when the webhook is saved, never at
 * delivery time. Pure: the desk's form checks with it too.
 */

/** Every field a template may name, and what it prints. */
export const TEMPLATE_FIELDS = {
  "alert.id": "the alert's id",
  "alert.ruleId": "the rule's id (status-liquidatable, …)",
  "alert.ruleName": "the rule's name",
  "alert.kind": "the rule's kind (status_enter, …)",
  "alert.severity": "info, warning or critical",
  "alert.state": "open, acknowledged or resolved, when the event was sent out",
  "alert.subject": "account:<id>, market:<id>, fund, queue, webhook:<id>, …",
  "alert.accountId": "the account, or —",
  "alert.marketId": "the market, or —",
  "alert.message": "what was seen, in words with units",
  "alert.value": "the figure that raised it (a ratio, a fraction, USD), or —",
  "alert.raisedAt": "when it was raised (ISO 8601, UTC)",
  "event.type": "alert.raised, alert.resolved, …",
  "event.kind": "raised, acknowledged, snoozed, assigned or resolved",
  "event.actor": "system, or the desk user",
  "event.note": "the note given with it, or —",
  "event.occurredAt": "when it happened (ISO 8601, UTC)",
  "webhook.name": "this webhook's name",
} as const;
export type TemplateField = keyof typeof TEMPLATE_FIELDS;

/** What a template is rendered with: each field's value (null prints as "—"). */
export type TemplateContext = Readonly<Record<TemplateField, string | number | null>>;

/** The Slack text a webhook without a template of its own sends. */
export const DEFAULT_SLACK_TEMPLATE = "*[{{alert.severity}}] {{alert.ruleName}}* {{event.kind}}: {{alert.message}} ({{alert.subject}})";

/** The longest template, in characters. */
export const MAX_TEMPLATE_LENGTH = 2000;

type Part = { readonly text: string } | { readonly field: TemplateField };

export type ParsedTemplate = { readonly ok: true; readonly parts: readonly Part[] } | { readonly ok: false; readonly message: string };

const isField = (name: string): name is TemplateField => Object.prototype.hasOwnProperty.call(TEMPLATE_FIELDS, name);

/** A template's parts, or why it does not render (positions are 1-based characters). */
export function parseTemplate(template: string): ParsedTemplate {
  const parts: Part[] = [];
  let at = 0;
  while (at < template.length) {
    const open = template.indexOf("{{", at);
    if (open < 0) {
      parts.push({ text: template.slice(at) });
      break;
    }
    if (open > at) parts.push({ text: template.slice(at, open) });
    const close = template.indexOf("}}", open + 2);
    if (close < 0) return { ok: false, message: `"{{" at character ${open + 1} is not closed with "}}"` };
    const name = template.slice(open + 2, close).trim();
    if (name === "") return { ok: false, message: `empty "{{ }}" at character ${open + 1}: name a field, e.g. {{alert.message}}` };
    if (!isField(name)) {
      const shown = name.length > 40 ? `${name.slice(0, 40)}…` : name;
      return { ok: false, message: `unknown field "${shown}" at character ${open + 1} (fields: ${Object.keys(TEMPLATE_FIELDS).join(", ")})` };
    }
    parts.push({ field: name });
    at = close + 2;
  }
  return { ok: true, parts };
}

/** Why a template does not render, or null when it does. */
export function templateProblem(template: string): string | null {
  const parsed = parseTemplate(template);
  return parsed.ok ? null : parsed.message;
}

/**
 * Renders a template; each value goes through `escape` (Slack's `&`, `<`, `>`: a value can never
 * become a link or a mention), the template's own text is kept as written. Throws on a template
 * that does not parse (one that was saved always does).
 */
export function renderTemplate(template: string, context: TemplateContext, escape: (value: string) => string = (v) => v): string {
  const parsed = parseTemplate(template);
  if (!parsed.ok) throw new Error(`template does not render: ${parsed.message}`);
  let out = "";
  for (const part of parsed.parts) {
    if ("text" in part) out += part.text;
    else {
      const value = context[part.field];
      out += escape(value === null || value === "" ? "—" : String(value));
    }
  }
  return out;
}

/** Slack's escaping of message text (api.slack.com, "Escaping text"): `&`, `<` and `>`. */
export function escapeSlack(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
