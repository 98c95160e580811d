import { queryInt, querySchema } from "@/lib/contracts/query";
import { z } from "zod";
import { ACCOUNT_STATUSES } from "@/lib/risk/account-status";
import { textSchema } from "@/lib/contracts/text";
import { expected, toFieldErrors } from "@/lib/contracts/zod-issues";
import type { FieldError } from "@/lib/contracts/api-error";

/**
 * Alerts: the rules the desk keeps (stored in `alert_rules`), what a rule raised (`alerts`) and the
 * signals that raise and clear them. One home for every alert shape on the wire and between the
 * engine and the server (docs/ALERTS.md).
 */

export const ALERT_RULE_KINDS = [
  "status_enter",
  "ratio_above",
  "market_stale",
  "fund_runway_below",
  "uncovered_bad_debt",
  "negative_collateral",
  "queue_notional_above",
  "margin_call_expired",
  "webhook_disabled",
] as const;
export type AlertRuleKind = (typeof ALERT_RULE_KINDS)[number];

/** Kinds the system raises itself; the desk may change their severity, not add or delete them. */
export const SYSTEM_ALERT_KINDS = ["margin_call_expired", "webhook_disabled"] as const satisfies readonly AlertRuleKind[];

/** Kinds the engine evaluates as accounts change (per account, or the queue as a whole). */
export const ENGINE_ALERT_KINDS = ["status_enter", "ratio_above", "negative_collateral", "queue_notional_above"] as const satisfies readonly AlertRuleKind[];

export const ALERT_SEVERITIES = ["info", "warning", "critical"] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

export const ALERT_STATES = ["open", "acknowledged", "resolved"] as const;
export type AlertState = (typeof ALERT_STATES)[number];

export const ALERT_SCOPES = ["all", "market", "accounts"] as const;
export type AlertScope = (typeof ALERT_SCOPES)[number];

/** The statuses a `status_enter` rule may name: spec §3's, healthy excepted. */
export const ALERTABLE_STATUSES = ACCOUNT_STATUSES.filter((s) => s !== "healthy");

/** The longest minimum duration a rule may ask for: one day, in ms. */
export const MAX_MIN_DURATION_MS = 86_400_000;
/** The highest margin ratio threshold a rule may name (MM / equity; 1 = liquidatable). */
export const MAX_RATIO_THRESHOLD = 100;

const minDurationMs = z
  .number({ error: expected("a number of milliseconds") })
  .int({ error: "must be a whole number of milliseconds" })
  .min(0, { error: "must be at least 0 ms" })
  .max(MAX_MIN_DURATION_MS, { error: `must be at most ${MAX_MIN_DURATION_MS} ms (one day)` });

/**
 * How long a raised condition must stay clear before its alert resolves (0: at once). Against
 * flapping: an account whose status or ratio dances around a line keeps one open alert instead of
 * one raised and resolved on each crossing.
 */
const clearAfterMs = minDurationMs;

const finite = (what: string) => z.number({ error: expected(what) }).refine(Number.isFinite, { error: "must be a finite number" });

/** Each kind's parameters. Unknown keys are refused (a typo must not pass as a default). */
export const alertRuleParamsSchemas = {
  status_enter: z.strictObject({
    status: z.enum(ALERTABLE_STATUSES, { error: `must be one of ${ALERTABLE_STATUSES.join(", ")}` }),
    minDurationMs: minDurationMs.default(0),
    clearAfterMs: clearAfterMs.default(0),
  }),
  ratio_above: z
    .strictObject({
      /** Margin ratio (MM / equity), raised at ≥ threshold. */
      threshold: finite("a margin ratio").refine((v) => v > 0 && v <= MAX_RATIO_THRESHOLD, { error: `must be above 0 and at most ${MAX_RATIO_THRESHOLD} (a margin ratio, 1 = 100%)` }),
      /** Cleared only at ≤ threshold − hysteresis. */
      hysteresis: finite("a margin ratio").refine((v) => v >= 0, { error: "must be at least 0" }).default(0),
      minDurationMs: minDurationMs.default(0),
      clearAfterMs: clearAfterMs.default(0),
    })
    .superRefine((p, ctx) => {
      if (p.hysteresis >= p.threshold) ctx.addIssue({ code: "custom", path: ["hysteresis"], message: `must be smaller than the threshold (${p.threshold})` });
    }),
  market_stale: z.strictObject({ minDurationMs: minDurationMs.default(0) }),
  fund_runway_below: z.strictObject({
    /** The uniform move the fund must cover, a fraction (0.1 = 10%). */
    threshold: finite("a fraction").refine((v) => v > 0 && v <= 0.5, { error: "must be above 0 and at most 0.5 (a move of 50%)" }),
  }),
  uncovered_bad_debt: z.strictObject({}),
  negative_collateral: z.strictObject({ minDurationMs: minDurationMs.default(0) }),
  queue_notional_above: z.strictObject({
    /** USD. */
    threshold: finite("an amount in USD").refine((v) => v > 0 && v <= 1e15, { error: "must be above 0 and at most 1e15 USD" }),
  }),
  margin_call_expired: z.strictObject({}),
  webhook_disabled: z.strictObject({}),
} as const satisfies Record<AlertRuleKind, z.ZodType>;

