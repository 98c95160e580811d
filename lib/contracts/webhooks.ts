import { queryInt, querySchema } from "@/lib/contracts/query";
import { z } from "zod";
import { ALERT_SEVERITIES, type AlertRuleKind, type AlertSeverity, type AlertState } from "@/lib/contracts/alerts";
import { textProblem, textSchema } from "@/lib/contracts/text";
import { expected } from "@/lib/contracts/zod-issues";
import { MAX_TEMPLATE_LENGTH, templateProblem } from "@/lib/contracts/webhook-template";

/**
 * Webhooks: where the desk's alert events are POSTed (docs/WEBHOOKS.md). The request schemas of
 * `/api/v1/webhooks`, the views the desk reads and the payloads a receiver gets.
 */

export const WEBHOOK_FORMATS = ["json", "slack"] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];

/** The alert events a webhook may ask for (the kinds of `alert_events`). */
export const WEBHOOK_EVENT_KINDS = ["raised", "acknowledged", "snoozed", "assigned", "resolved"] as const;
export type WebhookEventKind = (typeof WEBHOOK_EVENT_KINDS)[number];
export const DEFAULT_WEBHOOK_EVENT_KINDS: readonly WebhookEventKind[] = ["raised", "resolved"];

export const WEBHOOK_DELIVERY_STATES = ["pending", "delivered", "dead"] as const;
export type WebhookDeliveryState = (typeof WEBHOOK_DELIVERY_STATES)[number];

/** The longest URL a webhook may have, in characters. */
export const MAX_WEBHOOK_URL_LENGTH = 2000;
/** The most rules one webhook may name. */
export const MAX_WEBHOOK_RULES = 50;

/**
 * Why `value` is not a webhook URL, or null: an absolute http: or https: URL with a host, no
 * credentials (`user:password@`) and at most MAX_WEBHOOK_URL_LENGTH characters.
 */
export function webhookUrlProblem(value: string): string | null {
  if (value.length > MAX_WEBHOOK_URL_LENGTH) return `must be at most ${MAX_WEBHOOK_URL_LENGTH} characters (got ${value.length})`;
  const text = textProblem(value);
  if (text) return text;
  if (value.trim() !== value || /\s/.test(value)) return "must not contain spaces";
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "must be an absolute http:// or https:// URL";
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return `must use http: or https: (got ${url.protocol})`;
  if (url.username !== "" || url.password !== "") return "must not contain credentials (user:password@): the request is signed instead";
  if (url.hostname === "") return "must name a host";
  return null;
}

