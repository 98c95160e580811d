import "server-only";
import { randomBytes } from "node:crypto";
import { InputError, parseInput, type FieldError } from "@/lib/contracts/api-error";
import type { AlertSeverity } from "@/lib/contracts/alerts";
import {
  webhookConfigProblems, webhookCreateSchema, webhookDeliveriesQuerySchema, webhookUpdateSchema,
  type WebhookConfig, type WebhookCreated, type WebhookDeliveryView, type WebhookEventKind, type WebhookFormat,
  type WebhookRuleOption, type WebhookView,
} from "@/lib/contracts/webhooks";
import type { PrismaClient } from "../db/prisma-client";
import type { UserPrincipal } from "../auth/policy";
import { NotFoundError } from "../errors";
import { applyAlertSignals, type AlertTransitions } from "../alerts/alert-store";
import { deliveryBody, sampleEvent } from "./payloads";
import { generateWebhookSecret } from "./signature";

/**
 * The desk's webhooks (docs/WEBHOOKS.md): list, create, change, enable, disable, delete, test and
 * the delivery log. Every input is checked whole before anything is written (400 naming the
 * field, nothing saved); every write is audited in its own transaction.
 */

/** What the admin asks of the dispatcher. */
export interface DispatcherHandle {
  wake(): void;
  announce(transitions: AlertTransitions): void;
  deliverNow(deliveryId: string): Promise<void>;
}

interface WebhookRow {
  id: string;
  name: string;
  url: string;
  format: WebhookFormat;
  rule_ids: string[] | null;
  min_severity: AlertSeverity | null;
  event_kinds: string[] | null;
  template: string | null;
  enabled: boolean;
  consecutive_failures: number;
  disabled_at: Date | null;
  disabled_reason: string | null;
  created_at: Date;
  updated_at: Date;
  ld_id: bigint | null;
  ld_type: string | null;
  ld_state: "pending" | "delivered" | "dead" | null;
  ld_at: Date | null;
  ld_status: number | null;
  ld_error: string | null;
  ld_duration: number | null;
  pending: bigint;
}

const ms = (d: Date | null) => (d === null ? null : d.getTime());

function viewOf(r: WebhookRow): WebhookView {
  return {
    id: r.id, name: r.name, url: r.url, format: r.format, ruleIds: r.rule_ids ?? [], minSeverity: r.min_severity,
    eventKinds: (r.event_kinds ?? []) as WebhookEventKind[], template: r.template, enabled: r.enabled,
    consecutiveFailures: r.consecutive_failures, disabledAt: ms(r.disabled_at), disabledReason: r.disabled_reason,
    createdAt: r.created_at.getTime(), updatedAt: r.updated_at.getTime(),
    lastDelivery: r.ld_id === null ? null : {
      id: r.ld_id.toString(), type: r.ld_type!, state: r.ld_state!, attemptedAt: ms(r.ld_at), status: r.ld_status, error: r.ld_error, durationMs: r.ld_duration,
    },
    pending: Number(r.pending),
  };
}

async function readWebhooks(prisma: PrismaClient, id: string | null): Promise<WebhookView[]> {
  const rows = await prisma.$queryRaw<WebhookRow[]>`
    SELECT w.id, w.name, w.url, w.format::text AS format, w.rule_ids, w.min_severity::text AS min_severity, w.event_kinds, w.template,
           w.enabled, w.consecutive_failures, w.disabled_at, w.disabled_reason, w.created_at, w.updated_at,
           ld.id AS ld_id, ld.type AS ld_type, ld.state::text AS ld_state, ld.last_attempt_at AS ld_at, ld.last_status AS ld_status,
           ld.last_error AS ld_error, ld.last_duration_ms AS ld_duration,
           (SELECT count(*) FROM webhook_deliveries p WHERE p.webhook_id = w.id AND p.state = 'pending') AS pending
      FROM webhooks w
      LEFT JOIN LATERAL (
        SELECT d.id, d.type, d.state, d.last_attempt_at, d.last_status, d.last_error, d.last_duration_ms FROM webhook_deliveries d
         WHERE d.webhook_id = w.id AND d.last_attempt_at IS NOT NULL ORDER BY d.last_attempt_at DESC LIMIT 1) ld ON true
     WHERE (${id}::text IS NULL OR w.id = ${id})
     ORDER BY w.created_at, w.id`;
  return rows.map(viewOf);
}

/** The changes of `after` from `before`, as the audit entry's details keep them (the URL without its path: it may hold a token). */
function changes(before: WebhookConfig | null, after: WebhookConfig): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(after) as (keyof WebhookConfig)[]) {
    if (key === "enabled") continue;
    if (before !== null && JSON.stringify(before[key]) === JSON.stringify(after[key])) continue;
    out[key] = key === "url" ? redactUrl(after.url) : after[key];
  }
  return out;
}

/** `https://hooks.example.com/…`: the origin, and whether there was more (a path or query may be a credential, as Slack's are). */
export function redactUrl(url: string): string {
  const u = new URL(url);
  return u.pathname === "/" && u.search === "" ? u.origin : `${u.origin}/…`;
}