export type AlertRuleParams<K extends AlertRuleKind = AlertRuleKind> = z.infer<(typeof alertRuleParamsSchemas)[K]>;

/** A rule as stored and as the engine and the desk see it (params parsed, defaults filled). */
export interface AlertRuleView {
  readonly id: string;
  readonly name: string;
  readonly kind: AlertRuleKind;
  readonly severity: AlertSeverity;
  readonly params: Record<string, unknown>;
  readonly scope: AlertScope;
  readonly marketId: string | null;
  readonly accountIds: readonly string[];
  readonly enabled: boolean;
  readonly system: boolean;
  readonly updatedAt: number;
}

/**
 * What raises or clears an alert: a rule's condition on one subject began to hold (`raise`) or
 * stopped holding (`clear`). Producers (the engine for account and queue rules, the server for
 * markets, the fund, calls and webhooks) send signals; the alert store turns them into alerts,
 * one unresolved per rule and subject.
 */
export interface AlertSignal {
  readonly ruleId: string;
  /** "account:<id>", "market:<id>", "fund", "queue", "margin_call:<id>", "webhook:<id>". */
  readonly subject: string;
  readonly raise: boolean;
  /** When the condition was seen (ms since epoch); for a raise after a minimum duration, when it was met. */
  readonly at: number;
  readonly accountId?: string | undefined;
  readonly marketId?: string | undefined;
  /** The figure (ratio, fraction, USD) and the words with units, for a raise. */
  readonly value?: number | undefined;
  readonly message?: string | undefined;
}

/** An alert as the inbox and the account page show it. */
export interface AlertView {
  readonly id: string;
  readonly ruleId: string;
  readonly ruleName: string;
  readonly kind: AlertRuleKind;
  readonly subject: string;
  readonly accountId: string | null;
  readonly marketId: string | null;
  readonly severity: AlertSeverity;
  readonly state: AlertState;
  readonly message: string;
  readonly value: number | null;
  readonly raisedAt: number;
  readonly acknowledgedAt: number | null;
  readonly acknowledgedBy: string | null;
  readonly ackNote: string | null;
  readonly snoozedUntil: number | null;
  readonly assignee: string | null;
  readonly resolvedAt: number | null;
  readonly resolvedBy: string | null;
  readonly resolveNote: string | null;
}

export const alertNoteSchema = textSchema(500, { min: 0 }).trim();

// ——— The desk's API over rules and alerts (docs/ALERTS.md) ———

/** The most accounts a rule scoped to a list of accounts may name. */
export const MAX_SCOPE_ACCOUNTS = 1000;
/** The longest snooze: seven days, in ms. */
export const MAX_SNOOZE_MS = 7 * 86_400_000;

/** Kinds evaluated per account: the only ones a rule may scope to a list of accounts. */
const ACCOUNT_KINDS: readonly AlertRuleKind[] = ["status_enter", "ratio_above", "negative_collateral"];

/** The scopes a rule of `kind` may have: per account (any), per market (all or one market), else the whole venue. */
export function scopesOf(kind: AlertRuleKind): readonly AlertScope[] {
  if (ACCOUNT_KINDS.includes(kind)) return ALERT_SCOPES;
  if (kind === "market_stale") return ["all", "market"];
  return ["all"];
}

/** Whether the system raises this kind itself (its rule is seeded; the desk may not add or delete one). */
export function isSystemKind(kind: AlertRuleKind): boolean {
  return (SYSTEM_ALERT_KINDS as readonly string[]).includes(kind);
}

/** A body that must be an object: its own message for anything else, zod's for a key it does not know ("Unrecognized key"). */
const anObject = { error: (issue: z.core.$ZodRawIssue) => (issue.code === "invalid_type" ? expected("a JSON object")(issue) : undefined) };

const scopedAccountId = textSchema(128).regex(/^[^\u0000-\u001f\u007f]*$/, { error: "must not contain control characters" });

