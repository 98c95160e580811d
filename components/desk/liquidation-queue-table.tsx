"use client";
import { memo, useCallback, useMemo, useState, type FocusEvent } from "react";
import { useRouter } from "next/navigation";
import type { Page, QueueEntry } from "@/lib/contracts/book-views";
import { marketDisplay, type MarketDisplay } from "@/lib/client/market-index";
import { useSecondsUntil } from "@/lib/client/use-now";
import { useVirtualWindow } from "@/lib/client/use-virtual-window";
import { useElementView } from "@/lib/client/use-element-view";
import { useHeldWhile } from "@/lib/client/use-held-while";
import { formatPrice } from "@/lib/format/price";
import { formatCount, formatQty, formatCountOf } from "@/lib/format/quantity";
import { formatUsd } from "@/lib/format/usd";
import { formatCountdown } from "@/lib/format/time";
import { formatMarginRatio } from "@/lib/format/percent";
import { Panel } from "@/components/ui/panel";
import { MarginRatio } from "@/components/ui/margin-ratio";
import { StatusBadge } from "@/components/ui/status-badge";
import { ScrollX } from "@/components/ui/scroll-x";
import { SortHeader, type SortDir } from "@/components/ui/sort-header";
import { AccountLink, accountHref } from "@/components/ui/account-link";
import { queueRowOf, sortQueueRows, type QueueRow, type QueueSortKey } from "./queue-rows";
import { useRovingRows } from "@/components/ui/use-roving-rows";

const ROW_HEIGHT = 28;
const VIEWPORT = 280;

/**
 * The pending partial liquidations: what the engine closes next, at what cost, and when. Only the
 * rows in view are rendered, and a row is redrawn only when what it shows changes: a new queue
 * that moves rows out of view costs nothing.
 */
