"use client";
import { RatioBandsProvider } from "@/lib/client/ratio-bands-context";
import Link from "next/link";
import { useMemo } from "react";
import type { AccountDetail } from "@/lib/contracts/desk";
import type { MarketsResponse } from "@/lib/contracts/markets";
import type { MarginCallsResponse } from "@/lib/contracts/margin-calls";
import { useMarginCalls } from "@/lib/client/use-margin-calls";
import { openCallOf } from "@/lib/client/margin-call-list";
import { useAccount } from "@/lib/client/use-account";
import { useAccountStream } from "@/lib/client/use-account-stream";
import { isBehindLive, previewAgrees, useTopUpPreview } from "@/lib/client/use-top-up-preview";
import { useMarketsOf } from "@/lib/client/use-markets";
import { useMarketIndex } from "@/lib/client/use-market-index";
import { useHeldMarks } from "@/lib/client/use-held-marks";
import { useNow } from "@/lib/client/use-now";
import { formatUsd } from "@/lib/format/usd";
import { Panel } from "@/components/ui/panel";
import { Figure } from "@/components/ui/figure";
import { AccountStateBadge } from "@/components/ui/account-state-badge";
import { QueryState, errorMessage } from "@/components/ui/query-state";
import { MarginHistoryChart } from "@/components/charts/margin-history-chart";
import { marginPointsOf } from "./margin-points";
import { useLiveValue } from "@/lib/client/use-live-value";
import { ACCOUNT_CHART_BEAT } from "@/lib/client/redraw-beats";
import { MarginGauge } from "./margin-gauge";
import { PositionsTable } from "./positions-table";
import { AccountQueueLine } from "./isolated-queue";
import { NextSteps } from "./next-steps";
import { LiquidationTriggerText } from "./liquidation-trigger-text";
import { LedgerTable } from "./ledger-table";
import { LiquidationEventsTable } from "./liquidation-events-table";
import { TopUpForm } from "./top-up-form";
import { UnknownFiguresBanner, unknownText } from "./unknown-figures";
import { MarginCallBanner } from "./margin-call-banner";
import { MarginCallsTable } from "./margin-calls-table";

/**
 * A trader's own account, the way the desk sees it: the margin-ratio gauge, equity, margins and
 * free collateral, positions with their liquidation prices, what happens next in words (and what
 * would happen if liquidation started now), history, ledger and liquidations, and the top-up form.
 * Live: the account's socket room pushes its view within 100 ms of a change (every 5 s without one); history is polled.
 */
