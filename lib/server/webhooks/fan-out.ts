import "server-only";
import type { AlertRuleKind, AlertSeverity, AlertState } from "@/lib/contracts/alerts";
import { ALERT_SEVERITIES } from "@/lib/contracts/alerts";
import type { WebhookFormat } from "@/lib/contracts/webhooks";
import type { PrismaClient } from "../db/prisma-client";
import { deliveryBody, eventType, type AlertEventRow } from "./payloads";

/**
 * Fan-out (docs/WEBHOOKS.md, "Fan-out"): new `alert_events` become one `webhook_deliveries` row
 * per matching enabled webhook, exactly once across restarts and instances.
 *
 * Events are read in (tx, id) order after the cursor, and only those written by transactions older
 * than every transaction still running (`tx < pg_snapshot_xmin(pg_current_snapshot())`). An id
 * order alone would skip events: ids are taken when a row is inserted, not when it commits, so an
 * event with a lower id can commit after one with a higher id has been read and the cursor moved
 * past it. Every transaction whose events a later read could still see has an xid at or above the
 * snapshot's xmin, above every tx read so far.
 *
 * One transaction per batch: the cursor row locked, the batch read with its alerts and rules (one
 * query), the bodies rendered here, the deliveries inserted (one statement; `ON CONFLICT DO NOTHING`
 * on (webhook, event) besides), the cursor moved. A crash before the commit leaves both as they
 * were; after it, both are done.
 */

export interface FanOutResult {
  /** Events read (and passed by the cursor). */
  readonly events: number;
  /** Deliveries written. */
  readonly deliveries: number;
  /** Whether the batch was full: more may be waiting. */
  readonly more: boolean;
}

interface EnabledWebhook {
  id: string;
  name: string;
  format: WebhookFormat;
  template: string | null;
  rule_ids: string[] | null;
  min_severity: AlertSeverity | null;
  event_kinds: string[] | null;
}

interface EventRecord {
  id: bigint;
  tx: string;
  kind: string;
  actor: string;
  note: string | null;
  at: Date;
  alert_id: bigint;
  rule_id: string;
  rule_name: string;
  rule_kind: AlertRuleKind;
  severity: AlertSeverity;
  state: AlertState;
  subject: string;
  account_id: string | null;
  market_id: string | null;
  message: string;
  value: number | null;
  raised_at: Date;
  resolved_at: Date | null;
}

const rank = (s: AlertSeverity) => ALERT_SEVERITIES.indexOf(s);

/** Whether `webhook` asks for `event`: its kind, its rule, its severity. */
export function matches(webhook: Pick<EnabledWebhook, "rule_ids" | "min_severity" | "event_kinds">, event: Pick<AlertEventRow, "kind" | "ruleId" | "severity">): boolean {
  if (!(webhook.event_kinds ?? []).includes(event.kind)) return false;
  const rules = webhook.rule_ids ?? [];
  if (rules.length > 0 && !rules.includes(event.ruleId)) return false;
  return webhook.min_severity === null || rank(event.severity) >= rank(webhook.min_severity);
}

function rowOf(r: EventRecord): AlertEventRow {
  return {
    eventId: r.id.toString(), kind: r.kind, actor: r.actor, note: r.note, at: r.at, alertId: r.alert_id.toString(),
    ruleId: r.rule_id, ruleName: r.rule_name, ruleKind: r.rule_kind, severity: r.severity, state: r.state, subject: r.subject,
    accountId: r.account_id, marketId: r.market_id, message: r.message, value: r.value, raisedAt: r.raised_at, resolvedAt: r.resolved_at,
  };
}

/** One batch of the fan-out: at most `batch` events. */
export async function fanOutBatch(prisma: PrismaClient, opts: { batch: number; maxAttempts: number }): Promise<FanOutResult> {
  return prisma.$transaction(async (tx) => {
    await tx.$executeRaw`INSERT INTO webhook_cursor (id, last_tx, last_event_id) VALUES (1, '0'::xid8, 0) ON CONFLICT (id) DO NOTHING`;
    const [cursor] = await tx.$queryRaw<{ last_tx: string; last_event_id: bigint }[]>`
      SELECT last_tx::text AS last_tx, last_event_id FROM webhook_cursor WHERE id = 1 FOR UPDATE`;
    const webhooks = await tx.$queryRaw<EnabledWebhook[]>`
      SELECT id, name, format::text AS format, template, rule_ids, min_severity::text AS min_severity, event_kinds
        FROM webhooks WHERE enabled ORDER BY id`;
    if (webhooks.length === 0) {
      // Nobody listens: the cursor moves to the newest readable event in one step.
      const [head] = await tx.$queryRaw<{ id: bigint; tx: string }[]>`
        SELECT id, tx::text AS tx FROM alert_events
         WHERE (tx, id) > (${cursor!.last_tx}::xid8, ${cursor!.last_event_id}) AND tx < pg_snapshot_xmin(pg_current_snapshot())
         ORDER BY tx DESC, id DESC LIMIT 1`;
      if (!head) return { events: 0, deliveries: 0, more: false };
      await tx.$executeRaw`UPDATE webhook_cursor SET last_tx = ${head.tx}::xid8, last_event_id = ${head.id}, updated_at = now() WHERE id = 1`;
      return { events: 1, deliveries: 0, more: false };
    }
    const events = await tx.$queryRaw<EventRecord[]>`
      SELECT e.id, e.tx::text AS tx, e.kind, e.actor, e.note, e.at, a.id AS alert_id, a.rule_id, r.name AS rule_name,
             r.kind::text AS rule_kind, a.severity::text AS severity, a.state::text AS state, a.subject, a.account_id,
             a.market_id, a.message, a.value, a.raised_at, a.resolved_at
        FROM alert_events e JOIN alerts a ON a.id = e.alert_id JOIN alert_rules r ON r.id = a.rule_id
       WHERE (e.tx, e.id) > (${cursor!.last_tx}::xid8, ${cursor!.last_event_id}) AND e.tx < pg_snapshot_xmin(pg_current_snapshot())
       ORDER BY e.tx, e.id LIMIT ${opts.batch}`;
    if (events.length === 0) return { events: 0, deliveries: 0, more: false };
    const ids: string[] = [];
    const eventIds: string[] = [];
    const types: string[] = [];
    const bodies: string[] = [];
    for (const record of events) {
      const event = rowOf(record);
      for (const w of webhooks) {
        if (!matches(w, event)) continue;
        ids.push(w.id);
        eventIds.push(event.eventId);
        types.push(eventType(event.kind));
        bodies.push(deliveryBody(event, w));
      }
    }
    let written = 0;
    if (ids.length > 0) {
      written = await tx.$executeRaw`
        INSERT INTO webhook_deliveries (webhook_id, event_id, type, body, max_attempts, next_attempt_at)
        SELECT w, e, t, b, ${opts.maxAttempts}, now() FROM unnest(${ids}::text[], ${eventIds}::bigint[], ${types}::text[], ${bodies}::text[]) AS i(w, e, t, b)
        ON CONFLICT (webhook_id, event_id) DO NOTHING`;
    }
    const last = events[events.length - 1]!;
    await tx.$executeRaw`UPDATE webhook_cursor SET last_tx = ${last.tx}::xid8, last_event_id = ${last.id}, updated_at = now() WHERE id = 1`;
    return { events: events.length, deliveries: written, more: events.length === opts.batch };
  }, { timeout: 60_000 });
}
