import "server-only";
import type { AlertEventKind, AlertEventView, AlertRuleKind, AlertSeverity, AlertState, AlertView } from "@/lib/contracts/alerts";

/** An `alerts` row with its rule's name and kind, as Prisma reads it. */
export interface AlertRow {
  id: bigint; ruleId: string; subject: string; accountId: string | null; marketId: string | null;
  severity: AlertSeverity; state: AlertState; message: string; value: number | null; raisedAt: Date;
  acknowledgedAt: Date | null; acknowledgedBy: string | null; ackNote: string | null; snoozedUntil: Date | null;
  assigneeId: string | null; resolvedAt: Date | null; resolvedBy: string | null; resolveNote: string | null;
  rule: { name: string; kind: AlertRuleKind };
}

/** What Prisma must read with an alert for `alertViewOf`. */
export const WITH_RULE = { rule: { select: { name: true, kind: true } } } as const;

const ms = (d: Date | null) => (d === null ? null : d.getTime());

export function alertViewOf(r: AlertRow): AlertView {
  return {
    id: r.id.toString(), ruleId: r.ruleId, ruleName: r.rule.name, kind: r.rule.kind, subject: r.subject,
    accountId: r.accountId, marketId: r.marketId, severity: r.severity, state: r.state, message: r.message, value: r.value,
    raisedAt: r.raisedAt.getTime(), acknowledgedAt: ms(r.acknowledgedAt), acknowledgedBy: r.acknowledgedBy, ackNote: r.ackNote,
    snoozedUntil: ms(r.snoozedUntil), assignee: r.assigneeId, resolvedAt: ms(r.resolvedAt), resolvedBy: r.resolvedBy, resolveNote: r.resolveNote,
  };
}

export function alertEventViewOf(e: { id: bigint; kind: string; actor: string; note: string | null; at: Date }): AlertEventView {
  return { id: e.id.toString(), kind: e.kind as AlertEventKind, actor: e.actor, note: e.note, at: e.at.getTime() };
}
