import { z } from "zod";
import { ACCOUNT_STATUSES } from "@/lib/risk/account-status";
import { textSchema } from "@/lib/contracts/text";
import { expected } from "@/lib/contracts/zod-issues";

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

const finite = (what: string) => z.number({ error: expected(what) }).refine(Number.isFinite, { error: "must be a finite number" });

/** Each kind's parameters. Unknown keys are refused (a typo must not pass as a default). */
export const alertRuleParamsSchemas = {
  status_enter: z.strictObject({
    status: z.enum(ALERTABLE_STATUSES, { error: `must be one of ${ALERTABLE_STATUSES.join(", ")}` }),
    minDurationMs: minDurationMs.default(0),
  }),
  ratio_above: z
    .strictObject({
      /** Margin ratio (MM / equity), raised at ≥ threshold. */
      threshold: finite("a margin ratio").refine((v) => v > 0 && v <= MAX_RATIO_THRESHOLD, { error: `must be above 0 and at most ${MAX_RATIO_THRESHOLD} (a margin ratio, 1 = 100%)` }),
      /** Cleared only at ≤ threshold − hysteresis. */
      hysteresis: finite("a margin ratio").refine((v) => v >= 0, { error: "must be at least 0" }).default(0),
      minDurationMs: minDurationMs.default(0),
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
