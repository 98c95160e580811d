"use client";
import type { LiquidationEventView } from "@/lib/contracts/desk";
import type { MarketDisplay } from "@/lib/client/market-index";
import { Panel } from "@/components/ui/panel";
import { memo } from "react";
import { DeskAge } from "./desk-age";
import { LiquidationEventsTable } from "@/components/account/liquidation-events-table";

/** Executed liquidation steps as they happen, newest first. */
export const LiquidationsFeed = memo(function LiquidationsFeed({ events, markets, stale, staleAfterMs }: {
  events: LiquidationEventView[];
  markets: Map<string, MarketDisplay>;
  stale: boolean;
  staleAfterMs: number;
}) {
  return (
    <Panel title="Executed liquidations" subtitle={`newest first · last ${events.length}`} className="span-7 h-feed"
      testId="liquidations-feed" right={<DeskAge stale={stale} staleAfterMs={staleAfterMs} />}>
      <LiquidationEventsTable events={events} markets={markets} showAccount height={300} testId="feed-table"
        empty="No liquidation has executed yet." />
    </Panel>
  );
});