export const LiquidationQueueTable = memo(function LiquidationQueueTable({ queue: liveQueue, queueTs: liveQueueTs, ts: liveTs, markets, stale, staleAfterMs }: {
  queue: Page<QueueEntry>;
  queueTs: number;
  /** Server time of the desk state shown (the age of these rows). */
  ts: number;
  markets: Map<string, MarketDisplay>;
  stale: boolean;
  staleAfterMs: number;
}) {
  const router = useRouter();
  // Held while off screen.
  const { ref: viewRef, onScreen } = useElementView<HTMLDivElement>();
  const queue = useHeldWhile(liveQueue, !onScreen);
  const queueTs = useHeldWhile(liveQueueTs, !onScreen);
  const ts = useHeldWhile(liveTs, !onScreen);
  const [sort, setSort] = useState<{ key: QueueSortKey; dir: SortDir }>({ key: "rank", dir: "asc" });
  const rows = useMemo(
    () => sortQueueRows(queue.items.map((e) => queueRowOf(e, queueTs)), sort.key, sort.dir),
    [queue.items, queueTs, sort.key, sort.dir],
  );
  const ids = useMemo(() => rows.map((r) => r.key), [rows]);
  const accountOfKey = useMemo(() => new Map(rows.map((r) => [r.key, r.accountId])), [rows]);
  const { ref: scrollRef, onScroll, rangeFor, scrollToIndex } = useVirtualWindow({ rowHeight: ROW_HEIGHT, viewportHeight: VIEWPORT, overscan: 4 });
  const { containerRef, rowProps, onKeyDown, activeId } = useRovingRows(ids, {
    open: (key) => router.push(accountHref(accountOfKey.get(key) ?? key)), reveal: scrollToIndex, pageRows: Math.floor(VIEWPORT / ROW_HEIGHT) - 1,
  });
  const bodyRef = useCallback((el: HTMLDivElement | null) => {
    scrollRef.current = el;
    containerRef.current = el;
  }, [scrollRef, containerRef]);
  const { first, last, visibleFirst, visibleLast, totalHeight } = rangeFor(rows.length);
  // The rows in view, and the focusable row wherever it is (focus stays on it while the queue moves).
  const shown: number[] = [];
  for (let i = first; i < last; i++) shown.push(i);
  const activeIndex = activeId === null ? -1 : ids.indexOf(activeId);
  if (activeIndex >= 0 && activeIndex < first) shown.unshift(activeIndex);
  if (activeIndex >= last) shown.push(activeIndex);

  const header = (key: QueueSortKey, label: string, title?: string, className?: string) => (
    <SortHeader label={label} title={title} className={className} active={sort.key === key} dir={sort.dir}
      onSort={() => setSort((s) => (s.key === key ? { key, dir: s.dir === "asc" ? "desc" : "asc" } : { key, dir: key === "ratio" || key === "notional" ? "desc" : "asc" }))} />
  );

  return (
    <Panel title="Pending liquidations" className="span-12 h-queue" testId="queue-panel" freshness={{ ts, stale, staleAfterMs }}
      subtitle={`${formatCountOf(queue.total, "account")} at or below maintenance margin${queue.total > queue.items.length ? ` · first ${formatCount(queue.items.length)} shown` : ""} · ↑↓ to move, Enter opens`}
>
      <ScrollX hint="more columns">
      <div className="gtable queue-grid" ref={viewRef} role="table" aria-label="Pending liquidations" aria-rowcount={rows.length + 1} data-testid="queue-table"
        onKeyDown={onKeyDown}>
        <div className="grow-row ghead" role="row" aria-rowindex={1}>
          {header("rank", "#", "queue order")}
          {header("account", "Account")}
          <span role="columnheader" className="th">Status</span>
          {header("ratio", "Ratio now → after", "margin ratio = MM / equity (100% = liquidation, higher is worse), now → after the whole plan")}
          <span role="columnheader" className="th" title="maintenance-margin tier (1 = the first tier) before → after">Tier</span>
          {header("market", "Next step")}
          <span role="columnheader" className="th r">Qty&nbsp;<span className="unit">base</span></span>
          {header("notional", "Notional USD", "notional of the next step, USD", "r")}
          <span role="columnheader" className="th r">Exp. price&nbsp;<span className="unit">USD</span></span>
          <span role="columnheader" className="th r" title="slippage cost of the next step">Slippage&nbsp;<span className="unit">USD</span></span>
          <span role="columnheader" className="th r" title="liquidation fee of the next step (to the insurance fund)">Fee&nbsp;<span className="unit">USD</span></span>
          <span role="columnheader" className="th">Mode</span>
          {header("due", "Runs", "cool-down before the next step may run")}
        </div>
        <div className="gbody" style={{ height: VIEWPORT }} role="rowgroup" ref={bodyRef} onScroll={onScroll}>
          {rows.length === 0 ? (
            <div className="query-state">No account is at or below maintenance margin: nothing to liquidate.</div>
          ) : (
            <div style={{ height: totalHeight, position: "relative" }}>
              {shown.map((i) => {
                const r = rows[i]!;
                return <QueueTableRow key={r.key} index={i} row={r} market={r.marketId ? marketDisplay(markets, r.marketId) : null}
                  {...rowProps(r.key)} />;
              })}
            </div>
          )}
        </div>
      </div>
      </ScrollX>
      <div className="panel-note table-foot">
        {rows.length > 0 ? <>rows {formatCount(visibleFirst + 1)}–{formatCount(Math.min(visibleLast, rows.length))} of {formatCount(rows.length)}</> : " "}
      </div>
    </Panel>
  );
});

interface QueueTableRowProps {
  index: number;
  row: QueueRow;
  market: MarketDisplay | null;
  "data-row-key": string;
  tabIndex: number;
  onFocus: () => void;
  onBlur: (e: FocusEvent) => void;
}

/** Two rows look the same: every figure at the precision shown (a new queue redraws only the rows that changed). */
function sameRow(a: QueueTableRowProps, b: QueueTableRowProps): boolean {
  if (a.index !== b.index || a.market !== b.market || a.tabIndex !== b.tabIndex) return false;
  const x = a.row, y = b.row;
  if (x === y) return true;
  const ex = x.entry, ey = y.entry;
  const sx = ex.nextStep, sy = ey.nextStep;
  const tick = a.market?.tickSize ?? 1e-9;
  const sameStep = sx === sy || (sx !== null && sy !== null && sx.marketId === sy.marketId && sx.side === sy.side && sx.qty === sy.qty
    && Math.round(sx.notional) === Math.round(sy.notional) && Math.round(sx.expectedPrice / tick) === Math.round(sy.expectedPrice / tick)
    && Math.round(sx.slippageCost * 100) === Math.round(sy.slippageCost * 100) && Math.round(sx.fee * 100) === Math.round(sy.fee * 100));
  return sameStep && x.key === y.key && x.rank === y.rank && ex.status === ey.status && ex.mode === ey.mode
    && ex.paused === ey.paused && ex.pausedReason === ey.pausedReason && Math.abs(x.dueAt - y.dueAt) < 500
    && x.tierBefore === y.tierBefore && x.tierAfter === y.tierAfter
    && formatMarginRatio(x.ratioBefore) === formatMarginRatio(y.ratioBefore) && formatMarginRatio(x.ratioAfter) === formatMarginRatio(y.ratioAfter);
}