export class WebhookAdmin {
  constructor(private readonly prisma: PrismaClient, private readonly dispatcher: DispatcherHandle) {}

  list(): Promise<WebhookView[]> {
    return readWebhooks(this.prisma, null);
  }

  async get(id: string): Promise<WebhookView> {
    const [view] = await readWebhooks(this.prisma, id);
    if (!view) throw new NotFoundError(`webhook "${id}"`);
    return view;
  }

  /** The rules a webhook may filter on. */
  async rules(): Promise<WebhookRuleOption[]> {
    const rows = await this.prisma.alertRule.findMany({ orderBy: { id: "asc" }, select: { id: true, name: true, severity: true } });
    return rows;
  }

  /** Refuses rule ids that name no rule, each at its place in `ruleIds`. */
  private async checkRules(ruleIds: readonly string[]): Promise<FieldError[]> {
    if (ruleIds.length === 0) return [];
    const known = new Set((await this.prisma.alertRule.findMany({ where: { id: { in: [...ruleIds] } }, select: { id: true } })).map((r) => r.id));
    return ruleIds.flatMap((id, i) => (known.has(id) ? [] : [{ path: `ruleIds[${i}]`, message: `no alert rule "${id}" (GET /api/v1/webhooks/rules lists them)` }]));
  }

  /** The whole webhook checked: its fields together, its rules, and its body rendered against a sample alert. */
  private async check(config: WebhookConfig): Promise<void> {
    const problems = [...webhookConfigProblems(config), ...(await this.checkRules(config.ruleIds))];
    if (problems.length === 0) {
      try {
        deliveryBody(sampleEvent(), config);
      } catch (error) {
        problems.push({ path: "template", message: `does not render: ${error instanceof Error ? error.message : String(error)}` });
      }
    }
    if (problems.length > 0) throw new InputError(problems);
  }

  /** A new webhook, and its secret (shown this once). */
  async create(user: UserPrincipal, body: unknown): Promise<WebhookCreated> {
    const config: WebhookConfig = parseInput(webhookCreateSchema, body);
    await this.check(config);
    const id = `wh_${randomBytes(8).toString("hex")}`;
    const secret = generateWebhookSecret();
    await this.prisma.$transaction(async (tx) => {
      await tx.webhook.create({
        data: {
          id, secret, name: config.name, url: config.url, format: config.format, ruleIds: config.ruleIds, minSeverity: config.minSeverity,
          eventKinds: config.eventKinds, template: config.template, enabled: config.enabled, createdBy: user.userId,
          disabledAt: config.enabled ? null : new Date(), disabledReason: config.enabled ? null : `created disabled by ${user.email}`,
        },
      });
      await tx.auditLog.create({
        data: { actor: `user:${user.userId}`, userId: user.userId, action: "webhook.create", note: config.name, details: { webhookId: id, ...changes(null, config), enabled: config.enabled } as object },
      });
    });
    this.dispatcher.wake();
    return { ...(await this.get(id)), secret };
  }

  /**
   * Changes the fields given; `enabled` turns it on (failures forgotten, its pending deliveries
   * due at once, its "webhook-disabled" alert resolved) or off. Audited as webhook.update,
   * webhook.enable or webhook.disable (two entries when both).
   */
  async update(user: UserPrincipal, id: string, body: unknown): Promise<WebhookView> {
    const patch = parseInput(webhookUpdateSchema, body);
    const current = await this.prisma.webhook.findUnique({ where: { id } });
    if (!current) throw new NotFoundError(`webhook "${id}"`);
    const before: WebhookConfig = {
      name: current.name, url: current.url, format: current.format, ruleIds: current.ruleIds, minSeverity: current.minSeverity,
      eventKinds: current.eventKinds as WebhookEventKind[], template: current.template, enabled: current.enabled,
    };
    // A format changed to json drops a template given to the Slack one only when the request does not set one.
    const after: WebhookConfig = { ...before, ...patch };
    if (patch.format === "json" && patch.template === undefined) after.template = null;
    await this.check(after);
    const changed = changes(before, after);
    const toggled = after.enabled !== before.enabled;
    if (Object.keys(changed).length === 0 && !toggled) return this.get(id);
    const actor = { actor: `user:${user.userId}`, userId: user.userId };
    const resolved = await this.prisma.$transaction(async (tx) => {
      await tx.webhook.update({
        where: { id },
        data: {
          name: after.name, url: after.url, format: after.format, ruleIds: after.ruleIds, minSeverity: after.minSeverity,
          eventKinds: after.eventKinds, template: after.template, enabled: after.enabled,
          ...(toggled && after.enabled ? { consecutiveFailures: 0, disabledAt: null, disabledReason: null } : {}),
          ...(toggled && !after.enabled ? { disabledAt: new Date(), disabledReason: `disabled by ${user.email}` } : {}),
        },
      });
      if (Object.keys(changed).length > 0) {
        await tx.auditLog.create({ data: { ...actor, action: "webhook.update", note: after.name, details: { webhookId: id, ...changed } as object } });
      }
      if (toggled) {
        await tx.auditLog.create({ data: { ...actor, action: after.enabled ? "webhook.enable" : "webhook.disable", note: after.name, details: { webhookId: id } } });
      }
      if (toggled && after.enabled) {
        await tx.$executeRaw`UPDATE webhook_deliveries SET next_attempt_at = now() WHERE webhook_id = ${id} AND state = 'pending'`;
        return applyAlertSignals(tx, [{ ruleId: "webhook-disabled", subject: `webhook:${id}`, raise: false, at: Date.now() }]);
      }
      return null;
    });
    if (resolved) this.dispatcher.announce(resolved);
    this.dispatcher.wake();
    return this.get(id);
  }