export function TraderAccountView({ accountId, accountIds, initial, initialMarkets, initialCalls, staleAfterMs }: {
  accountId: string;
  accountIds: readonly string[];
  initial: AccountDetail;
  initialMarkets: MarketsResponse;
  initialCalls: MarginCallsResponse;
  staleAfterMs: number;
}) {
  useAccountStream(accountId);
  const { data: calls } = useMarginCalls(accountId, initialCalls);
  const openCall = openCallOf(calls.calls);
  // The top-up form holds what the open margin call still asks (filled again when that changes).
  const prefill = useMemo(() => (openCall && openCall.remaining !== "0" ? { amount: openCall.remaining, key: `${openCall.id}:${openCall.remaining}` } : null),
    [openCall]);
  const { data: detail, error } = useAccount(accountId, initial);
  // Only the markets the account holds: the page redraws when they move, not at every other market's tick.
  const heldMarkets = useMarketsOf(initialMarkets, detail.view.positions.map((p) => p.marketId));
  const markets = useMarketIndex(heldMarkets);
  const now = useNow(1000);
  const view = detail.view;
  // Every panel reads this one view (the newest the page has): header, gauge, figures, positions, next steps, top-up.
  const live = useMemo(() => ({ view, serverTime: detail.serverTime }), [view, detail.serverTime]);
  const outlook = useTopUpPreview(accountId, null, live);
  // The server's "if liquidation started" is said only while it was computed from the account on the page.
  const trigger = outlook.data && previewAgrees(view, outlook.data) ? outlook.data.trigger : undefined;
  const stale = Boolean(error);
  // The figures are no newer than the oldest mark of a market the account holds.
  const held = useHeldMarks(heldMarkets, view, detail.serverTime);
  const common = { ts: held.ts, stale: stale || held.stale, staleAfterMs };
  const free = view.equity === null || view.initialMargin === null ? null : Math.max(0, view.equity - view.initialMargin);
  // A market it holds has never had a price: every figure that depends on it is unknown (spec §7).
  const unknown = view.unpricedMarkets.length > 0 ? { value: "unknown", hint: unknownText(view.unpricedMarkets), rawValue: "unknown", tone: "muted" as const } : null;
  // The chart redraws once a second at most (its newest point is the live view; the figures follow every push).
  const points = useLiveValue(useMemo(() => marginPointsOf(detail), [detail]), { beat: ACCOUNT_CHART_BEAT });

  return (
    <RatioBandsProvider params={initial.riskParams}>
    <main className="account-page">
      <div className="account-head">
        <h1 data-testid="account-id">{accountId}</h1>
        <AccountStateBadge status={view.status} equity={view.equity} positions={view.positions.length} testId="account-status" />
        <AccountQueueLine view={view} notQueuedTestId="account-not-queued" />
        {accountIds.length > 1 ? (
          <nav className="switcher" aria-label="Your accounts">
            {accountIds.map((id) => <Link key={id} href={`/account?account=${encodeURIComponent(id)}`} aria-current={id === accountId ? "page" : undefined}>{id}</Link>)}
          </nav>
        ) : null}
      </div>
      {error ? <div className="banner banner-warn" role="alert">Could not refresh: {errorMessage(error)} — the figures below are the last known.</div> : null}
      <MarginCallBanner calls={calls.calls} />
      <UnknownFiguresBanner view={view} />
      <div className="account-top">
        <div className="figure gauge-card"><MarginGauge ratio={view.marginRatio} /></div>
        <div className="figures-4">
          <Figure label="Equity" value={formatUsd(view.equity)} unit="USD" hint="collateral + unrealized PnL" testId="account-equity"
            rawValue={view.equity} tone={view.equity !== null && view.equity <= 0 ? "bad" : undefined} {...common} {...unknown} />
          <Figure label="Maintenance margin" value={formatUsd(view.maintenanceMargin)} unit="USD" hint="liquidation starts when equity ≤ this" testId="account-mm"
            rawValue={view.maintenanceMargin} {...common} {...unknown} />
          <Figure label="Initial margin" value={formatUsd(view.initialMargin)} unit="USD" hint="needed to open positions" testId="account-im"
            rawValue={view.initialMargin} {...common} {...unknown} />
          <Figure label="Free collateral" value={formatUsd(free)} unit="USD" hint={`equity − initial margin · collateral ${formatUsd(view.collateral)} USD`}
            testId="account-free" rawValue={free} {...common} {...unknown} />
        </div>
      </div>
      <div className="desk-grid">
        <Panel title="Positions" subtitle="at the mark; liquidation price with every other mark unchanged; — where no move of that market alone liquidates"
          className="span-12" testId="positions-panel">
          <PositionsTable positions={view.positions} markets={markets} belowMaintenance={view.queue !== null || (view.liquidation !== null && view.liquidation.mode !== "none")} />
        </Panel>
        <Panel title="What happens next" subtitle="at current marks; liquidation is triggered by the mark price" className="span-5" testId="next-steps-panel">
          <NextSteps view={view} markets={markets} serverTime={detail.serverTime} now={now} />
          {trigger ? (
            <div className={isBehindLive(detail.serverTime, outlook.data) ? "is-behind-text" : undefined} data-testid="liquidation-trigger-box">
              {isBehindLive(detail.serverTime, outlook.data) ? <span className="stale-tag" title="at marks older than the figures above: asking the server again">updating… </span> : null}
              <LiquidationTriggerText trigger={trigger} positions={view.positions} markets={markets} />
            </div>
          )
            : trigger === undefined && view.liquidation?.mode === "none" && view.positions.length > 0
              ? <p className="muted" data-testid="liquidation-trigger-updating">What a liquidation would do: updating…</p> : null}
        </Panel>
        <Panel title="Add collateral" subtitle="previewed by the server before you send it" className="span-7" testId="topup-panel" id="topup-panel">
          <TopUpForm accountId={accountId} role="trader" markets={markets} live={live} prefill={prefill} />
        </Panel>
        <Panel title="Margin calls" subtitle={`from the risk desk, newest first · ${calls.calls.length}`} className="span-12" testId="margin-calls-panel">
          <MarginCallsTable calls={calls.calls} showIssuer="name" />
        </Panel>
        <Panel title="Margin ratio over time" subtitle="MM / equity; 100% = liquidation, higher is worse" className="span-12" testId="margin-history-panel">
          {points.length < 2 ? <QueryState kind="empty" height={250}>Not enough history yet: margin snapshots are taken every few seconds.</QueryState>
            : <MarginHistoryChart points={points} height={250} />}
        </Panel>
        <Panel title="Collateral ledger" subtitle={`newest first · ${detail.ledger.length}`} className="span-5" testId="ledger-panel">
          <LedgerTable ledger={detail.ledger} height={260} />
        </Panel>
        <Panel title="Liquidation steps" subtitle={`executed, newest first · ${detail.events.length}`} className="span-7" testId="account-events-panel">
          <LiquidationEventsTable events={detail.events} markets={markets} showAccount={false} height={260} testId="account-events"
            empty="No liquidation step has executed on this account." />
        </Panel>
      </div>
    </main>
    </RatioBandsProvider>
  );
}
