"use client";
import type { LiquidationEventView } from "@/lib/contracts/desk";
import type { MarketDisplay } from "@/lib/client/market-index";
import { Panel } from "@/components/ui/panel";
import { memo } from "react";
import { useElementView } from "@/lib/client/use-element-view";
import { useHeldWhile } from "@/lib/client/use-held-while";
import { LiquidationEventsTable } from "@/components/account/liquidation-events-table";

/** Executed liquidation steps as they happen, newest first. */
export const LiquidationsFeed = memo(function LiquidationsFeed({ events: liveEvents, markets, ts: liveTs, stale, staleAfterMs }: {
  events: LiquidationEventView[];
  /** Server time of the desk state shown. */
  ts: number;
  markets: Map<string, MarketDisplay>;
  stale: boolean;
  staleAfterMs: number;
}) {
  // Held while off screen.
  const { ref, onScreen } = useElementView<HTMLDivElement>();
  const events = useHeldWhile(liveEvents, !onScreen);
  const ts = useHeldWhile(liveTs, !onScreen);
  return (
    <Panel title="Executed liquidations" subtitle={`newest first · last ${events.length}`} className="span-7 h-feed"
      testId="liquidations-feed" freshness={{ ts, stale, staleAfterMs }}>
      <div ref={ref}>
        <LiquidationEventsTable events={events} markets={markets} showAccount height={300} testId="feed-table"
          empty="No liquidation has executed yet." />
      </div>
    </Panel>
  );
});
