"use client";
import { memo, useMemo, useState } from "react";
import type { Page, QueueEntry } from "@/lib/contracts/desk";
import { marketDisplay, type MarketDisplay } from "@/lib/client/market-index";
import { useNow } from "@/lib/client/use-now";
import { formatPrice } from "@/lib/format/price";
import { formatCount, formatQty } from "@/lib/format/quantity";
import { formatUsd } from "@/lib/format/usd";
import { formatCountdown } from "@/lib/format/time";
import { formatMarginRatio } from "@/lib/format/percent";
import { Panel } from "@/components/ui/panel";
import { MarginRatio } from "@/components/ui/margin-ratio";
import { StatusBadge } from "@/components/ui/status-badge";
import { SortHeader, type SortDir } from "@/components/ui/sort-header";
import { queueRowOf, sortQueueRows, type QueueRow, type QueueSortKey } from "./queue-rows";
import { useRovingRows } from "./use-roving-rows";
import { DeskAge } from "./desk-age";
import { AccountLink, accountHref } from "@/components/ui/account-link";

/** The pending partial liquidations: what the engine closes next, at what cost, and when. */
export const LiquidationQueueTable = memo(function LiquidationQueueTable({ queue, queueTs, markets, stale, staleAfterMs }: {
  queue: Page<QueueEntry>;
  queueTs: number;
  markets: Map<string, MarketDisplay>;
  stale: boolean;
  staleAfterMs: number;
}) {
  const [sort, setSort] = useState<{ key: QueueSortKey; dir: SortDir }>({ key: "rank", dir: "asc" });
  const rows = useMemo(
    () => sortQueueRows(queue.items.map((e) => queueRowOf(e, queueTs)), sort.key, sort.dir),
    [queue.items, queueTs, sort.key, sort.dir],
  );
  const ids = useMemo(() => rows.map((r) => r.accountId), [rows]);
  const { rowProps, onKeyDown } = useRovingRows(ids, accountHref);
  const header = (key: QueueSortKey, label: string, title?: string, className?: string) => (
    <SortHeader label={label} title={title} className={className} active={sort.key === key} dir={sort.dir}
      onSort={() => setSort((s) => (s.key === key ? { key, dir: s.dir === "asc" ? "desc" : "asc" } : { key, dir: key === "ratio" || key === "notional" ? "desc" : "asc" }))} />
  );

  return (
    <Panel title="Pending liquidations" className="span-12 h-queue" testId="queue-panel"
      subtitle={`${formatCount(queue.total)} accounts at or below maintenance margin${queue.total > queue.items.length ? ` · first ${formatCount(queue.items.length)} shown` : ""} · ↑↓ to move, Enter opens`}
      right={<DeskAge stale={stale} staleAfterMs={staleAfterMs} />}>
      <div className="gtable queue-grid" role="table" aria-label="Pending liquidations" aria-rowcount={rows.length} data-testid="queue-table"
        onKeyDown={onKeyDown}>
        <div className="grow-row ghead" role="row">
          {header("rank", "#", "queue order")}
          {header("account", "Account")}
          <span role="columnheader" className="th">Status</span>
          {header("ratio", "Ratio now → after", "margin ratio = MM / equity (100% = liquidation, higher is worse), now → after the whole plan")}
          {header("market", "Next step")}
          <span role="columnheader" className="th r">Qty&nbsp;<span className="unit">base</span></span>
          {header("notional", "Notional USD", "notional of the next step, USD", "r")}
          <span role="columnheader" className="th r">Exp. price&nbsp;<span className="unit">USD</span></span>
          <span role="columnheader" className="th r" title="slippage cost of the next step">Slippage&nbsp;<span className="unit">USD</span></span>
          <span role="columnheader" className="th r" title="liquidation fee of the next step (to the insurance fund)">Fee&nbsp;<span className="unit">USD</span></span>
          <span role="columnheader" className="th">Mode</span>
          {header("due", "Runs", "cool-down before the next step may run")}
        </div>
        <div className="gbody" style={{ height: 298 }} role="rowgroup">
          {rows.length === 0 ? (
            <div className="query-state">No account is at or below maintenance margin: nothing to liquidate.</div>
          ) : rows.map((r) => (
            <QueueTableRow key={r.accountId} row={r} market={r.marketId ? marketDisplay(markets, r.marketId) : null}
              {...rowProps(r.accountId)} />
          ))}
        </div>
      </div>
    </Panel>
  );
});