  /** Deletes a webhook and its delivery log; resolves its "webhook-disabled" alert. */
  async remove(user: UserPrincipal, id: string): Promise<void> {
    const resolved = await this.prisma.$transaction(async (tx) => {
      const gone = await tx.webhook.deleteMany({ where: { id } });
      if (gone.count === 0) throw new NotFoundError(`webhook "${id}"`);
      await tx.auditLog.create({ data: { actor: `user:${user.userId}`, userId: user.userId, action: "webhook.delete", details: { webhookId: id } } });
      return applyAlertSignals(tx, [{ ruleId: "webhook-disabled", subject: `webhook:${id}`, raise: false, at: Date.now() }]);
    });
    this.dispatcher.announce(resolved);
  }

  /** Sends a test event now (one attempt, not counted against the webhook) and answers with its delivery. */
  async test(user: UserPrincipal, id: string): Promise<WebhookDeliveryView> {
    const webhook = await this.prisma.webhook.findUnique({ where: { id } });
    if (!webhook) throw new NotFoundError(`webhook "${id}"`);
    const deliveryId = await this.prisma.$transaction(async (tx) => {
      // The body names its own delivery: the id is taken first.
      const [seq] = await tx.$queryRaw<{ id: bigint }[]>`SELECT nextval(pg_get_serial_sequence('webhook_deliveries', 'id')) AS id`;
      const next = seq!.id;
      const body = deliveryBody(sampleEvent(), webhook, { id: `test-${next}` });
      await tx.$executeRaw`
        INSERT INTO webhook_deliveries (id, webhook_id, event_id, type, body, max_attempts, next_attempt_at)
        VALUES (${next}, ${id}, NULL, 'webhook.test', ${body}, 1, now() + interval '5 minutes')`;
      await tx.auditLog.create({ data: { actor: `user:${user.userId}`, userId: user.userId, action: "webhook.test", note: webhook.name, details: { webhookId: id, deliveryId: next.toString() } } });
      return next.toString();
    });
    await this.dispatcher.deliverNow(deliveryId);
    const [view] = await this.deliveries(id, { before: String(BigInt(deliveryId) + 1n), limit: "1" });
    return view!;
  }

  /** The delivery log, newest first (`?state=&before=&limit=`). */
  async deliveries(id: string, query: Record<string, string | string[] | undefined>): Promise<WebhookDeliveryView[]> {
    const q = parseInput(webhookDeliveriesQuerySchema, query);
    if ((await this.prisma.webhook.count({ where: { id } })) === 0) throw new NotFoundError(`webhook "${id}"`);
    const rows = await this.prisma.$queryRaw<{
      id: bigint; event_id: bigint | null; alert_id: bigint | null; type: string; state: WebhookDeliveryView["state"]; attempts: number; max_attempts: number;
      next_attempt_at: Date | null; last_status: number | null; last_error: string | null; last_duration_ms: number | null;
      last_attempt_at: Date | null; created_at: Date; delivered_at: Date | null;
    }[]>`
      SELECT d.id, d.event_id, e.alert_id, d.type, d.state::text AS state, d.attempts, d.max_attempts, d.next_attempt_at, d.last_status,
             d.last_error, d.last_duration_ms, d.last_attempt_at, d.created_at, d.delivered_at
        FROM webhook_deliveries d LEFT JOIN alert_events e ON e.id = d.event_id
       WHERE d.webhook_id = ${id} AND (${q.state ?? null}::text IS NULL OR d.state::text = ${q.state ?? null})
         AND (${q.before ?? null}::bigint IS NULL OR d.id < ${q.before ?? null}::bigint)
       ORDER BY d.id DESC LIMIT ${q.limit}`;
    return rows.map((r) => ({
      id: r.id.toString(), webhookId: id, eventId: r.event_id?.toString() ?? null, alertId: r.alert_id?.toString() ?? null, type: r.type,
      state: r.state, attempts: r.attempts, maxAttempts: r.max_attempts,
      nextAttemptAt: r.state === "pending" ? ms(r.next_attempt_at) : null,
      lastStatus: r.last_status, lastError: r.last_error, lastDurationMs: r.last_duration_ms, lastAttemptAt: ms(r.last_attempt_at),
      createdAt: r.created_at.getTime(), deliveredAt: ms(r.delivered_at),
    }));
  }
}
