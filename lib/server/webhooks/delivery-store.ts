import "server-only";
import type { PrismaClient } from "../db/prisma-client";
import { applyAlertSignals, type AlertTransitions } from "../alerts/alert-store";
import { retryDelayMs } from "./backoff";

/**
 * The dispatcher's reads and writes of `webhook_deliveries` (docs/WEBHOOKS.md): claiming due
 * deliveries under a lease, and recording the outcome of many attempts in one transaction —
 * deliveries, the webhooks' failure counts, and a webhook disabled at its limit with its audit
 * entry and its "webhook-disabled" alert (through applyAlertSignals, in that same transaction).
 */

/** A delivery claimed for sending. */
export interface ClaimedDelivery {
  readonly id: string;
  readonly webhookId: string;
  readonly type: string;
  readonly body: string;
  /** Attempts made before this one. */
  readonly attempts: number;
  readonly maxAttempts: number;
  readonly url: string;
  readonly secret: string;
  /** The webhook's failed attempts in a row when it was claimed. */
  readonly webhookFailures: number;
  /** A test delivery: not retried, not counted against its webhook. */
  readonly test: boolean;
}

/** The outcome of one attempt. */
export interface AttemptResult {
  readonly delivery: ClaimedDelivery;
  /** A 2xx answer. */
  readonly ok: boolean;
  readonly status: number | null;
  readonly error: string | null;
  readonly durationMs: number;
  readonly at: number;
}

export interface RetryPolicy {
  readonly backoffBaseMs: number;
  readonly backoffCapMs: number;
  /** Failed attempts in a row after which a webhook is disabled. */
  readonly failureLimit: number;
}

/** A webhook the record disabled. */
export interface DisabledWebhook {
  readonly id: string;
  readonly name: string;
  readonly reason: string;
}

interface ClaimRow {
  id: bigint;
  webhook_id: string;
  type: string;
  body: string;
  attempts: number;
  max_attempts: number;
  event_id: bigint | null;
  url: string;
  secret: string;
  consecutive_failures: number;
}

function claimedOf(r: ClaimRow): ClaimedDelivery {
  return {
    id: r.id.toString(), webhookId: r.webhook_id, type: r.type, body: r.body, attempts: r.attempts, maxAttempts: r.max_attempts,
    url: r.url, secret: r.secret, webhookFailures: r.consecutive_failures, test: r.event_id === null,
  };
}

/**
 * Claims up to `perWebhook` due deliveries of each enabled webhook (oldest due first), leased for
 * `leaseMs`: not due again before then, so a crash mid-send retries them once the lease runs out.
 * The result interleaves the webhooks, so one with a backlog does not hold the others up.
 */
export async function claimDue(prisma: PrismaClient, perWebhook: number, leaseMs: number): Promise<ClaimedDelivery[]> {
  const rows = await prisma.$queryRaw<ClaimRow[]>`
    WITH due AS (
      SELECT d.id FROM webhooks w CROSS JOIN LATERAL (
        SELECT d.id FROM webhook_deliveries d
         WHERE d.webhook_id = w.id AND d.state = 'pending' AND d.next_attempt_at <= now()
         ORDER BY d.next_attempt_at, d.id LIMIT ${perWebhook} FOR UPDATE SKIP LOCKED) d
       WHERE w.enabled
    ), claimed AS (
      UPDATE webhook_deliveries d SET next_attempt_at = now() + make_interval(secs => ${leaseMs / 1000})
        FROM due WHERE d.id = due.id
        RETURNING d.id, d.webhook_id, d.type, d.body, d.attempts, d.max_attempts, d.event_id, d.next_attempt_at
    )
    SELECT c.id, c.webhook_id, c.type, c.body, c.attempts, c.max_attempts, c.event_id, w.url, w.secret, w.consecutive_failures
      FROM claimed c JOIN webhooks w ON w.id = c.webhook_id ORDER BY c.next_attempt_at, c.id`;
  const byWebhook = new Map<string, ClaimedDelivery[]>();
  for (const r of rows) {
    const list = byWebhook.get(r.webhook_id) ?? [];
    list.push(claimedOf(r));
    byWebhook.set(r.webhook_id, list);
  }
  const lists = [...byWebhook.values()];
  const out: ClaimedDelivery[] = [];
  for (let i = 0; out.length < rows.length; i++) {
    for (const l of lists) {
      const d = l[i];
      if (d) out.push(d);
    }
  }
  return out;
}

/** Claims one delivery (a test the desk is waiting for), whatever its webhook's state. */
export async function claimOne(prisma: PrismaClient, deliveryId: string, leaseMs: number): Promise<ClaimedDelivery | null> {
  const [row] = await prisma.$queryRaw<ClaimRow[]>`
    WITH claimed AS (
      UPDATE webhook_deliveries d SET next_attempt_at = now() + make_interval(secs => ${leaseMs / 1000})
       WHERE d.id = ${BigInt(deliveryId)} AND d.state = 'pending'
       RETURNING d.id, d.webhook_id, d.type, d.body, d.attempts, d.max_attempts, d.event_id
    )
    SELECT c.*, w.url, w.secret, w.consecutive_failures FROM claimed c JOIN webhooks w ON w.id = c.webhook_id`;
  return row ? claimedOf(row) : null;
}

/** Claimed deliveries not sent after all (stopping, or their webhook paused): due again at once. */
export async function releaseClaims(prisma: PrismaClient, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await prisma.$executeRaw`UPDATE webhook_deliveries SET next_attempt_at = now() WHERE id = ANY(${ids}::bigint[]) AND state = 'pending'`;
}

