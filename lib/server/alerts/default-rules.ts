import "server-only";
import type { AlertRuleKind, AlertSeverity } from "@/lib/contracts/alerts";
import type { PrismaClient } from "../db/prisma-client";

interface DefaultRule {
  readonly id: string;
  readonly name: string;
  readonly kind: AlertRuleKind;
  readonly severity: AlertSeverity;
  readonly params: Record<string, unknown>;
  readonly system?: boolean;
}

/**
 * The rules a new venue starts with (the desk edits them; docs/ALERTS.md). On a busy book accounts
 * at a status line cross it with every tick: the status rules wait 5 s (10 s for warning) before
 * they raise, and every account rule resolves only after its condition has stayed clear for a
 * minute (`clearAfterMs`), so an account dancing around a line keeps one open alert. Without the
 * clear wait the tick-to-dom benchmark's book (1,000,000 positions, every market moving within
 * ±1%) raised and resolved ~400 alerts a second (47,630 raises in 120 s: rows, events, audit
 * entries, webhook fan-out), a third of a core of PostgreSQL (docs/PERFORMANCE.md, "Tick to DOM").
 */
const CLEAR_AFTER_MS = 60_000;

export const DEFAULT_ALERT_RULES: readonly DefaultRule[] = [
  { id: "status-warning", name: "Account in warning", kind: "status_enter", severity: "info", params: { status: "warning", minDurationMs: 10_000, clearAfterMs: CLEAR_AFTER_MS } },
  { id: "status-liquidatable", name: "Account liquidatable", kind: "status_enter", severity: "warning", params: { status: "liquidatable", minDurationMs: 5_000, clearAfterMs: CLEAR_AFTER_MS } },
  { id: "status-backstop", name: "Account in backstop", kind: "status_enter", severity: "critical", params: { status: "backstop", minDurationMs: 5_000, clearAfterMs: CLEAR_AFTER_MS } },
  { id: "status-bankrupt", name: "Account bankrupt", kind: "status_enter", severity: "critical", params: { status: "bankrupt", minDurationMs: 5_000, clearAfterMs: CLEAR_AFTER_MS } },
  { id: "ratio-90", name: "Margin ratio at 90%", kind: "ratio_above", severity: "warning", params: { threshold: 0.9, hysteresis: 0.05, minDurationMs: 5_000, clearAfterMs: CLEAR_AFTER_MS } },
  { id: "market-stale", name: "Market stale", kind: "market_stale", severity: "critical", params: { minDurationMs: 0 } },
  { id: "fund-runway", name: "Insurance fund covers less than a 10% move", kind: "fund_runway_below", severity: "critical", params: { threshold: 0.1 } },
  { id: "uncovered-bad-debt", name: "Uncovered bad debt", kind: "uncovered_bad_debt", severity: "critical", params: {} },
  { id: "negative-collateral", name: "Account carries debt", kind: "negative_collateral", severity: "critical", params: { minDurationMs: 0 } },
  { id: "queue-notional", name: "Liquidation queue above $10M", kind: "queue_notional_above", severity: "warning", params: { threshold: 10_000_000 } },
  { id: "margin-call-expired", name: "Margin call expired unmet", kind: "margin_call_expired", severity: "warning", params: {}, system: true },
  { id: "webhook-disabled", name: "Webhook disabled after failures", kind: "webhook_disabled", severity: "warning", params: {}, system: true },
];

/** Writes the default rules that are missing (a rule the desk changed or disabled is left as it is). */
export async function seedAlertRules(prisma: PrismaClient): Promise<number> {
  const { count } = await prisma.alertRule.createMany({
    skipDuplicates: true,
    data: DEFAULT_ALERT_RULES.map((r) => ({ id: r.id, name: r.name, kind: r.kind, severity: r.severity, params: r.params as object, system: r.system ?? false })),
  });
  return count;
}
