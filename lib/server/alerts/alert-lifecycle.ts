import "server-only";
import {
  alertAcknowledgeSchema, alertAssignSchema, alertResolveSchema, alertSnoozeSchema, MAX_SNOOZE_MS,
  type AlertEventKind, type AlertView,
} from "@/lib/contracts/alerts";
import { InputError, parseInput } from "@/lib/contracts/api-error";
import { formatDateTime } from "@/lib/format/time";
import type { Prisma, PrismaClient } from "../db/prisma-client";
import { HttpError, NotFoundError } from "../errors";
import { TRANSACTION_OPTIONS } from "../ingest/sql-errors";
import { alertIdOf } from "./alert-queries";
import type { DeskActor } from "./alert-rules";
import type { AlertTransition } from "./alert-transitions";
import { alertViewOf, WITH_RULE, type AlertRow } from "./alert-views";

/**
 * The desk's transitions of one alert (docs/ALERTS.md, "Lifecycle"): acknowledge (open only),
 * resolve (open or acknowledged, with a note), snooze (until a time, or end it), assign (a desk user
 * or nobody). Each is one transaction: the alert's row locked, the transition checked against its
 * state as it is now (409 naming why not), the row changed, its `alert_events` row and its audit
 * entry written. Nothing is written when a check fails.
 */

export interface LifecycleResult {
  readonly alert: AlertView;
  readonly transition: AlertTransition;
}

/** Who a stored actor is, for a message: "the system", a user's email, or the id of a user no longer there. */
async function whoIs(tx: Prisma.TransactionClient, userId: string | null): Promise<string> {
  if (userId === null || userId === "system") return "the system";
  const user = await tx.user.findUnique({ where: { id: userId }, select: { email: true } });
  return user?.email ?? `user ${userId}`;
}

async function resolvedConflict(tx: Prisma.TransactionClient, a: AlertRow, what: string): Promise<HttpError> {
  const by = await whoIs(tx, a.resolvedBy);
  const when = a.resolvedAt ? ` at ${formatDateTime(a.resolvedAt.getTime())} UTC` : "";
  return new HttpError(409, "conflict", `alert ${a.id} is resolved (by ${by}${when}${a.resolveNote ? `: ${a.resolveNote}` : ""}): ${what}`);
}

interface Change {
  kind: AlertEventKind;
  data: Prisma.AlertUpdateInput;
  /** The event's and the audit entry's note. */
  note: string | null;
  details?: Record<string, unknown>;
}

/** One guarded transition: `decide` sees the locked row and returns the change, or throws the 409. */
async function transition(
  prisma: PrismaClient, actor: DeskActor, id: string, decide: (tx: Prisma.TransactionClient, a: AlertRow) => Promise<Change>,
): Promise<LifecycleResult> {
  const alertId = alertIdOf(id);
  return prisma.$transaction(async (tx) => {
    const [locked] = await tx.$queryRaw<{ id: bigint }[]>`SELECT id FROM alerts WHERE id = ${alertId} FOR UPDATE`;
    if (!locked) throw new NotFoundError(`alert ${id}`);
    const before = await tx.alert.findUniqueOrThrow({ where: { id: alertId }, include: WITH_RULE });
    const change = await decide(tx, before);
    const after = await tx.alert.update({ where: { id: alertId }, data: change.data, include: WITH_RULE });
    const who = `user:${actor.userId}`;
    await tx.alertEvent.create({ data: { alertId, kind: change.kind, actor: who, note: change.note } });
    await tx.auditLog.create({
      data: {
        actor: who, userId: actor.userId, action: `alert.${ACTIONS[change.kind]}`, accountId: after.accountId, note: change.note,
        details: { alertId: id, ruleId: after.ruleId, subject: after.subject, ...change.details } as Prisma.InputJsonValue,
      },
    });
    return { alert: alertViewOf(after), transition: { id: after.id.toString(), kind: change.kind, ruleId: after.ruleId, subject: after.subject } };
  }, TRANSACTION_OPTIONS);
}

const ACTIONS: Record<AlertEventKind, string> = {
  raised: "raise", acknowledged: "acknowledge", snoozed: "snooze", assigned: "assign", resolved: "resolve",
};

