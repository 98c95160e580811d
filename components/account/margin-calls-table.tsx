"use client";
import type { ReactNode } from "react";
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

/** When and by whom it closed, and the desk's note. */
function closedText(call: MarginCallView): string {
  if (call.closedAt === null) return "—";
  const by = call.closedBy === "system" ? "by the system" : `by ${call.closedBy}`;
  return `${formatDateTime(call.closedAt)} ${by}${call.closeNote ? `: ${call.closeNote}` : ""}`;
}

/** One cell: a label of its own on a phone (where the row is a card), the column's head elsewhere. */
function Cell({ label, className, title, children, testId }: { label: ReactNode; className?: string; title?: string; children: ReactNode; testId?: string }) {
  return (
    <span className={`${styles.cell}${className ? ` ${className}` : ""}`} title={title} role="cell">
      <span className={styles.cellLabel}>{label}</span>
      <span className={styles.cellValue} data-testid={testId}>{children}</span>
    </span>
  );
}

/**
 * An account's margin calls and their outcomes, newest first (the desk's account page and the
 * trader's page): when issued and by whom, the amount asked, the deadline, the outcome, what the
 * deposits and top-ups since it came to, when and by whom it closed, and the message. A table on
 * a wide screen; on a phone each call is a card with its labels, the outcome in sight.
 */
export function MarginCallsTable({ calls, showIssuer }: { calls: readonly MarginCallView[]; showIssuer: "email" | "name" }) {
  return (
    <div className={styles.callList} data-testid="margin-calls-table" role="table" aria-label="Margin calls">
      <div className={`${styles.callRow} ${styles.callHead}`} role="row">
        <span role="columnheader">Issued <span className="unit">UTC</span></span>
        <span role="columnheader">By</span>
        <span role="columnheader" className="r">Amount <span className="unit">USD</span></span>
        <span role="columnheader">Deadline <span className="unit">UTC</span></span>
        <span role="columnheader">Outcome</span>
        <span role="columnheader" className="r" title="deposits and top-ups since the call">Credited <span className="unit">USD</span></span>
        <span role="columnheader">Closed <span className="unit">UTC</span></span>
        <span role="columnheader">Message</span>
      </div>
      <div className={styles.callBody}>
        {calls.length === 0 ? <div className={styles.callEmpty}>No margin call on this account.</div> : calls.map((c) => (
          <div key={c.id} className={styles.callRow} role="row" data-testid={`margin-call-row-${c.id}`} data-state={c.state}>
            <Cell label={<>Issued <span className="unit">UTC</span></>} className="num" title={`#${c.id}`}>{formatDateTime(c.issuedAt)}</Cell>
            <Cell label="By" title={`${c.issuer.name} (${c.issuer.email})`}>{showIssuer === "email" ? c.issuer.email : c.issuer.name}</Cell>
            <Cell label={<>Amount <span className="unit">USD</span></>} className={`num ${styles.numCell}`}
              title={c.suggestedAmount ? `suggested (top-up to healthy): ${c.suggestedAmount} USD` : undefined}>{formatUsdExact(c.amount)}</Cell>
            <Cell label={<>Deadline <span className="unit">UTC</span></>} className="num">{formatDateTime(c.deadline)}</Cell>
            <Cell label="Outcome" className={`${styles.outcome} ${styles[`outcome-${c.state}`]}`} testId={`margin-call-outcome-${c.id}`}>{outcomeText(c)}</Cell>
            <Cell label={<>Credited <span className="unit">USD</span></>} className={`num ${styles.numCell}`}>{formatUsdExact(c.credited)}</Cell>
            <Cell label={<>Closed <span className="unit">UTC</span></>} className={styles.closedCell} title={closedText(c)}>{closedText(c)}</Cell>
            <Cell label="Message" className={styles.messageCell} title={c.message}>{c.message}</Cell>
          </div>
        ))}
      </div>
    </div>
  );
}
