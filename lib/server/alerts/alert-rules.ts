import "server-only";
import { randomBytes } from "node:crypto";
import {
  alertRuleCreateSchema, alertRuleParamsSchemas, alertRulePatchSchema, checkAlertRule, isSystemKind,
  type AlertRuleKind, type AlertRuleView, type AlertScope, type AlertSeverity,
} from "@/lib/contracts/alerts";
import { InputError, parseInput, type FieldError } from "@/lib/contracts/api-error";
import type { Prisma, PrismaClient } from "../db/prisma-client";
import { HttpError, NotFoundError } from "../errors";
import { TRANSACTION_OPTIONS } from "../ingest/sql-errors";
import type { AlertTransition } from "./alert-transitions";

/** Who changes a rule or an alert: a signed-in desk user. */
export interface DeskActor {
  readonly userId: string;
  readonly email: string;
}

type RuleRow = {
  id: string; name: string; kind: AlertRuleKind; severity: AlertSeverity; params: unknown; scope: AlertScope;
  marketId: string | null; accountIds: string[]; enabled: boolean; system: boolean; updatedAt: Date;
};

/** A stored rule as the desk and the producers see it: its parameters with their defaults filled. */
export function ruleViewOf(row: RuleRow): AlertRuleView {
  const parsed = alertRuleParamsSchemas[row.kind].safeParse(row.params ?? {});
  return {
    id: row.id, name: row.name, kind: row.kind, severity: row.severity,
    params: parsed.success ? (parsed.data as Record<string, unknown>) : ((row.params ?? {}) as Record<string, unknown>),
    scope: row.scope, marketId: row.marketId, accountIds: row.accountIds, enabled: row.enabled, system: row.system,
    updatedAt: row.updatedAt.getTime(),
  };
}

/** Every rule, system rules first, then by kind and name. */
export async function listAlertRules(prisma: PrismaClient | Prisma.TransactionClient): Promise<AlertRuleView[]> {
  const rows = await prisma.alertRule.findMany({ orderBy: [{ system: "desc" }, { kind: "asc" }, { name: "asc" }, { id: "asc" }] });
  return rows.map(ruleViewOf);
}

/** What a rule change needs to know beyond the request: whether a market exists. */
export interface RuleChecks {
  marketExists(marketId: string): boolean;
}

function refuse(fields: FieldError[]): never {
  throw new InputError(fields);
}

function checked(draft: Parameters<typeof checkAlertRule>[0], checks: RuleChecks) {
  const result = checkAlertRule(draft);
  if (!result.ok) refuse(result.fields);
  if (result.marketId !== null && !checks.marketExists(result.marketId)) {
    refuse([{ path: "marketId", message: `no market "${result.marketId}" on this venue` }]);
  }
  return result;
}

/** What a rule looks like in the audit log (before / after). */
function auditOf(r: AlertRuleView) {
  return { id: r.id, name: r.name, kind: r.kind, severity: r.severity, params: r.params, scope: r.scope, marketId: r.marketId, accountIds: r.accountIds, enabled: r.enabled };
}

async function audit(tx: Prisma.TransactionClient, actor: DeskActor, action: string, details: object, note?: string): Promise<void> {
  await tx.auditLog.create({ data: { actor: `user:${actor.userId}`, userId: actor.userId, action, note: note ?? null, details: details as Prisma.InputJsonValue } });
}

/** `POST /api/v1/alert-rules`: a new rule, audited; 400 naming the field, nothing saved. */
export async function createAlertRule(prisma: PrismaClient, actor: DeskActor, body: unknown, checks: RuleChecks): Promise<AlertRuleView> {
  const input = parseInput(alertRuleCreateSchema, body);
  if (isSystemKind(input.kind)) refuse([{ path: "kind", message: `${input.kind} alerts are raised by the system under their own rule: change its severity instead of adding one` }]);
  const rule = checked({ kind: input.kind, params: input.params, scope: input.scope, marketId: input.marketId, accountIds: input.accountIds }, checks);
  return prisma.$transaction(async (tx) => {
    const row = await tx.alertRule.create({
      data: {
        id: `rule-${randomBytes(5).toString("hex")}`, name: input.name, kind: input.kind, severity: input.severity,
        params: rule.params as Prisma.InputJsonValue, scope: input.scope, marketId: rule.marketId, accountIds: rule.accountIds, enabled: input.enabled,
      },
    });
    const view = ruleViewOf(row);
    await audit(tx, actor, "alert_rule.create", { ruleId: view.id, after: auditOf(view) });
    return view;
  }, TRANSACTION_OPTIONS);
}

/**
 * `PATCH /api/v1/alert-rules/:id`: the named fields changed, audited with before and after. A
 * rule turned off resolves its unresolved alerts (by this user, "the rule was disabled"): nothing
 * would ever clear them otherwise. Returns the rule and those transitions.
 */
