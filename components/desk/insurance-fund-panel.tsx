"use client";
import { memo, useMemo } from "react";
import type { InsuranceFundView } from "@/lib/contracts/desk";
import { useInsuranceFund } from "@/lib/client/use-insurance-fund";
import { useElementView } from "@/lib/client/use-element-view";
import { useHeldWhile } from "@/lib/client/use-held-while";
import { formatUsd } from "@/lib/format/usd";
import { Panel } from "@/components/ui/panel";
import { QueryState, errorMessage } from "@/components/ui/query-state";
import { BalanceChart } from "@/components/charts/balance-chart";

/** The insurance fund's balance over time; the live balance from the desk stream is the last point. */
export const InsuranceFundPanel = memo(function InsuranceFundPanel({ live: liveFund, stale, staleAfterMs }: {
  live: InsuranceFundView;
  stale: boolean;
  staleAfterMs: number;
}) {
  const { ref: viewRef, onScreen } = useElementView<HTMLDivElement>();
  const { data, error, isPending, dataUpdatedAt } = useInsuranceFund(onScreen);
  const live = useHeldWhile(liveFund, !onScreen);
  // The history as fetched (every 5 s); the live balance is the figure in the subtitle.
  const points = useMemo(() => (data?.history ?? []).map((h) => ({ ts: h.ts, balance: Number(h.balance) })), [data]);
  return (
    <Panel title="Insurance fund" className="span-5 h-feed" testId="insurance-fund-panel"
      subtitle={<>balance <b className="num">{formatUsd(live.balance)}</b> USD · history of fees in and deficits out</>}
      freshness={{ ts: dataUpdatedAt || null, stale: stale || Boolean(error), staleAfterMs: Math.max(staleAfterMs, 15_000) }}>
      <div ref={viewRef}>
        {isPending ? <QueryState kind="loading" height={300}>Loading the fund&apos;s history…</QueryState>
          : error && points.length === 0 ? <QueryState kind="error" height={300}>Could not load the fund&apos;s history: {errorMessage(error)}</QueryState>
          : points.length < 2 ? <QueryState kind="empty" height={300}>No fund movement yet: {formatUsd(live.balance)} USD.</QueryState>
          : <BalanceChart points={points} height={300} name="insurance fund" />}
      </div>
    </Panel>
  );
});
