import "server-only";
import type { AlertSignal } from "@/lib/contracts/alerts";
import type { PrismaClient } from "../db/prisma-client";

/** What one `applyAlertSignals` changed: the alerts it raised and the ones it resolved. */
export interface AlertTransitions {
  readonly raised: readonly { readonly id: string; readonly ruleId: string; readonly subject: string }[];
  readonly resolved: readonly { readonly id: string; readonly ruleId: string; readonly subject: string }[];
}

/**
 * The one way signals become alerts (docs/ALERTS.md). Per rule and subject the last signal of the
 * batch counts: a raise opens an alert unless one is unresolved already (the partial unique index
 * `alerts_one_unresolved` decides, so a retried batch, a restart or a second instance never
 * doubles one) and only while its rule is enabled; a clear resolves the unresolved one, by
 * "system". Each transition writes its `alert_events` row (the webhooks' outbox) and its audit
 * entry in the same statement, set-based, so 10,000 raises are three inserts, not 30,000.
 */
export async function applyAlertSignals(prisma: PrismaClient, signals: readonly AlertSignal[]): Promise<AlertTransitions> {
  const last = new Map<string, AlertSignal>();
  for (const s of signals) {
    const key = `${s.ruleId}\u0000${s.subject}`;
    last.delete(key);
    last.set(key, s);
  }
  const raises = [...last.values()].filter((s) => s.raise);
  const clears = [...last.values()].filter((s) => !s.raise);
  const resolved = clears.length === 0 ? [] : await prisma.$queryRaw<{ id: bigint; rule_id: string; subject: string }[]>`
    WITH input AS (
      SELECT * FROM unnest(${clears.map((s) => s.ruleId)}::text[], ${clears.map((s) => s.subject)}::text[], ${clears.map((s) => new Date(s.at))}::timestamptz[])
        AS t(rule_id, subject, at)
    ), done AS (
      UPDATE alerts a SET state = 'resolved', resolved_at = i.at, resolved_by = 'system', resolve_note = 'the condition cleared', updated_at = now()
        FROM input i WHERE a.rule_id = i.rule_id AND a.subject = i.subject AND a.state <> 'resolved'
        RETURNING a.id, a.rule_id, a.subject, a.account_id, i.at
    ), events AS (
      INSERT INTO alert_events (alert_id, kind, actor, note, at) SELECT id, 'resolved', 'system', 'the condition cleared', at FROM done
    ), audit AS (
      INSERT INTO audit_log (actor, action, account_id, note, details)
        SELECT 'system', 'alert.resolve', account_id, 'the condition cleared', jsonb_build_object('alertId', id::text, 'ruleId', rule_id, 'subject', subject) FROM done
    )
    SELECT id, rule_id, subject FROM done`;
  const raised = raises.length === 0 ? [] : await prisma.$queryRaw<{ id: bigint; rule_id: string; subject: string }[]>`
    WITH input AS (
      SELECT * FROM unnest(
        ${raises.map((s) => s.ruleId)}::text[], ${raises.map((s) => s.subject)}::text[],
        ${raises.map((s) => s.accountId ?? null)}::text[], ${raises.map((s) => s.marketId ?? null)}::text[],
        ${raises.map((s) => s.value ?? null)}::float8[], ${raises.map((s) => s.message ?? "")}::text[],
        ${raises.map((s) => new Date(s.at))}::timestamptz[]
      ) AS t(rule_id, subject, account_id, market_id, value, message, at)
    ), opened AS (
      INSERT INTO alerts (rule_id, subject, account_id, market_id, severity, state, message, value, raised_at, updated_at)
        SELECT i.rule_id, i.subject, i.account_id, i.market_id, r.severity, 'open', i.message, i.value, i.at, now()
          FROM input i JOIN alert_rules r ON r.id = i.rule_id AND r.enabled
        ON CONFLICT (rule_id, subject) WHERE state <> 'resolved' DO NOTHING
        RETURNING id, rule_id, subject, account_id, raised_at, message
    ), events AS (
      INSERT INTO alert_events (alert_id, kind, actor, at) SELECT id, 'raised', 'system', raised_at FROM opened
    ), audit AS (
      INSERT INTO audit_log (actor, action, account_id, note, details)
        SELECT 'system', 'alert.raise', account_id, message, jsonb_build_object('alertId', id::text, 'ruleId', rule_id, 'subject', subject) FROM opened
    )
    SELECT id, rule_id, subject FROM opened`;
  const out = (rows: { id: bigint; rule_id: string; subject: string }[]) => rows.map((r) => ({ id: r.id.toString(), ruleId: r.rule_id, subject: r.subject }));
  return { raised: out(raised), resolved: out(resolved) };
}