const urlSchema = z.string({ error: expected("a URL") }).superRefine((value, ctx) => {
  const problem = webhookUrlProblem(value);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

const nameSchema = textSchema(100).trim().refine((v) => v.length > 0, { error: "must not be blank" });
const formatSchema = z.enum(WEBHOOK_FORMATS, { error: expected(`one of ${WEBHOOK_FORMATS.join(", ")}`) });
const ruleIdsSchema = z.array(textSchema(64), { error: expected("a list of alert rule ids") })
  .max(MAX_WEBHOOK_RULES, { error: `must name at most ${MAX_WEBHOOK_RULES} rules` })
  .superRefine((ids, ctx) => {
    ids.forEach((id, i) => {
      if (ids.indexOf(id) !== i) ctx.addIssue({ code: "custom", path: [i], message: `"${id}" is named twice` });
    });
  });
const minSeveritySchema = z.enum(ALERT_SEVERITIES, { error: expected(`one of ${ALERT_SEVERITIES.join(", ")}, or null`) }).nullable();
const eventKindsSchema = z.array(z.enum(WEBHOOK_EVENT_KINDS, { error: expected(`one of ${WEBHOOK_EVENT_KINDS.join(", ")}`) }), { error: expected("a list of event kinds") })
  .min(1, { error: `must name at least one of ${WEBHOOK_EVENT_KINDS.join(", ")}` })
  .superRefine((kinds, ctx) => {
    kinds.forEach((k, i) => {
      if (kinds.indexOf(k) !== i) ctx.addIssue({ code: "custom", path: [i], message: `"${k}" is named twice` });
    });
  });
const templateSchema = z.string({ error: expected("a string or null") }).max(MAX_TEMPLATE_LENGTH, { error: `must be at most ${MAX_TEMPLATE_LENGTH} characters` })
  .superRefine((value, ctx) => {
    const problem = textProblem(value) ?? (value.trim() === "" ? "must not be blank (null: the default text)" : templateProblem(value));
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  })
  .nullable();
const enabledSchema = z.boolean({ error: expected("true or false") });

/** What a webhook is: every field the desk sets (the secret is the server's). */
export interface WebhookConfig {
  name: string;
  url: string;
  format: WebhookFormat;
  ruleIds: string[];
  minSeverity: AlertSeverity | null;
  eventKinds: WebhookEventKind[];
  template: string | null;
  enabled: boolean;
}

const FIELDS = "name, url, format, ruleIds, minSeverity, eventKinds, template, enabled";

/** The object-level error: an unknown key named (a typo must not pass as a default), or not an object at all. */
function objectError(issue: z.core.$ZodRawIssue): string {
  if (issue.code === "unrecognized_keys") {
    const keys = (issue as { keys?: string[] }).keys ?? [];
    return `unknown ${keys.length === 1 ? "field" : "fields"} ${keys.map((k) => JSON.stringify(k)).join(", ")} (fields: ${FIELDS})`;
  }
  return expected("a JSON object")(issue);
}

/** `POST /api/v1/webhooks`. Unknown keys are refused (a typo must not pass as a default). */
export const webhookCreateSchema = z.strictObject({
  name: nameSchema,
  url: urlSchema,
  format: formatSchema.default("json"),
  ruleIds: ruleIdsSchema.default([]),
  minSeverity: minSeveritySchema.default(null),
  eventKinds: eventKindsSchema.default([...DEFAULT_WEBHOOK_EVENT_KINDS]),
  template: templateSchema.default(null),
  enabled: enabledSchema.default(true),
}, { error: objectError });

/** `PATCH /api/v1/webhooks/:id`: the fields to change; the result is checked as a whole (`webhookConfigProblems`). */
export const webhookUpdateSchema = z.strictObject({
  name: nameSchema.optional(),
  url: urlSchema.optional(),
  format: formatSchema.optional(),
  ruleIds: ruleIdsSchema.optional(),
  minSeverity: minSeveritySchema.optional(),
  eventKinds: eventKindsSchema.optional(),
  template: templateSchema.optional(),
  enabled: enabledSchema.optional(),
}, { error: objectError });
export type WebhookUpdate = z.infer<typeof webhookUpdateSchema>;

/** Problems of a webhook as a whole (fields that are fine alone but not together), by field. */
export function webhookConfigProblems(config: Pick<WebhookConfig, "format" | "template">): { path: string; message: string }[] {
  if (config.format !== "slack" && config.template !== null) {
    return [{ path: "template", message: "only a Slack-format webhook takes a template (format is json: the body is the event as JSON)" }];
  }
  return [];
}

/** `GET /api/v1/webhooks/:id/deliveries?state=&before=&limit=`: newest first. */
export const webhookDeliveriesQuerySchema = querySchema({
  state: z.enum(WEBHOOK_DELIVERY_STATES, { error: expected(`one of ${WEBHOOK_DELIVERY_STATES.join(", ")}`) }).optional(),
  before: z.string().regex(/^\d{1,18}$/, { error: "must be a delivery id (a whole number)" }).optional(),
  limit: queryInt(1, 500).default(100),
});

/** A delivery's last attempt, as the webhooks list shows it. */
export interface WebhookLastDelivery {
  readonly id: string;
  readonly type: string;
  readonly state: WebhookDeliveryState;
  /** When its last attempt was made (ms since epoch); null while it has had none. */
  readonly attemptedAt: number | null;
  readonly status: number | null;
  readonly error: string | null;
  readonly durationMs: number | null;
}

/** A webhook as the desk sees it (never its secret). */
export interface WebhookView extends WebhookConfig {
  readonly id: string;
  readonly consecutiveFailures: number;
  readonly disabledAt: number | null;
  readonly disabledReason: string | null;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly lastDelivery: WebhookLastDelivery | null;
  /** Deliveries not yet delivered nor given up. */
  readonly pending: number;
}

/** The answer to `POST /api/v1/webhooks`: the one time the secret is shown. */
export interface WebhookCreated extends WebhookView {
  readonly secret: string;
}

/** One row of a webhook's delivery log. Times in ms since epoch. */
export interface WebhookDeliveryView {
  readonly id: string;
  readonly webhookId: string;
  /** The alert event delivered; null for a test. */
  readonly eventId: string | null;
  readonly alertId: string | null;
  /** "alert.raised", …, or "webhook.test". */
  readonly type: string;
  readonly state: WebhookDeliveryState;
  readonly attempts: number;
  readonly maxAttempts: number;
  /** Pending: when the next attempt is due. */
  readonly nextAttemptAt: number | null;
  readonly lastStatus: number | null;
  readonly lastError: string | null;
  readonly lastDurationMs: number | null;
  readonly lastAttemptAt: number | null;
  readonly createdAt: number;
  readonly deliveredAt: number | null;
}

/** A rule a webhook may filter on (the form's choices). */
export interface WebhookRuleOption {
  readonly id: string;
  readonly name: string;
  readonly severity: AlertSeverity;
}

/** How the dispatcher runs (what the desk page says about retries and disabling). */
export interface WebhookSettings {
  readonly maxAttempts: number;
  readonly backoffBaseMs: number;
  readonly backoffCapMs: number;
  readonly timeoutMs: number;
  /** Failed attempts in a row after which a webhook is disabled. */
  readonly failureLimit: number;
}

/** The alert in a JSON payload, as it stood when its event was sent out. Times are ISO 8601 (UTC). */
export interface WebhookAlertPayload {
  readonly id: string;
  readonly ruleId: string;
  readonly ruleName: string;
  readonly kind: AlertRuleKind;
  readonly severity: AlertSeverity;
  readonly state: AlertState;
  readonly subject: string;
  readonly accountId: string | null;
  readonly marketId: string | null;
  readonly message: string;
  readonly value: number | null;
  readonly raisedAt: string;
  readonly resolvedAt: string | null;
}

/** The body of a JSON-format delivery. */
export interface WebhookJsonPayload {
  /** The alert event's id (the same for every webhook it goes to); "test-<delivery id>" for a test. */
  readonly id: string;
  /** "alert.raised" | "alert.acknowledged" | "alert.snoozed" | "alert.assigned" | "alert.resolved" | "webhook.test". */
  readonly type: string;
  readonly occurredAt: string;
  /** "system", or the desk user who did it. */
  readonly actor: string;
  readonly note: string | null;
  readonly alert: WebhookAlertPayload;
}

/** The body of a Slack-format delivery (an incoming webhook's message). */
export interface WebhookSlackPayload {
  readonly text: string;
  readonly blocks: readonly unknown[];
}