export async function updateAlertRule(
  prisma: PrismaClient, actor: DeskActor, id: string, body: unknown, checks: RuleChecks,
): Promise<{ rule: AlertRuleView; transitions: AlertTransition[] }> {
  const patch = parseInput(alertRulePatchSchema, body);
  return prisma.$transaction(async (tx) => {
    const [locked] = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM alert_rules WHERE id = ${id} FOR UPDATE`;
    if (!locked) throw new NotFoundError(`alert rule "${id}"`);
    const before = ruleViewOf(await tx.alertRule.findUniqueOrThrow({ where: { id } }));
    if (patch.kind !== undefined && patch.kind !== before.kind) {
      refuse([{ path: "kind", message: `cannot be changed (the rule is a ${before.kind} rule): add a new rule instead` }]);
    }
    // Through a Map: a "__proto__" key stays a key (refused by the kind's schema), never the object's prototype.
    const merged = new Map(Object.entries(before.params));
    for (const [key, value] of Object.entries(patch.params ?? {})) {
      if (value === null) merged.delete(key);
      else merged.set(key, value);
    }
    const params = Object.fromEntries(merged);
    const scope = patch.scope ?? before.scope;
    const marketId = patch.marketId !== undefined ? patch.marketId : scope === "market" ? before.marketId : null;
    const accountIds = patch.accountIds !== undefined ? patch.accountIds : scope === "accounts" ? before.accountIds : [];
    const rule = checked({ kind: before.kind, params, scope, marketId, accountIds }, checks);
    const row = await tx.alertRule.update({
      where: { id },
      data: {
        name: patch.name ?? before.name, severity: patch.severity ?? before.severity, params: rule.params as Prisma.InputJsonValue,
        scope, marketId: rule.marketId, accountIds: rule.accountIds, enabled: patch.enabled ?? before.enabled,
      },
    });
    const after = ruleViewOf(row);
    await audit(tx, actor, "alert_rule.update", { ruleId: id, before: auditOf(before), after: auditOf(after) });
    const transitions = before.enabled && !after.enabled ? await resolveRuleAlerts(tx, actor, id, "the rule was disabled") : [];
    return { rule: after, transitions };
  }, TRANSACTION_OPTIONS);
}

/**
 * `DELETE /api/v1/alert-rules/:id`: only a rule the desk added that never raised an alert (its
 * alerts' history refers to it: disable it instead); audited. 409 otherwise.
 */
export async function deleteAlertRule(prisma: PrismaClient, actor: DeskActor, id: string): Promise<AlertRuleView> {
  return prisma.$transaction(async (tx) => {
    const [locked] = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM alert_rules WHERE id = ${id} FOR UPDATE`;
    if (!locked) throw new NotFoundError(`alert rule "${id}"`);
    const rule = ruleViewOf(await tx.alertRule.findUniqueOrThrow({ where: { id } }));
    if (rule.system) throw new HttpError(409, "conflict", `alert rule "${id}" is the system's own (${rule.kind}): it cannot be deleted; disable it or change its severity`);
    const alerts = await tx.alert.count({ where: { ruleId: id } });
    if (alerts > 0) {
      throw new HttpError(409, "conflict", `alert rule "${id}" has raised ${alerts} alert${alerts === 1 ? "" : "s"}, whose history refers to it: disable it instead (PATCH { "enabled": false })`);
    }
    await tx.alertRule.delete({ where: { id } });
    await audit(tx, actor, "alert_rule.delete", { ruleId: id, before: auditOf(rule) });
    return rule;
  }, TRANSACTION_OPTIONS);
}

/** Resolves every unresolved alert of a rule by `actor`, with its events and audit entries, in the caller's transaction. */
async function resolveRuleAlerts(tx: Prisma.TransactionClient, actor: DeskActor, ruleId: string, note: string): Promise<AlertTransition[]> {
  const who = `user:${actor.userId}`;
  const rows = await tx.$queryRaw<{ id: bigint; subject: string }[]>`
    WITH done AS (
      UPDATE alerts SET state = 'resolved', resolved_at = now(), resolved_by = ${actor.userId}, resolve_note = ${note}, updated_at = now()
       WHERE rule_id = ${ruleId} AND state <> 'resolved'
      RETURNING id, rule_id, subject, account_id
    ), events AS (
      INSERT INTO alert_events (alert_id, kind, actor, note) SELECT id, 'resolved', ${who}, ${note} FROM done
    ), audit AS (
      INSERT INTO audit_log (actor, user_id, action, account_id, note, details)
        SELECT ${who}, ${actor.userId}, 'alert.resolve', account_id, ${note}, jsonb_build_object('alertId', id::text, 'ruleId', rule_id, 'subject', subject) FROM done
    )
    SELECT id, subject FROM done`;
  return rows.map((r) => ({ id: r.id.toString(), kind: "resolved", ruleId, subject: r.subject }));
}
