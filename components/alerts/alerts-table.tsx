"use client";
import type { KeyboardEvent, RefObject } from "react";
import type { AlertView, DeskUserView } from "@/lib/contracts/alerts";
import { actorName, alertSubject, isSnoozed } from "@/lib/client/alert-subject";
import { useNow } from "@/lib/client/use-now";
import { formatAge } from "@/lib/format/age";
import { formatClock, formatDateTime, formatDay } from "@/lib/format/time";
import { AccountLink } from "@/components/ui/account-link";

/** How an alert's state reads in a row: its state, and "snoozed" while it is. */
export function StateTag({ alert, now }: { alert: AlertView; now: number }) {
  return (
    <span className="alert-state">
      <span className={`badge alert-badge-${alert.state}`}>{alert.state}</span>
      {isSnoozed(alert, now) ? <span className="badge alert-badge-snoozed" title={`snoozed until ${formatDateTime(alert.snoozedUntil!)} UTC`}>snoozed</span> : null}
    </span>
  );
}

export function SeverityTag({ severity }: { severity: AlertView["severity"] }) {
  return <span className={`sev sev-${severity}`} data-severity={severity}>{severity}</span>;
}

/**
 * The inbox's rows, newest raised first: severity, rule, subject (an account links to its page),
 * the message, how long ago it was raised, state, assignee, snoozed until. A table on a wide
 * screen, one card per alert on a phone (alerts.css). One row is in the tab order (roving focus).
 */
export function AlertsTable({ items, users, activeId, containerRef, rowProps, onKeyDown }: {
  items: readonly AlertView[];
  users: ReadonlyMap<string, DeskUserView>;
  activeId: string | null;
  containerRef: RefObject<HTMLDivElement | null>;
  rowProps: (id: string) => Record<string, unknown>;
  onKeyDown: (e: KeyboardEvent) => void;
}) {
  const now = useNow();
  return (
    <div className="alerts-table-wrap" ref={containerRef} onKeyDown={onKeyDown}>
      <table className="table alerts-table" data-testid="alerts-table">
        <thead>
          <tr>
            <th className="c-sev">Severity</th>
            <th className="c-rule">Rule</th>
            <th className="c-subject">Subject</th>
            <th className="c-message">Message</th>
            <th className="c-raised">Raised</th>
            <th className="c-state">State</th>
            <th className="c-assignee">Assignee</th>
            <th className="c-snooze">Snoozed until <span className="unit">UTC</span></th>
          </tr>
        </thead>
        <tbody>
          {items.map((a) => {
            const subject = alertSubject(a);
            return (
              <tr key={a.id} {...rowProps(a.id)} className={`alert-row alert-row-${a.severity}${a.id === activeId ? " alert-row-active" : ""}${isSnoozed(a, now) ? " alert-row-snoozed" : ""}`}
                data-testid={`alert-${a.id}`} data-state={a.state} data-rule={a.ruleId} aria-selected={a.id === activeId}>
                <td className="c-sev"><SeverityTag severity={a.severity} /></td>
                <td className="c-rule" title={a.ruleName}>{a.ruleName}</td>
                <td className="c-subject" title={a.subject}>{subject.accountId ? <AccountLink id={subject.accountId} tabIndex={-1}>{subject.label}</AccountLink> : subject.label}</td>
                <td className="c-message" title={a.message}>{a.message ? <span className="clamp">{a.message}</span> : <span className="muted">—</span>}</td>
                <td className="c-raised num" title={`${formatDateTime(a.raisedAt)} UTC`} suppressHydrationWarning>{formatAge(now - a.raisedAt)} ago</td>
                <td className="c-state"><StateTag alert={a} now={now} /></td>
                <td className="c-assignee">{a.assignee ? actorName(a.assignee, users) : <span className="muted">—</span>}</td>
                <td className="c-snooze num" suppressHydrationWarning title={isSnoozed(a, now) ? `${formatDateTime(a.snoozedUntil!)} UTC` : undefined}>
                  {isSnoozed(a, now) ? `${formatDay(a.snoozedUntil!)} ${formatClock(a.snoozedUntil!).slice(0, 5)}` : <span className="muted">—</span>}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