const ruleFields = {
  name: textSchema(120).trim(),
  kind: z.enum(ALERT_RULE_KINDS, { error: `must be one of ${ALERT_RULE_KINDS.join(", ")}` }),
  severity: z.enum(ALERT_SEVERITIES, { error: `must be one of ${ALERT_SEVERITIES.join(", ")}` }),
  // Not z.record: it skips a "__proto__" key, which must be refused by name (the kind's strict schema does), never dropped unseen.
  params: z.custom<Record<string, unknown>>((v) => typeof v === "object" && v !== null && !Array.isArray(v), { error: expected("an object of the kind's parameters") }),
  scope: z.enum(ALERT_SCOPES, { error: `must be one of ${ALERT_SCOPES.join(", ")}` }),
  marketId: textSchema(64).nullable(),
  accountIds: z
    .array(scopedAccountId, { error: expected("a list of account ids") })
    .max(MAX_SCOPE_ACCOUNTS, { error: `must name at most ${MAX_SCOPE_ACCOUNTS} accounts` }),
  enabled: z.boolean({ error: expected("true or false") }),
};

/** `POST /api/v1/alert-rules`: a new rule (its kind's parameters checked by `checkAlertRule`). */
export const alertRuleCreateSchema = z.strictObject({
  ...ruleFields,
  params: ruleFields.params.default({}),
  scope: ruleFields.scope.default("all"),
  marketId: ruleFields.marketId.optional(),
  accountIds: ruleFields.accountIds.optional(),
  enabled: ruleFields.enabled.default(true),
}, anObject);
export type AlertRuleCreate = z.infer<typeof alertRuleCreateSchema>;

/**
 * `PATCH /api/v1/alert-rules/:id`: the fields to change. `params` are laid over the rule's own
 * (a key set to null goes back to its default); `kind` may be named only as it is.
 */
export const alertRulePatchSchema = z
  .strictObject({
    name: ruleFields.name.optional(),
    kind: ruleFields.kind.optional(),
    severity: ruleFields.severity.optional(),
    params: ruleFields.params.optional(),
    scope: ruleFields.scope.optional(),
    marketId: ruleFields.marketId.optional(),
    accountIds: ruleFields.accountIds.optional(),
    enabled: ruleFields.enabled.optional(),
  }, anObject)
  .refine((p) => Object.keys(p).length > 0, { error: "name at least one field to change" });
export type AlertRulePatch = z.infer<typeof alertRulePatchSchema>;

/** A rule's content as it will be stored, before its kind's checks. */
export interface AlertRuleDraft {
  readonly kind: AlertRuleKind;
  readonly params: Record<string, unknown>;
  readonly scope: AlertScope;
  readonly marketId: string | null | undefined;
  readonly accountIds: readonly string[] | undefined;
}

/**
 * The checks that span fields: the kind's parameters (`params.<name>`), the scopes the kind may
 * have (`scope`), a market for a market scope (`marketId`; whether it exists is the server's
 * check), one to MAX_SCOPE_ACCOUNTS accounts for an accounts scope (`accountIds`). Returns the
 * rule as stored (defaults filled, ids de-duplicated) or the fields at fault.
 */
export function checkAlertRule(draft: AlertRuleDraft):
  | { ok: true; params: Record<string, unknown>; marketId: string | null; accountIds: string[] }
  | { ok: false; fields: FieldError[] } {
  const fields: FieldError[] = [];
  const parsed = alertRuleParamsSchemas[draft.kind].safeParse(draft.params);
  if (!parsed.success) fields.push(...toFieldErrors(parsed.error.issues.map((i) => ({ ...i, path: ["params", ...i.path] }))));
  const scopes = scopesOf(draft.kind);
  if (!scopes.includes(draft.scope)) {
    fields.push({ path: "scope", message: `must be ${scopes.map((s) => `"${s}"`).join(" or ")} for a ${draft.kind} rule (got "${draft.scope}")` });
  }
  const marketId = draft.marketId ?? null;
  if (draft.scope === "market" && marketId === null) fields.push({ path: "marketId", message: "is required: the rule is scoped to a market" });
  if (draft.scope !== "market" && marketId !== null) fields.push({ path: "marketId", message: `only a rule scoped to a market names one (scope is "${draft.scope}")` });
  const accountIds = [...new Set(draft.accountIds ?? [])];
  if (draft.scope === "accounts" && accountIds.length === 0) fields.push({ path: "accountIds", message: "must name at least one account: the rule is scoped to a list of accounts" });
  if (draft.scope !== "accounts" && accountIds.length > 0) fields.push({ path: "accountIds", message: `only a rule scoped to accounts names them (scope is "${draft.scope}")` });
  if (fields.length > 0) return { ok: false, fields };
  return { ok: true, params: parsed.data as Record<string, unknown>, marketId, accountIds };
}

