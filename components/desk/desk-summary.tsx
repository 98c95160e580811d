"use client";
import { memo } from "react";
import type { DeskSummary as Summary } from "@/lib/contracts/desk";
import { LIVE_STATUSES } from "@/lib/risk";
import { Figure } from "@/components/ui/figure";
import { formatUsdCompact, formatUsd } from "@/lib/format/usd";
import { formatCount, formatCountOf } from "@/lib/format/quantity";
import { formatPct } from "@/lib/format/percent";
import { useElementView } from "@/lib/client/use-element-view";
import { useHeldWhile } from "@/lib/client/use-held-while";
import { unknownAccountsText } from "./unknown-accounts";

/** The desk's headline figures, each with its age; all stale while the stream is down. Held while off screen. */
export const DeskSummary = memo(function DeskSummary({ summary: live, ts: liveTs, stale, staleAfterMs }: {
  summary: Summary;
  ts: number;
  stale: boolean;
  staleAfterMs: number;
}) {
  const { ref, onScreen } = useElementView<HTMLElement>();
  const summary = useHeldWhile(live, !onScreen);
  const ts = useHeldWhile(liveTs, !onScreen);
  const { book, fund } = summary;
  const common = { ts, stale, staleAfterMs };
  const badDebt = Number(fund.uncoveredBadDebt);
  const runwayLeavesOut = unknownAccountsText(fund.coversMoveUnknownAccounts);
  return (
    <section className="summary" aria-label="Desk figures" data-testid="desk-summary" ref={ref}>
      <Figure label="Accounts by status" value={formatCount(book.accountsWithPositions)} unit="with positions"
        hint={`of ${formatCountOf(book.accounts, "account")}`} testId="summary-accounts" rawValue={book.accountsWithPositions} {...common}>
        <div className="status-counts">
          {LIVE_STATUSES.filter((s) => s !== "unknown" || book.byStatus.unknown > 0).map((s) => (
            <span key={s} className={`status-count status-${s}`} data-testid={`summary-status-${s}`} data-value={book.byStatus[s]}
              title={`${s}: ${formatCountOf(book.byStatus[s], "account")}`}>
              <span className="status-dot" aria-hidden />{s} <b className="num">{formatCount(book.byStatus[s])}</b>
            </span>
          ))}
        </div>
      </Figure>
      <Figure label="MM shortfall" value={formatUsdCompact(book.mmShortfall)} unit="USD"
        hint="Σ max(0, MM − equity)" testId="summary-shortfall" rawValue={book.mmShortfall}
        title={`${formatUsd(book.mmShortfall)} USD`} tone={book.mmShortfall > 0 ? "bad" : undefined} {...common} />
      <Figure label="Pending liquidation" value={formatUsdCompact(book.pendingNotional)} unit="USD notional"
        hint={`${formatCount(book.queue.size)} in queue${book.queue.paused ? ` · ${formatCount(book.queue.paused)} paused` : ""}`}
        testId="summary-pending" rawValue={book.pendingNotional} title={`${formatUsd(book.pendingNotional)} USD`} {...common} />
      <Figure label="Expected deficit" value={formatUsdCompact(book.expectedDeficit)} unit="USD"
        hint="Σ plan deficits, at current marks" testId="summary-deficit" rawValue={book.expectedDeficit}
        title={`${formatUsd(book.expectedDeficit)} USD`} tone={book.expectedDeficit > 0 ? "warn" : undefined} {...common} />
      <Figure label="Insurance fund" value={formatUsdCompact(fund.balance)} unit="USD"
        hint="fees in, deficits out" testId="summary-fund" rawValue={fund.balance} title={`${formatUsd(fund.balance)} USD`} {...common} />
      <Figure label="Fund runway" testId="summary-runway" rawValue={fund.coversMove}
        value={fund.coversMove === null ? "—" : fund.coversMove >= 0.5 ? "≥ ±50%" : `±${formatPct(fund.coversMove, 1)}`}
        hint={fund.coversMove === null ? "not computed yet"
          : runwayLeavesOut ? `uniform move the fund covers · excludes ${runwayLeavesOut}`
          : "uniform move of every market the fund covers"}
        title={runwayLeavesOut ? `${runwayLeavesOut}: the runway is computed over the other accounts` : undefined}
        // As old as its inputs: computed a moment ago from marks that may be older (a feed gone).
        ts={fund.coversMoveTs === null ? null : Math.min(fund.coversMoveTs, ts)} stale={stale} staleAfterMs={Math.max(staleAfterMs, 60_000)}
        tone={fund.coversMove !== null && fund.coversMove < 0.1 ? "bad" : undefined} />
      <Figure label="Uncovered bad debt" value={badDebt > 0 ? formatUsdCompact(badDebt) : "0"} unit="USD"
        hint="deficits the fund could not pay" testId="summary-bad-debt" rawValue={fund.uncoveredBadDebt}
        title={`${formatUsd(badDebt)} USD`} tone={badDebt > 0 ? "bad" : "muted"} {...common} />
    </section>
  );
});