interface QueueTableRowProps {
  row: QueueRow;
  market: MarketDisplay | null;
  ref: (el: HTMLDivElement | null) => void;
  tabIndex: number;
  onFocus: () => void;
}

/** Two rows look the same: every figure at the precision shown (a new frame redraws only the rows that changed). */
function sameRow(a: QueueTableRowProps, b: QueueTableRowProps): boolean {
  if (a.market !== b.market || a.tabIndex !== b.tabIndex) return false;
  const x = a.row, y = b.row;
  if (x === y) return true;
  const ex = x.entry, ey = y.entry;
  const sx = ex.nextStep, sy = ey.nextStep;
  const tick = a.market?.tickSize ?? 1e-9;
  const sameStep = sx === sy || (sx !== null && sy !== null && sx.marketId === sy.marketId && sx.side === sy.side && sx.qty === sy.qty
    && Math.round(sx.notional) === Math.round(sy.notional) && Math.round(sx.expectedPrice / tick) === Math.round(sy.expectedPrice / tick)
    && Math.round(sx.slippageCost * 100) === Math.round(sy.slippageCost * 100) && Math.round(sx.fee * 100) === Math.round(sy.fee * 100));
  return sameStep && x.accountId === y.accountId && x.rank === y.rank && ex.status === ey.status && ex.mode === ey.mode
    && ex.paused === ey.paused && ex.pausedReason === ey.pausedReason && Math.abs(x.dueAt - y.dueAt) < 500
    && formatMarginRatio(x.ratioBefore) === formatMarginRatio(y.ratioBefore) && formatMarginRatio(x.ratioAfter) === formatMarginRatio(y.ratioAfter);
}

const QueueTableRow = memo(function QueueTableRow({ row, market, ...focus }: QueueTableRowProps) {
  const { entry } = row;
  const step = entry.nextStep;
  return (
    <div role="row" data-testid={`queue-row-${row.accountId}`} className={entry.paused ? "grow-row row-paused" : "grow-row"} {...focus}
      aria-label={`account ${row.accountId}`}>
      <span role="cell" className="num muted">{row.rank + 1}</span>
      <span role="cell" className="ellipsis"><AccountLink id={row.accountId} tabIndex={-1} /></span>
      <span role="cell"><StatusBadge status={entry.status} /></span>
      <span role="cell" className="num nowrap">
        <MarginRatio ratio={row.ratioBefore} /> <span className="muted">→</span>{" "}
        {entry.plan.after.maintenanceMargin === 0 ? <span className="muted" title="no position left after the plan">flat</span> : <MarginRatio ratio={row.ratioAfter} />}
      </span>
      <span role="cell" className="nowrap">{step ? <>{step.marketId} <span className={step.side === "sell" ? "side-sell" : "side-buy"}>{step.side}</span></> : "—"}</span>
      <span role="cell" className="num r">{step && market ? <>{formatQty(step.qty, market.lotSize)} <span className="unit">{market.baseAsset}</span></> : "—"}</span>
      <span role="cell" className="num r">{step ? formatUsd(step.notional, 0) : "—"}</span>
      <span role="cell" className="num r" title={step && market ? `mark ${formatPrice(step.markPrice, market.tickSize)}` : undefined}>
        {step && market ? formatPrice(step.expectedPrice, market.tickSize) : "—"}
      </span>
      <span role="cell" className="num r">{step ? formatUsd(step.slippageCost) : "—"}</span>
      <span role="cell" className="num r">{step ? formatUsd(step.fee) : "—"}</span>
      <span role="cell" className={`mode mode-${entry.mode}`}>{entry.mode}</span>
      <span role="cell" className="nowrap ellipsis" title={entry.pausedReason ?? undefined}>
        <RunsIn dueAt={row.dueAt} paused={entry.paused} reason={entry.pausedReason} />
      </span>
    </div>
  );
}, sameRow);

/** When the next step may run: a live cool-down countdown, "due now", or why it is paused. */
function RunsIn({ dueAt, paused, reason }: { dueAt: number; paused: boolean; reason: string | null }) {
  const now = useNow(1000);
  const remaining = dueAt - now;
  const [cls, text] = paused
    ? ["paused", `paused · ${reason ?? "stale price"}`]
    : remaining > 0 ? ["num cooldown", `cool-down ${formatCountdown(remaining)}`] : ["due", "due now"];
  return <span className={cls} suppressHydrationWarning>{text}</span>;
}
