import "server-only";
import { alertListQuerySchema, type AlertCounts, type AlertDetail, type AlertPage, type DeskUserView } from "@/lib/contracts/alerts";
import { InputError, parseInput } from "@/lib/contracts/api-error";
import type { Prisma, PrismaClient } from "../db/prisma-client";
import { NotFoundError } from "../errors";
import { ruleViewOf } from "./alert-rules";
import { alertEventViewOf, alertViewOf, WITH_RULE } from "./alert-views";

/** An alert id from a path: a whole number (400 naming `id` otherwise: it cannot name an alert). */
export function alertIdOf(id: string): bigint {
  if (!/^\d{1,18}$/.test(id)) throw new InputError([{ path: "id", message: `must be an alert id, a whole number (got ${JSON.stringify(id.slice(0, 40))})` }]);
  return BigInt(id);
}

/**
 * `GET /api/v1/alerts`: filtered by state (unresolved when not named), severity, rule, market,
 * account, assignee ("none": nobody) and whether snoozed now; newest raised first; paged.
 */
export async function listAlerts(prisma: PrismaClient, query: Record<string, string | string[] | undefined>, now: number): Promise<AlertPage> {
  const q = parseInput(alertListQuerySchema, query);
  const at = new Date(now);
  const where: Prisma.AlertWhereInput = {
    state: { in: q.state && q.state.length > 0 ? q.state : ["open", "acknowledged"] },
    ...(q.severity && q.severity.length > 0 ? { severity: { in: q.severity } } : {}),
    ...(q.ruleId !== undefined ? { ruleId: q.ruleId } : {}),
    ...(q.marketId !== undefined ? { marketId: q.marketId } : {}),
    ...(q.accountId !== undefined ? { accountId: q.accountId } : {}),
    ...(q.assignee !== undefined ? { assigneeId: q.assignee === "none" ? null : q.assignee } : {}),
    ...(q.snoozed === true ? { snoozedUntil: { gt: at } } : q.snoozed === false ? { OR: [{ snoozedUntil: null }, { snoozedUntil: { lte: at } }] } : {}),
  };
  const [total, rows] = await Promise.all([
    prisma.alert.count({ where }),
    prisma.alert.findMany({ where, include: WITH_RULE, orderBy: [{ raisedAt: "desc" }, { id: "desc" }], skip: q.offset, take: q.limit }),
  ]);
  return { total, offset: q.offset, limit: q.limit, items: rows.map(alertViewOf), serverTime: now };
}

/** The counts the desk's header shows, and when the next running snooze ends (for the push that follows it). */
export async function alertCounts(prisma: PrismaClient, now: number): Promise<{ counts: AlertCounts; nextSnoozeEnd: number | null }> {
  const at = new Date(now);
  const [row] = await prisma.$queryRaw<{ info: number; warning: number; critical: number; open: number; acknowledged: number; snoozed: number; next_end: Date | null }[]>`
    SELECT count(*) FILTER (WHERE state = 'open' AND NOT snoozed AND severity = 'info')::int AS info,
           count(*) FILTER (WHERE state = 'open' AND NOT snoozed AND severity = 'warning')::int AS warning,
           count(*) FILTER (WHERE state = 'open' AND NOT snoozed AND severity = 'critical')::int AS critical,
           count(*) FILTER (WHERE state = 'open')::int AS open,
           count(*) FILTER (WHERE state = 'acknowledged')::int AS acknowledged,
           count(*) FILTER (WHERE snoozed)::int AS snoozed,
           min(snoozed_until) FILTER (WHERE snoozed) AS next_end
      FROM (SELECT state, severity, snoozed_until, coalesce(snoozed_until > ${at}, false) AS snoozed FROM alerts WHERE state <> 'resolved') a`;
  const r = row!;
  return {
    counts: {
      attention: { info: r.info, warning: r.warning, critical: r.critical },
      open: r.open, acknowledged: r.acknowledged, snoozed: r.snoozed, serverTime: now,
    },
    nextSnoozeEnd: r.next_end ? r.next_end.getTime() : null,
  };
}

/** `GET /api/v1/alerts/:id`: the alert, its rule and every transition, oldest first. */
export async function alertDetail(prisma: PrismaClient, id: string): Promise<AlertDetail> {
  const row = await prisma.alert.findUnique({
    where: { id: alertIdOf(id) },
    include: { rule: true, events: { orderBy: { id: "asc" } } },
  });
  if (!row) throw new NotFoundError(`alert ${id}`);
  return {
    alert: alertViewOf({ ...row, rule: { name: row.rule.name, kind: row.rule.kind } }),
    rule: ruleViewOf(row.rule),
    events: row.events.map(alertEventViewOf),
  };
}

/** The desk users an alert can be assigned to, by email. */
export async function deskUsers(prisma: PrismaClient): Promise<DeskUserView[]> {
  return prisma.user.findMany({ where: { role: "desk" }, select: { id: true, email: true, name: true }, orderBy: { email: "asc" } });
}
