"use client";
import { memo, useMemo } from "react";
import { useRouter } from "next/navigation";
import type { LiquidationEventView } from "@/lib/contracts/desk";
import { marketDisplay, type MarketDisplay } from "@/lib/client/market-index";
import { formatPrice } from "@/lib/format/price";
import { formatQty } from "@/lib/format/quantity";
import { formatUsd } from "@/lib/format/usd";
import { formatClock } from "@/lib/format/time";
import { AccountLink, accountHref } from "@/components/ui/account-link";
import { useRovingRows } from "@/components/ui/use-roving-rows";
import { ScrollX } from "@/components/ui/scroll-x";

/**
 * Executed liquidation steps, newest first (exact figures from the ledger). Arrow keys move between
 * rows; with `showAccount`, Enter opens the row's account.
 */
export const LiquidationEventsTable = memo(function LiquidationEventsTable({ events, markets, showAccount, height, empty, testId }: {
  events: LiquidationEventView[];
  markets: Map<string, MarketDisplay>;
  showAccount: boolean;
  height: number;
  empty: string;
  testId?: string;
}) {
  const router = useRouter();
  const ids = useMemo(() => events.map((e) => e.id), [events]);
  const { containerRef, rowProps, onKeyDown } = useRovingRows(ids, {
    open: showAccount ? (id) => {
      const event = events.find((e) => e.id === id);
      if (event) router.push(accountHref(event.accountId));
    } : undefined,
  });
  return (
    <ScrollX className="table-scroll table-cards" style={{ height }} innerRef={containerRef}>
      <table className="table events-table" data-testid={testId} onKeyDown={onKeyDown}>
        <colgroup>
          <col style={{ width: 70 }} />{showAccount ? <col style={{ width: 100 }} /> : null}<col style={{ width: 92 }} /><col style={{ width: 42 }} />
          <col /><col /><col /><col style={{ width: 60 }} /><col style={{ width: 62 }} /><col style={{ width: 54 }} />
        </colgroup>
        <thead>
          <tr>
            <th>Time <span className="unit">UTC</span></th>
            {showAccount ? <th>Account</th> : null}
            <th>Market</th>
            <th>Side</th>
            <th className="r">Qty</th>
            <th className="r">Price <span className="unit">USD</span></th>
            <th className="r">Notional&nbsp;<span className="unit">USD</span></th>
            <th className="r">Fee</th>
            <th className="r">Deficit</th>
            <th>Mode</th>
          </tr>
        </thead>
        <tbody>
          {events.length === 0 ? (
            <tr><td colSpan={showAccount ? 10 : 9} className="empty-cell">{empty}</td></tr>
          ) : events.map((e) => {
            const m = marketDisplay(markets, e.marketId);
            const deficit = Number(e.deficit);
            return (
              <tr key={e.id} data-testid={`event-${e.id}`} {...rowProps(e.id)}>
                <td className="num cell-title" data-label="Time UTC">{formatClock(e.executedAt)}</td>
                {showAccount ? <td className="ellipsis" data-label="Account"><AccountLink id={e.accountId} tabIndex={-1} /></td> : null}
                <td data-label="Market">{e.marketId}</td>
                <td className={e.side === "sell" ? "side-sell" : "side-buy"} data-label="Side">{e.side}</td>
                <td className="num r" data-label="Qty">{formatQty(Number(e.qty), m.lotSize)} <span className="unit">{m.baseAsset}</span></td>
                <td className="num r" title={`mark ${formatPrice(Number(e.markPrice), m.tickSize)}; slippage ${formatUsd(e.slippage)} USD`} data-label="Price USD">
                  {formatPrice(Number(e.price), m.tickSize)}
                </td>
                <td className="num r" data-label="Notional USD">{formatUsd(e.notional, 0)}</td>
                <td className="num r" data-label="Fee USD">{formatUsd(e.fee)}</td>
                <td className={`num r${deficit > 0 ? " tone-bad" : " muted"}`} data-label="Deficit USD">{deficit > 0 ? formatUsd(deficit) : "—"}</td>
                <td className={`mode mode-${e.mode}`} data-label="Mode">{e.mode}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </ScrollX>
  );
});