/** Open → acknowledged, with who, when and the note. */
export function acknowledgeAlert(prisma: PrismaClient, actor: DeskActor, id: string, body: unknown, now: number): Promise<LifecycleResult> {
  const { note } = parseInput(alertAcknowledgeSchema, body);
  return transition(prisma, actor, id, async (tx, a) => {
    if (a.state === "resolved") throw await resolvedConflict(tx, a, "there is nothing to acknowledge");
    if (a.state === "acknowledged") {
      const by = await whoIs(tx, a.acknowledgedBy);
      throw new HttpError(409, "conflict", `alert ${a.id} was acknowledged already, by ${by} at ${formatDateTime(a.acknowledgedAt!.getTime())} UTC`);
    }
    return {
      kind: "acknowledged", note: note || null,
      data: { state: "acknowledged", acknowledgedAt: new Date(now), acknowledgedBy: actor.userId, ackNote: note || null },
    };
  });
}

/** Open or acknowledged → resolved by the desk, with the note saying why. */
export function resolveAlert(prisma: PrismaClient, actor: DeskActor, id: string, body: unknown, now: number): Promise<LifecycleResult> {
  const { note } = parseInput(alertResolveSchema, body);
  return transition(prisma, actor, id, async (tx, a) => {
    if (a.state === "resolved") throw await resolvedConflict(tx, a, "it cannot be resolved again");
    return { kind: "resolved", note, data: { state: "resolved", resolvedAt: new Date(now), resolvedBy: actor.userId, resolveNote: note } };
  });
}

/**
 * Snoozed until a time (in the future, at most MAX_SNOOZE_MS ahead: 400 naming `until`), or the
 * snooze ended (`until: null`). A snoozed open alert leaves the header's count until then.
 */
export function snoozeAlert(prisma: PrismaClient, actor: DeskActor, id: string, body: unknown, now: number): Promise<LifecycleResult> {
  const { until, note } = parseInput(alertSnoozeSchema, body);
  if (until !== null && until <= now) {
    throw new InputError([{ path: "until", message: `must be in the future (got ${formatDateTime(until)} UTC, the server's clock says ${formatDateTime(now)} UTC)` }]);
  }
  if (until !== null && until > now + MAX_SNOOZE_MS) {
    throw new InputError([{ path: "until", message: `must be at most 7 days ahead (until ${formatDateTime(now + MAX_SNOOZE_MS)} UTC)` }]);
  }
  return transition(prisma, actor, id, async (tx, a) => {
    if (a.state === "resolved") throw await resolvedConflict(tx, a, "a resolved alert cannot be snoozed");
    const running = a.snoozedUntil !== null && a.snoozedUntil.getTime() > now;
    if (until === null && !running) throw new HttpError(409, "conflict", `alert ${a.id} is not snoozed: there is no snooze to end`);
    const words = until === null ? "snooze ended" : `until ${new Date(until).toISOString()}`;
    return {
      kind: "snoozed", note: note ? `${words}: ${note}` : words,
      data: { snoozedUntil: until === null ? null : new Date(until) },
      details: { until, before: running ? a.snoozedUntil!.getTime() : null },
    };
  });
}

/** Assigned to a desk user (400 naming `assigneeId` for anyone else), or to nobody (`assigneeId: null`). */
export async function assignAlert(prisma: PrismaClient, actor: DeskActor, id: string, body: unknown): Promise<LifecycleResult> {
  const { assigneeId, note } = parseInput(alertAssignSchema, body);
  const assignee = assigneeId === null ? null : await prisma.user.findUnique({ where: { id: assigneeId }, select: { id: true, email: true, role: true } });
  if (assigneeId !== null && assignee?.role !== "desk") {
    throw new InputError([{ path: "assigneeId", message: `must be a desk user's id: ${assignee ? `${assignee.email} is a trader` : `no user "${assigneeId}"`}` }]);
  }
  return transition(prisma, actor, id, async (tx, a) => {
    if (a.state === "resolved") throw await resolvedConflict(tx, a, "a resolved alert cannot be assigned");
    if (a.assigneeId === assigneeId) {
      throw new HttpError(409, "conflict", assigneeId === null ? `alert ${a.id} is assigned to nobody already` : `alert ${a.id} is assigned to ${assignee!.email} already`);
    }
    const words = assignee ? `to ${assignee.email}` : "to nobody";
    return {
      kind: "assigned", note: note ? `${words}: ${note}` : words,
      data: { assigneeId },
      details: { assigneeId, before: a.assigneeId },
    };
  });
}
