"use client";
import { RatioBandsProvider } from "@/lib/client/ratio-bands-context";
import { useCallback, useDeferredValue, useMemo, useState } from "react";
import type { DeskSnapshot } from "@/lib/contracts/desk";
import type { MarketsResponse } from "@/lib/contracts/markets";
import { useDesk } from "@/lib/client/use-desk";
import { useMarkets } from "@/lib/client/use-markets";
import { useStreamStale } from "@/lib/client/use-socket-status";
import { useLiveValue } from "@/lib/client/use-live-value";
import { DESK_BEAT, MARKETS_BEAT } from "@/lib/client/redraw-beats";
import { marketIndex } from "@/lib/client/market-index";
import { useMarketIndex } from "@/lib/client/use-market-index";
import { figureTs, marksAsOf } from "@/lib/client/marks-as-of";
import { DeskSummary } from "./desk-summary";
import { StaleMarketsBanner } from "./stale-markets-banner";
import { RatioHistogramPanel } from "./ratio-histogram-panel";
import { LiquidationQueueTable } from "./liquidation-queue-table";
import { AtRiskAccountsTable, MAX_SELECTED } from "./at-risk-accounts-table";
import { SelectedRatiosPanel } from "./selected-ratios-panel";
import { LiquidationsFeed } from "./liquidations-feed";
import { InsuranceFundPanel } from "./insurance-fund-panel";
import { DebtAccountsPanel } from "./debt-accounts-panel";
import { StressPanel } from "./stress-panel";
import { MarketsSection } from "./markets-section";

/**
 * The risk desk: live figures from the desk stream (snapshot + numbered deltas), the at-risk list
 * and account series by polling, stress on demand. Every figure shows its age; everything fed
 * by the stream is marked stale while the socket is down.
 */
export function DeskDashboard({ initialDesk, initialMarkets, staleAfterMs }: {
  initialDesk: DeskSnapshot;
  initialMarkets: MarketsResponse;
  staleAfterMs: number;
}) {
  // Socket frames (≤ 10/s) land in the query cache at once. The queue follows each frame that
  // changed it (a deferred value: rendered as a transition that yields to input, at most as often
  // as the frames come); the other figures and tables redraw on beats (twice a second, markets
  // once; charts limit themselves further), also in transitions.
  const liveDesk = useDesk(initialDesk).data;
  const desk = useLiveValue(liveDesk, { beat: DESK_BEAT });
  const liveQueue = useMemo(() => ({ items: liveDesk.queue, ts: liveDesk.queueTs }), [liveDesk.queue, liveDesk.queueTs]);
  const queue = useDeferredValue(liveQueue);
  const marketsData = useLiveValue(useMarkets(initialMarkets).data, { beat: MARKETS_BEAT });
  const stale = useStreamStale();
  const markets = marketsData.markets;
  const index = useMarketIndex(markets);
  const liveIndex = useMemo(() => marketIndex(markets), [markets]);
  const marketIds = useMemo(() => markets.map((m) => m.id), [markets]);
  const [selected, setSelected] = useState<string[]>([]);
  const toggle = useCallback((id: string) => setSelected((s) => (s.includes(id) ? s.filter((x) => x !== id) : s.length >= MAX_SELECTED ? s : [...s, id])), []);
  const remove = useCallback((id: string) => setSelected((s) => s.filter((x) => x !== id)), []);
  const live = { stale, staleAfterMs };
  // Book figures are no newer than their oldest mark: aged from it, and stale while any market is.
  const marks = useMemo(() => marksAsOf(markets), [markets]);
  const figures = { stale: stale || marks.stale.length > 0 || marks.unpriced.length > 0, staleAfterMs };
  const figuresTs = figureTs(desk.serverTime, marks);
  // The summary and the histogram are paced (twice a second, once): each is aged from its own time.
  const summaryTs = figureTs(desk.summaryTs, marks);
  const histogramTs = figureTs(desk.histogramTs, marks);

  return (
    <RatioBandsProvider params={initialDesk.riskParams}>
    <main className="desk">
      <DeskSummary summary={desk.summary} ts={summaryTs} {...figures} />
      <StaleMarketsBanner markets={markets} paused={desk.summary.book.queue.paused} />
      <div className="desk-grid">
        <LiquidationQueueTable queue={queue.items} queueTs={queue.ts} ts={figuresTs} markets={index} {...figures} />
        <AtRiskAccountsTable marketIds={marketIds} selected={selected} onToggle={toggle} stale={stale} staleAfterMs={staleAfterMs} />
        <div className="span-5 stack">
          <RatioHistogramPanel histogram={desk.histogram} ts={histogramTs} {...figures} />
          <SelectedRatiosPanel ids={selected} onRemove={remove} stale={stale} staleAfterMs={staleAfterMs} />
        </div>
        <LiquidationsFeed events={desk.events} ts={desk.serverTime} markets={index} {...live} />
        <InsuranceFundPanel live={desk.summary.fund} {...live} />
        <DebtAccountsPanel debt={desk.summary.book.debt} ts={desk.summaryTs} {...live} />
        <StressPanel markets={liveIndex} />
        <MarketsSection markets={markets} {...live} />
      </div>
    </main>
    </RatioBandsProvider>
  );
}