function tier(t: number | null): string {
  return t === null ? "—" : String(t);
}

const QueueTableRow = memo(function QueueTableRow({ index, row, market, ...focus }: QueueTableRowProps) {
  const { entry } = row;
  const step = entry.nextStep;
  return (
    <div role="row" data-testid={row.isolatedMarketId === null ? `queue-row-${row.accountId}` : `queue-row-${row.accountId}-isolated-${row.isolatedMarketId}`}
      className={entry.paused ? "grow-row row-paused" : "grow-row"} {...focus} style={{ top: index * ROW_HEIGHT }} aria-rowindex={index + 2}
      aria-label={row.isolatedMarketId === null ? `account ${row.accountId}` : `account ${row.accountId}, isolated ${row.isolatedMarketId} position`}>
      <span role="cell" className="num muted">{row.rank + 1}</span>
      <span role="cell" className="ellipsis"><AccountLink id={row.accountId} tabIndex={-1} /></span>
      <span role="cell"><StatusBadge status={entry.status} /></span>
      <span role="cell" className="num nowrap">
        <MarginRatio ratio={row.ratioBefore} /> <span className="muted">→</span>{" "}
        {entry.plan.after.maintenanceMargin === 0 ? <span className="muted" title="no position left after the plan">flat</span> : <MarginRatio ratio={row.ratioAfter} />}
      </span>
      <span role="cell" className="num nowrap" data-testid="queue-tier" data-before={row.tierBefore ?? ""} data-after={row.tierAfter ?? ""}>
        {row.tierBefore === null && row.tierAfter === null ? "—" : <>{tier(row.tierBefore)} <span className="muted">→</span> {tier(row.tierAfter)}</>}
      </span>
      {/* The unit the step belongs to (spec §11): the account's cross part, or one isolated position alone. */}
      <span role="cell" className="ellipsis" title={row.isolatedMarketId === null ? "a step of the account's cross part (its cross positions and collateral)"
        : `a step of the account's isolated ${row.isolatedMarketId} position alone: its own margin, plan and cool-down`}>
        {step ? <>{step.marketId} <span className={step.side === "sell" ? "side-sell" : "side-buy"}>{step.side}</span></> : "—"}
        {row.isolatedMarketId !== null ? <> <span className="iso-tag" data-testid="queue-unit">ISOLATED</span></> : null}
      </span>
      <span role="cell" className="num r">{step && market ? <>{formatQty(step.qty, market.lotSize)} <span className="unit">{market.baseAsset}</span></> : "—"}</span>
      <span role="cell" className="num r">{step ? formatUsd(step.notional, 0) : "—"}</span>
      {step?.beyondDepth ? (
        // a(X) >= 1: spec §5's figures are no price and no cost anyone would fill at (the entry is paused).
        <>
          <span role="cell" className="paused nowrap" data-testid="queue-beyond-depth" title={entry.plan.unexecutable ?? undefined}>beyond depth</span>
          <span role="cell" className="num r muted" title="impact beyond the book's depth">—</span>
        </>
      ) : (
        <>
          <span role="cell" className="num r" title={step && market ? `mark ${formatPrice(step.markPrice, market.tickSize)}` : undefined}>
            {step && market ? formatPrice(step.expectedPrice, market.tickSize) : "—"}
          </span>
          <span role="cell" className="num r">{step ? formatUsd(step.slippageCost) : "—"}</span>
        </>
      )}
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
  const seconds = useSecondsUntil(paused ? 0 : dueAt);
  const [cls, text] = paused
    ? ["paused", `paused · ${reason ?? "stale price"}`]
    : seconds > 0 ? ["num cooldown", `cool-down ${formatCountdown(seconds * 1000)}`] : ["due", "due now"];
  return <span className={cls} suppressHydrationWarning>{text}</span>;
}
