"use client";
import { RatioBandsProvider } from "@/lib/client/ratio-bands-context";
import Link from "next/link";
import { useMemo } from "react";
import type { AccountDetail } from "@/lib/contracts/desk";
import type { MarketsResponse } from "@/lib/contracts/markets";
import type { MarginCallsResponse } from "@/lib/contracts/margin-calls";
import { useMarginCalls } from "@/lib/client/use-margin-calls";
import { useAccount } from "@/lib/client/use-account";
import { useAccountStream } from "@/lib/client/use-account-stream";
import { isNotFound } from "@/lib/client/fetch-json";
import { useMarketsOf } from "@/lib/client/use-markets";
import { useMarketIndex } from "@/lib/client/use-market-index";
import { useHeldMarks } from "@/lib/client/use-held-marks";
import { useNow } from "@/lib/client/use-now";
import { Panel } from "@/components/ui/panel";
import { Age } from "@/components/ui/age";
import { AccountStateBadge } from "@/components/ui/account-state-badge";
import { MarginRatio } from "@/components/ui/margin-ratio";
import { QueryState, errorMessage } from "@/components/ui/query-state";
import { MarginHistoryChart } from "@/components/charts/margin-history-chart";
import { marginPointsOf } from "./margin-points";
import { useLiveValue } from "@/lib/client/use-live-value";
import { ACCOUNT_CHART_BEAT } from "@/lib/client/redraw-beats";
import { AccountFigures } from "./account-figures";
import { PositionsTable } from "./positions-table";
import { AccountQueueLine } from "./isolated-queue";
import { NextSteps } from "./next-steps";
import { LedgerTable } from "./ledger-table";
import { LiquidationEventsTable } from "./liquidation-events-table";
import { TopUpForm } from "./top-up-form";
import { UnknownFiguresBanner } from "./unknown-figures";
import { MarginCallDesk } from "./margin-call-desk";

/** One account for the desk: figures, positions, what happens next, history, ledger and liquidations; polled every 2 s. */
export function AccountPageView({ accountId, initial, initialMarkets, initialCalls, alertId, staleAfterMs }: {
  accountId: string;
  initial: AccountDetail;
  initialMarkets: MarketsResponse;
  initialCalls: MarginCallsResponse;
  /** The alert the page was opened from (`?alert=`): a margin call issued here answers it. */
  alertId: string | null;
  staleAfterMs: number;
}) {
  useAccountStream(accountId);
  const { data: calls } = useMarginCalls(accountId, initialCalls);
  const { data, error, dataUpdatedAt } = useAccount(accountId, initial);
  // Only the markets the account holds: the page redraws when they move, not at every other market's tick.
  const heldMarkets = useMarketsOf(initialMarkets, data.view.positions.map((p) => p.marketId));
  const markets = useMarketIndex(heldMarkets);
  const now = useNow(1000);
  const gone = isNotFound(error);
  const stale = Boolean(error);
  const detail = data;
  const view = detail.view;
  // Every panel reads this one view (the newest the page has): header, figures, positions, next steps, top-up.
  const live = useMemo(() => ({ view, serverTime: detail.serverTime }), [view, detail.serverTime]);
  // The chart redraws once a second at most (its newest point is the live view; the figures follow every push).
  const points = useLiveValue(useMemo(() => marginPointsOf(detail), [detail]), { beat: ACCOUNT_CHART_BEAT });
  // The figures are no newer than the oldest mark of a market the account holds.
  const held = useHeldMarks(heldMarkets, view, detail.serverTime);
  const figuresStale = stale || held.stale;

  return (
    <RatioBandsProvider params={initial.riskParams}>
    <main className="account-page">
      <div className="crumbs"><Link href="/desk">Risk desk</Link> / accounts / {accountId}</div>
      <div className="account-head">
        <h1 data-testid="account-id">{accountId}</h1>
        <AccountStateBadge status={view.status} equity={view.equity} positions={view.positions.length} testId="account-status" />
        <span className="muted">margin ratio <MarginRatio ratio={view.marginRatio} decimals={2} /> <span className="unit">MM / equity, 100% = liquidation</span></span>
        <AccountQueueLine view={view} />
        <span className="topbar-fill" />
        <Age ts={held.ts} stale={figuresStale} staleAfterMs={staleAfterMs} />
      </div>
      {gone ? <div className="banner banner-bad" role="alert">This account no longer exists on the server; the figures below are the last known.</div>
        : error ? <div className="banner banner-warn" role="alert">Could not refresh: {errorMessage(error)} — the figures below are the last known.</div> : null}
      <UnknownFiguresBanner view={view} />
      <AccountFigures view={view} ts={held.ts} stale={figuresStale} staleAfterMs={staleAfterMs} />
      <div className="desk-grid">
        <Panel title="Positions" subtitle="at the mark; liquidation price with every other mark unchanged" className="span-12" testId="positions-panel">
          <PositionsTable positions={view.positions} markets={markets} belowMaintenance={view.queue !== null || (view.liquidation !== null && view.liquidation.mode !== "none")} />
        </Panel>
        <Panel title="What happens next" subtitle="at current marks; liquidation is triggered by the mark price" className="span-5 h-next" testId="next-steps-panel">
          <NextSteps view={view} markets={markets} serverTime={detail.serverTime} now={now} />
        </Panel>
        <Panel title="Margin ratio over time" subtitle="MM / equity; 100% = liquidation, higher is worse" className="span-7 h-next" testId="margin-history-panel"
          freshness={{ ts: dataUpdatedAt || detail.serverTime, stale, staleAfterMs }}>
          {points.length < 2 ? <QueryState kind="empty" height={250}>Not enough history yet: margin snapshots are taken every few seconds.</QueryState>
            : <MarginHistoryChart points={points} height={250} />}
        </Panel>
        <Panel title="Margin call" subtitle="ask the trader for collateral by a deadline: met by deposits and top-ups, or when the account is healthy again; audited"
          className="span-12" testId="margin-call-panel" id="margin-call">
          <MarginCallDesk accountId={accountId} calls={calls} alertId={alertId} />
        </Panel>
        <Panel title="Add collateral" subtitle="manual top-up by the desk: previewed by the server, recorded in the audit log with its note"
          className="span-12" testId="topup-panel">
          <TopUpForm accountId={accountId} role="desk" markets={markets} live={live} />
        </Panel>
        <Panel title="Liquidation steps" subtitle={`executed, newest first · ${detail.events.length}`} className="span-7" testId="account-events-panel">
          <LiquidationEventsTable events={detail.events} markets={markets} showAccount={false} height={260} testId="account-events"
            empty="No liquidation step has executed on this account." />
        </Panel>
        <Panel title="Collateral ledger" subtitle={`newest first · ${detail.ledger.length}`} className="span-5" testId="ledger-panel">
          <LedgerTable ledger={detail.ledger} height={260} />
        </Panel>
      </div>
    </main>
    </RatioBandsProvider>
  );
}

/** The account does not exist (404). */
export function AccountNotFound({ accountId }: { accountId: string }) {
  return (
    <main className="account-page">
      <div className="crumbs"><Link href="/desk">Risk desk</Link> / accounts / {accountId}</div>
      <QueryState kind="empty" height={300}>
        <div data-testid="account-not-found">
          <h1>No account “{accountId}”</h1>
          <p className="muted">The server knows no account with this id. <Link href="/desk">Back to the desk</Link></p>
        </div>
      </QueryState>
    </main>
  );
}