/** The next state of a delivery after an attempt. */
export function nextState(r: AttemptResult, policy: RetryPolicy, random: () => number = Math.random): { state: "pending" | "delivered" | "dead"; nextAttemptAt: number | null } {
  if (r.ok) return { state: "delivered", nextAttemptAt: null };
  const made = r.delivery.attempts + 1;
  if (made >= r.delivery.maxAttempts) return { state: "dead", nextAttemptAt: null };
  return { state: "pending", nextAttemptAt: r.at + retryDelayMs(made, policy.backoffBaseMs, policy.backoffCapMs, random) };
}

/**
 * Records attempts (in the order they finished) in one transaction: each delivery's state, and for
 * each webhook (tests aside) its failed attempts in a row — reset by a success — then disables a
 * webhook that reached `failureLimit` or whose delivery went dead, with its audit entry and its
 * "webhook-disabled" alert. A webhook already disabled is not disabled again: one alert per disabling.
 */
export async function recordAttempts(
  prisma: PrismaClient, results: readonly AttemptResult[], policy: RetryPolicy, random: () => number = Math.random,
): Promise<{ disabled: DisabledWebhook[]; alerts: AlertTransitions }> {
  const none: AlertTransitions = { raised: [], resolved: [] };
  if (results.length === 0) return { disabled: [], alerts: none };
  const next = results.map((r) => nextState(r, policy, random));
  return prisma.$transaction(async (tx) => {
    await tx.$executeRaw`
      UPDATE webhook_deliveries d SET
        state = i.state::webhook_delivery_state, attempts = d.attempts + 1, next_attempt_at = i.next_at, last_status = i.status,
        last_error = i.error, last_duration_ms = i.duration, last_attempt_at = i.at,
        delivered_at = CASE WHEN i.state = 'delivered' THEN i.at ELSE d.delivered_at END
      FROM unnest(${results.map((r) => r.delivery.id)}::bigint[], ${next.map((n) => n.state)}::text[],
                  ${next.map((n) => (n.nextAttemptAt === null ? null : new Date(n.nextAttemptAt)))}::timestamptz[],
                  ${results.map((r) => r.status)}::int[], ${results.map((r) => r.error)}::text[],
                  ${results.map((r) => Math.round(r.durationMs))}::int[], ${results.map((r) => new Date(r.at))}::timestamptz[])
        AS i(id, state, next_at, status, error, duration, at)
      WHERE d.id = i.id AND d.state = 'pending'`;
    // Per webhook, in the order the attempts finished: the failures after the last success.
    const streaks = new Map<string, { reset: boolean; tail: number; dead: boolean; lastError: string | null }>();
    results.forEach((r, i) => {
      if (r.delivery.test) return;
      const s = streaks.get(r.delivery.webhookId) ?? { reset: false, tail: 0, dead: false, lastError: null };
      if (r.ok) Object.assign(s, { reset: true, tail: 0 });
      else Object.assign(s, { tail: s.tail + 1, lastError: r.error });
      if (next[i]!.state === "dead") s.dead = true;
      streaks.set(r.delivery.webhookId, s);
    });
    if (streaks.size === 0) return { disabled: [], alerts: none };
    const ids = [...streaks.keys()];
    const current = await tx.$queryRaw<{ id: string; name: string; enabled: boolean; consecutive_failures: number }[]>`
      SELECT id, name, enabled, consecutive_failures FROM webhooks WHERE id = ANY(${ids}::text[]) ORDER BY id FOR UPDATE`;
    const disabled: DisabledWebhook[] = [];
    const counts: number[] = [];
    const disable: boolean[] = [];
    const reasons: (string | null)[] = [];
    for (const w of current) {
      const s = streaks.get(w.id)!;
      const failures = s.reset ? s.tail : w.consecutive_failures + s.tail;
      const off = w.enabled && s.tail > 0 && (failures >= policy.failureLimit || s.dead);
      const reason = off
        ? `${failures} failed ${failures === 1 ? "attempt" : "attempts"} in a row${s.dead && failures < policy.failureLimit ? " (a delivery used up its attempts)" : ""}; last: ${s.lastError ?? "unknown"}`
        : null;
      counts.push(failures);
      disable.push(off);
      reasons.push(reason);
      if (off) disabled.push({ id: w.id, name: w.name, reason: reason! });
    }
    await tx.$executeRaw`
      UPDATE webhooks w SET consecutive_failures = i.failures,
        enabled = w.enabled AND NOT i.off,
        disabled_at = CASE WHEN i.off THEN now() ELSE w.disabled_at END,
        disabled_reason = CASE WHEN i.off THEN i.reason ELSE w.disabled_reason END,
        updated_at = CASE WHEN i.off THEN now() ELSE w.updated_at END
      FROM unnest(${current.map((w) => w.id)}::text[], ${counts}::int[], ${disable}::bool[], ${reasons}::text[]) AS i(id, failures, off, reason)
      WHERE w.id = i.id`;
    if (disabled.length > 0) {
      const now = Date.now();
      await tx.auditLog.createMany({
        data: disabled.map((d) => ({ actor: "system", action: "webhook.disable", note: d.reason, details: { webhookId: d.id, name: d.name, automatic: true } })),
      });
      // The transaction client runs the same raw statements as the client (applyAlertSignals uses only $queryRaw).
      const alerts = await applyAlertSignals(tx, disabled.map((d) => ({
        ruleId: "webhook-disabled", subject: `webhook:${d.id}`, raise: true, at: now,
        message: `webhook "${d.name}" disabled: ${d.reason}`, value: counts[current.findIndex((w) => w.id === d.id)],
      })));
      return { disabled, alerts };
    }
    return { disabled, alerts: none };
  }, { timeout: 60_000 });
}