/** `GET /api/v1/alerts`: filters (a list is comma-separated or repeated), newest first, paged. */
const listOf = <T extends string>(values: readonly [T, ...T[]], what: string) =>
  z
    .union([z.string(), z.array(z.string())], { error: expected(`one or more of ${values.join(", ")}`) })
    .transform((v, ctx) => {
      const items = (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(",")).map((s) => s.trim()).filter(Boolean);
      const bad = items.filter((s) => !(values as readonly string[]).includes(s));
      if (bad.length > 0) ctx.addIssue({ code: "custom", message: `must be ${what}: one or more of ${values.join(", ")} (got ${bad.map((b) => JSON.stringify(b)).join(", ")})` });
      return [...new Set(items)] as T[];
    });
const queryFlag = z.enum(["true", "false"], { error: 'must be "true" or "false"' }).transform((v) => v === "true");
export const alertListQuerySchema = querySchema({
  state: listOf(ALERT_STATES, "alert states").optional(),
  severity: listOf(ALERT_SEVERITIES, "severities").optional(),
  ruleId: textSchema(64).optional(),
  marketId: textSchema(64).optional(),
  accountId: textSchema(128).optional(),
  /** A desk user's id, or "none" for alerts assigned to nobody. */
  assignee: textSchema(64).optional(),
  /** true: only alerts snoozed now; false: none snoozed now. */
  snoozed: queryFlag.optional(),
  offset: queryInt(0, 100_000).default(0),
  limit: queryInt(1, 200).default(50),
});
export type AlertListQuery = z.infer<typeof alertListQuerySchema>;

/** `POST /api/v1/alerts/:id/acknowledge`. */
export const alertAcknowledgeSchema = z.strictObject({ note: alertNoteSchema.optional() }, anObject);
/** `POST /api/v1/alerts/:id/resolve`: the desk says why. */
export const alertResolveSchema = z.strictObject({ note: textSchema(500).trim().refine((s) => s.length > 0, { error: "must not be empty: say why it is resolved" }) }, anObject);
/** `POST /api/v1/alerts/:id/snooze`: until a time (epoch ms, in the future, at most MAX_SNOOZE_MS ahead; the server checks against its clock), or null to end a snooze. */
export const alertSnoozeSchema = z.strictObject({
  until: z.number({ error: expected("a time in epoch milliseconds, or null") }).int({ error: "must be a whole number of milliseconds" }).nullable(),
  note: alertNoteSchema.optional(),
}, anObject);
/** `POST /api/v1/alerts/:id/assign`: a desk user's id, or null for nobody. */
export const alertAssignSchema = z.strictObject({
  assigneeId: textSchema(64).nullable(),
  note: alertNoteSchema.optional(),
}, anObject);

export type AlertEventKind = "raised" | "acknowledged" | "snoozed" | "assigned" | "resolved";

/** One transition in an alert's history (`alert_events`). */
export interface AlertEventView {
  readonly id: string;
  readonly kind: AlertEventKind;
  /** "system" or "user:<id>". */
  readonly actor: string;
  readonly note: string | null;
  readonly at: number;
}

/** `GET /api/v1/alerts/:id`: the alert, its rule and its history (oldest first). */
export interface AlertDetail {
  readonly alert: AlertView;
  readonly rule: AlertRuleView;
  readonly events: readonly AlertEventView[];
}

/** `GET /api/v1/alerts`: a page, newest raised first; `serverTime` is when it was read (snoozes are judged then). */
export interface AlertPage {
  readonly total: number;
  readonly offset: number;
  readonly limit: number;
  readonly items: readonly AlertView[];
  readonly serverTime: number;
}

/** A desk user an alert can be assigned to. */
export interface DeskUserView {
  readonly id: string;
  readonly email: string;
  readonly name: string;
}

/** The header's counts (`GET /api/v1/alerts/counts`, and every `alerts:changed`). */
export interface AlertCounts {
  /** Open, not acknowledged and not snoozed now, by severity: what needs the desk. */
  readonly attention: Record<AlertSeverity, number>;
  /** Unresolved alerts by state (snoozed ones included). */
  readonly open: number;
  readonly acknowledged: number;
  /** Unresolved alerts snoozed now. */
  readonly snoozed: number;
  readonly serverTime: number;
}

/** The most transitions one `alerts:changed` names; the rest are counted in `more`. */
export const ALERTS_CHANGE_MAX = 100;

/** Socket room `alerts` (the desk), event `alerts:changed`: what changed, and the counts after it. */
export interface AlertsChange {
  readonly counts: AlertCounts;
  readonly changes: readonly { readonly id: string; readonly kind: AlertEventKind; readonly ruleId: string; readonly subject: string }[];
  /** Transitions left out of `changes` (a burst). */
  readonly more: number;
}
