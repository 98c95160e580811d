"use client";
import { useMemo } from "react";
import type { AccountDetail } from "@/lib/contracts/desk";
import { formatUsdExact } from "@/lib/format/usd";
import { formatDateTime } from "@/lib/format/time";
import { useRovingRows } from "@/components/ui/use-roving-rows";
import { ScrollX } from "@/components/ui/scroll-x";

/** Collateral ledger entries, newest first (exact decimal amounts). Arrow keys move between rows. */
export function LedgerTable({ ledger, height }: { ledger: AccountDetail["ledger"]; height: number }) {
  const ids = useMemo(() => ledger.map((l) => l.id), [ledger]);
  const { containerRef, rowProps, onKeyDown } = useRovingRows(ids, {});
  return (
    <ScrollX className="table-scroll table-cards" style={{ height }} innerRef={containerRef}>
      <table className="table ledger-table" data-testid="ledger-table" onKeyDown={onKeyDown}>
        <thead>
          <tr>
            <th style={{ width: 150 }}>Time <span className="unit">UTC</span></th>
            <th style={{ width: 124 }}>Kind</th>
            <th className="r" style={{ width: 96 }}>Amount <span className="unit">USD</span></th>
            <th className="r" style={{ width: 100 }} title="balance after the entry">Balance <span className="unit">USD</span></th>
            <th style={{ minWidth: 80 }}>Note</th>
          </tr>
        </thead>
        <tbody>
          {ledger.length === 0 ? (
            <tr><td colSpan={5} className="empty-cell">No ledger entry yet.</td></tr>
          ) : ledger.map((l) => {
            const amount = Number(l.amount);
            return (
              <tr key={l.id} {...rowProps(l.id)}>
                <td className="num cell-title" data-label="Time UTC">{formatDateTime(l.createdAt)}</td>
                <td className="ellipsis" title={l.kind} data-label="Kind">{l.kind.replaceAll("_", " ")}</td>
                <td className={`num r cell-key ${amount < 0 ? "tone-bad" : "tone-ok"}`} title={`${l.amount} USD`} data-label="Amount USD">{amount > 0 ? "+" : ""}{formatUsdExact(l.amount)}</td>
                <td className="num r" title={`${l.balanceAfter} USD`} data-label="Balance after USD">{formatUsdExact(l.balanceAfter)}</td>
                <td className="ellipsis muted cell-wide" data-label={l.note ? "Note" : undefined}>{l.note ?? ""}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </ScrollX>
  );
}
