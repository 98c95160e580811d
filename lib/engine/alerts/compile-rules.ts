import { ALERT_SCOPES, alertRuleParamsSchemas, ALERTABLE_STATUSES, ENGINE_ALERT_KINDS, type AlertRuleView, type AlertScope } from "@/lib/contracts/alerts";
import { ACCOUNT_STATUSES, RiskInputError, type RiskIssue } from "@/lib/risk";

export type EngineAlertKind = (typeof ENGINE_ALERT_KINDS)[number];

/** Rule kinds as small integers, for the evaluator's loops. */
export const RULE_STATUS = 0;
export const RULE_RATIO = 1;
export const RULE_DEBT = 2;
export const RULE_QUEUE = 3;
/** Enabled `ratio_above` rules the engine takes at most. */
export const MAX_RATIO_RULES = 2000;
const CODES: Record<EngineAlertKind, number> = { status_enter: RULE_STATUS, ratio_above: RULE_RATIO, negative_collateral: RULE_DEBT, queue_notional_above: RULE_QUEUE };

/**
 * One engine-kind rule, checked and reduced to what its evaluation reads:
 * - `status_enter`: holds while the account's status is `status` or worse (spec §3's order:
 *   healthy < warning < liquidatable < backstop < bankrupt), clears when it is better;
 * - `ratio_above`: holds at margin ratio ≥ `threshold`, clears only at ≤ `clearAt` (threshold − hysteresis);
 * - `negative_collateral`: holds while collateral < 0;
 * - `queue_notional_above`: the queue as one subject; holds at pending notional > `threshold` USD,
 *   clears at ≤ `clearAt`.
 * `minDurationMs`: how long the condition must hold before it raises (0: at once);
 * `clearAfterMs`: how long a raised one's clear condition must hold before it clears (0: at once).
 */
export interface CompiledAlertRule {
  readonly id: string;
  readonly kind: EngineAlertKind;
  readonly code: number;
  /** Rules with the same key evaluate alike (a reload keeps their state untouched). */
  readonly key: string;
  readonly scope: AlertScope;
  /** Scope `market`: the accounts holding a position in this market. */
  readonly marketId: string | null;
  /** Scope `accounts`: these account ids. */
  readonly accounts: ReadonlySet<string> | null;
  /** `status_enter`: the status code (index in `ACCOUNT_STATUSES`) it names; else -1. */
  readonly status: number;
  readonly threshold: number;
  readonly clearAt: number;
  readonly minDurationMs: number;
  readonly clearAfterMs: number;
}

const isEngineKind = (k: unknown): k is EngineAlertKind => (ENGINE_ALERT_KINDS as readonly unknown[]).includes(k);
const nonEmpty = (x: unknown): x is string => typeof x === "string" && x.length > 0;

/**
 * The enabled rules of `rules` compiled, checked whole first: a bad rule (a kind the engine does
 * not evaluate, parameters its kind's schema refuses, a scope without its market or accounts, a
 * repeated id) throws `RiskInputError` naming `rules[i].<field>` and nothing is compiled. Disabled
 * rules are left out.
 */
export function compileAlertRules(rules: readonly AlertRuleView[]): CompiledAlertRule[] {
  const issues: RiskIssue[] = [];
  const out: CompiledAlertRule[] = [];
  const seen = new Set<string>();
  if (!Array.isArray(rules)) throw new RiskInputError([{ path: ["rules"], message: "must be an array of rules" }]);
  rules.forEach((r, i) => {
    const at = (...path: (string | number)[]) => ["rules", i, ...path];
    const before = issues.length;
    if (!nonEmpty(r?.id)) issues.push({ path: at("id"), message: "must be a non-empty string" });
    else if (seen.has(r.id)) issues.push({ path: at("id"), message: `rule ${r.id} is given twice` });
    else seen.add(r.id);
    const kind: unknown = r?.kind;
    if (!isEngineKind(kind)) {
      issues.push({ path: at("kind"), message: `must be one of ${ENGINE_ALERT_KINDS.join(", ")} (the kinds the engine evaluates)` });
      return;
    }
    const parsed = alertRuleParamsSchemas[kind].safeParse(r.params ?? {});
    if (!parsed.success) for (const z of parsed.error.issues) issues.push({ path: at("params", ...z.path.map((k: PropertyKey) => (typeof k === "number" ? k : String(k)))), message: z.message });
    if (!(ALERT_SCOPES as readonly unknown[]).includes(r.scope)) issues.push({ path: at("scope"), message: `must be one of ${ALERT_SCOPES.join(", ")}` });
    if (r.scope === "market" && !nonEmpty(r.marketId)) issues.push({ path: at("marketId"), message: "a rule scoped to a market must name it" });
    const accountIds: readonly string[] = Array.isArray(r.accountIds) ? r.accountIds : [];
    if (r.scope === "accounts" && (!Array.isArray(r.accountIds) || !accountIds.every(nonEmpty))) {
      issues.push({ path: at("accountIds"), message: "a rule scoped to accounts must list them as non-empty strings" });
    }
    if (issues.length > before || !parsed.success || r.enabled === false) return;
    const p = parsed.data as { status?: string; threshold?: number; hysteresis?: number; minDurationMs?: number; clearAfterMs?: number };
    // The queue is one subject: a scope has no meaning for it.
    const scope: AlertScope = kind === "queue_notional_above" ? "all" : r.scope;
    const accounts = scope === "accounts" ? [...new Set(accountIds)].sort() : [];
    const marketId = scope === "market" ? r.marketId : null;
    const threshold = p.threshold ?? 0;
    out.push({
      id: r.id,
      kind,
      code: CODES[kind],
      key: JSON.stringify([kind, p, scope, marketId, accounts]),
      scope,
      marketId,
      accounts: scope === "accounts" ? new Set(accounts) : null,
      status: p.status === undefined ? -1 : ACCOUNT_STATUSES.indexOf(p.status as (typeof ALERTABLE_STATUSES)[number]),
      threshold,
      clearAt: threshold - (p.hysteresis ?? 0),
      minDurationMs: p.minDurationMs ?? 0,
      clearAfterMs: p.clearAfterMs ?? 0,
    });
  });
  // Each ratio rule adds two lines to the tick path's gate, whose zone has 12 bits (ratio-zones.ts).
  const ratioRules = out.filter((r) => r.code === RULE_RATIO).length;
  if (ratioRules > MAX_RATIO_RULES) issues.push({ path: ["rules"], message: `at most ${MAX_RATIO_RULES} enabled ratio_above rules (got ${ratioRules})` });
  if (issues.length > 0) throw new RiskInputError(issues);
  return out;
}
