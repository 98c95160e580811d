"use client";
import { memo } from "react";
import type { BookSummary } from "@/lib/contracts/book-views";
import { useElementView } from "@/lib/client/use-element-view";
import { useHeldWhile } from "@/lib/client/use-held-while";
import { formatCount, formatCountOf } from "@/lib/format/quantity";
import { formatUsd, formatUsdCompact } from "@/lib/format/usd";
import { Panel } from "@/components/ui/panel";
import { QueryState } from "@/components/ui/query-state";
import { unknownText } from "@/components/account/unknown-figures";
import { ScrollX } from "@/components/ui/scroll-x";

/**
 * Accounts carrying debt (collateral below 0, spec §3 and §7): a funding payment beyond the
 * balance, a deficit the insurance fund did not cover. Listed with the amount owed, whatever their
 * status: a flat account in debt is `healthy` by status (no position), but it owes the venue.
 * Live from the desk stream (the engine's summary); held while off screen.
 */
export const DebtAccountsPanel = memo(function DebtAccountsPanel({ debt: liveDebt, ts: liveTs, stale, staleAfterMs }: {
  debt: BookSummary["debt"];
  ts: number;
  stale: boolean;
  staleAfterMs: number;
}) {
  const { ref, onScreen } = useElementView<HTMLDivElement>();
  const debt = useHeldWhile(liveDebt, !onScreen);
  const ts = useHeldWhile(liveTs, !onScreen);
  const shown = debt.largest.length;
  return (
    <Panel title="Accounts in debt" className="span-12" testId="debt-panel" freshness={{ ts, stale, staleAfterMs }}
      subtitle={debt.accounts === 0 ? "collateral below 0: none"
        : <>
            <b className="num" data-testid="debt-count" data-value={debt.accounts}>{formatCountOf(debt.accounts, "account")}</b> owe{debt.accounts === 1 ? "s" : ""}{" "}
            <b className="num tone-bad" data-testid="debt-total" data-value={debt.total} title={`${formatUsd(debt.total)} USD`}>{debt.total < 100_000 ? formatUsd(debt.total) : formatUsdCompact(debt.total)}</b> USD
            {" "}· collateral below 0 (funding beyond the balance, deficits the fund did not cover)
            {shown < debt.accounts ? ` · largest ${formatCount(shown)} shown` : ""}
          </>}>
      <div ref={ref}>
        {debt.accounts === 0 ? (
          <QueryState kind="empty" height={56}>No account carries debt: every collateral is 0 or more.</QueryState>
        ) : (
          <ScrollX className="table-scroll" style={{ maxHeight: 232 }}>
            <table className="table debt-table" data-testid="debt-table">
              <thead>
                <tr>
                  <th>Account</th>
                  <th className="r">Debt, USD</th>
                  <th>Status</th>
                  <th className="r">Positions</th>
                  <th className="r">Equity, USD</th>
                </tr>
              </thead>
              <tbody>
                {debt.largest.map((row) => (
                  <tr key={row.accountId} data-testid={`debt-row-${row.accountId}`}>
                    <td><a href={`/desk/accounts/${encodeURIComponent(row.accountId)}`}>{row.accountId}</a></td>
                    <td className="r num tone-bad" data-testid="debt-amount" data-value={-row.collateral}>{formatUsd(-row.collateral)}</td>
                    <td>
                      <span className={`badge badge-${row.status}`}>{row.status}</span>{" "}
                      <span className="badge badge-bankrupt" title="collateral below 0: the account owes the venue">in debt</span>
                    </td>
                    <td className="r num">{formatCount(row.positions)}</td>
                    {row.equity === null ? (
                      <td className="r muted" title={unknownText(row.unpricedMarkets)}>unknown</td>
                    ) : (
                      <td className={`r num${row.equity < 0 ? " tone-bad" : ""}`}>{formatUsd(row.equity)}</td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollX>
        )}
      </div>
    </Panel>
  );
});
