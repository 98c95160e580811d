"use client";
import type { MarginCallView } from "@/lib/contracts/margin-calls";
import { formatDateTime } from "@/lib/format/time";
import { formatUsdExact } from "@/lib/format/usd";
import styles from "./margin-calls.module.css";

/** A call's outcome in words: "open", "met · paid", "met · healthy again", "expired · alert #12", "cancelled". */
export function outcomeText(call: MarginCallView): string {
  switch (call.state) {
    case "open": return "open";
    case "met": return call.closeReason === "healthy" ? "met · healthy again" : "met · paid";
    case "expired": return call.expiryAlertId ? `expired · alert #${call.expiryAlertId}` : "expired";
    case "cancelled": return "cancelled";
  }
}

/** Who closed it and why, for the row's title. */
function closedText(call: MarginCallView): string {
  if (call.closedAt === null) return "";
  const by = call.closedBy === "system" ? "by the system" : `by ${call.closedBy}`;
  return `${formatDateTime(call.closedAt)} UTC ${by}${call.closeNote ? `: ${call.closeNote}` : ""}`;
}

/**
 * An account's margin calls and their outcomes, newest first (the desk's account page and the
 * trader's page): when issued and by whom, the amount asked, the deadline, the outcome, what the
 * deposits and top-ups since it came to, when and by whom it closed, and the message.
 */
export function MarginCallsTable({ calls, showIssuer }: { calls: readonly MarginCallView[]; showIssuer: "email" | "name" }) {
  return (
    <div className={`table-scroll ${styles.tableWrap}`}>
      <table className="table" data-testid="margin-calls-table" style={{ minWidth: 860 }}>
        <thead>
          <tr>
            <th style={{ width: 150 }}>Issued <span className="unit">UTC</span></th>
            <th className="r" style={{ width: 104 }}>Amount <span className="unit">USD</span></th>
            <th style={{ width: 150 }}>Deadline <span className="unit">UTC</span></th>
            <th style={{ width: 150 }}>Outcome</th>
            <th className="r" style={{ width: 104 }} title="deposits and top-ups since the call">Credited <span className="unit">USD</span></th>
            <th style={{ width: 190 }}>Closed <span className="unit">UTC</span></th>
            <th style={{ minWidth: 120 }}>Message</th>
          </tr>
        </thead>
        <tbody>
          {calls.length === 0 ? (
            <tr><td colSpan={7} className="empty-cell">No margin call on this account.</td></tr>
          ) : calls.map((c) => (
            <tr key={c.id} data-testid={`margin-call-row-${c.id}`} data-state={c.state}>
              <td className="num" title={`#${c.id} by ${c.issuer.name} (${c.issuer.email})`}>
                {formatDateTime(c.issuedAt)} <span className="muted">{showIssuer === "email" ? c.issuer.email : c.issuer.name}</span>
              </td>
              <td className="num r" title={c.suggestedAmount ? `suggested (top-up to healthy): ${c.suggestedAmount} USD` : undefined}>{formatUsdExact(c.amount)}</td>
              <td className="num">{formatDateTime(c.deadline)}</td>
              <td className={`${styles.outcome} ${styles[`outcome-${c.state}`]}`} data-testid={`margin-call-outcome-${c.id}`}>{outcomeText(c)}</td>
              <td className="num r">{formatUsdExact(c.credited)}</td>
              <td className="ellipsis" title={closedText(c)}>{c.closedAt === null ? "—" : closedText(c)}</td>
              <td className="ellipsis" title={c.message}>{c.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
