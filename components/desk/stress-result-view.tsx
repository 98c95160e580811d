"use client";
import { memo } from "react";
import type { DeskStressResponse } from "@/lib/contracts/desk";
import { ACCOUNT_STATUSES } from "@/lib/risk";
import { formatUsd, formatUsdCompact } from "@/lib/format/usd";
import { formatCount, formatCountOf } from "@/lib/format/quantity";
import { formatPct } from "@/lib/format/percent";
import { formatClock } from "@/lib/format/time";
import { CascadeRoundsChart, type CascadeRoundPoint } from "@/components/charts/cascade-rounds-chart";
import { CascadeRoundsTable, StressMarketsTable } from "./stress-result-tables";
import { unknownAccountsText } from "./unknown-accounts";

function Stat({ label, value, unit, raw, testId, tone, title }: {
  label: string;
  value: string;
  unit?: string;
  raw: number | string;
  testId: string;
  tone?: "bad" | "warn" | "ok";
  title?: string;
}) {
  return (
    <div className="stat" data-testid={testId} data-value={String(raw)} title={title}>
      <span className="stat-label">{label}</span>
      <span className={`stat-value num${tone ? ` tone-${tone}` : ""}`}>{value}{unit ? <span className="unit"> {unit}</span> : null}</span>
    </div>
  );
}

/** The cascade as chart points: round 0 is the shock, then each round's liquidated notional and marks. */
function roundPoints(response: DeskStressResponse, shocks: Record<string, number>): { points: CascadeRoundPoint[]; markets: string[] } {
  const { shock, cascade } = response.result;
  const live: Record<string, number> = {};
  for (const [id, shocked] of Object.entries(shock.marks)) live[id] = shocked / (1 + (shocks[id] ?? 0));
  const markets = [...new Set([...Object.keys(shocks).filter((id) => (shocks[id] ?? 0) !== 0), ...cascade.rounds.flatMap((r) => r.markets.map((m) => m.marketId))])].sort();
  const marks: Record<string, number> = { ...shock.marks };
  const move = (id: string) => (marks[id] ?? 0) / (live[id] ?? 1) - 1;
  const points: CascadeRoundPoint[] = [{ round: 0, liquidated: 0, ...Object.fromEntries(markets.map((id) => [id, move(id)])) }];
  for (const r of cascade.rounds) {
    for (const m of r.markets) marks[m.marketId] = m.markAfter;
    points.push({ round: r.round, liquidated: r.liquidatedNotional, ...Object.fromEntries(markets.map((id) => [id, move(id)])) });
  }
  return { points, markets };
}

const STOPPED_BY: Record<DeskStressResponse["result"]["cascade"]["stoppedBy"], string> = {
  no_liquidations: "a round liquidated nothing",
  max_rounds: "round limit",
  mark_out_of_range: "a mark would leave the number range: the depth assumption is far too thin for the flow",
};

/** What a stress run found: at the shocked marks, then after the cascade, with its rounds as a chart. */
export const StressResultView = memo(function StressResultView({ response, shocks }: { response: DeskStressResponse; shocks: Record<string, number> }) {
  const { shock, cascade } = response.result;
  const { points, markets } = roundPoints(response, shocks);
  const shockList = Object.entries(shocks).filter(([, s]) => s !== 0).map(([id, s]) => `${id} ${formatPct(s, 1, true)}`).join(", ") || "no shock";
  const { unknownAccounts } = response.result;
  const notEvaluated = unknownAccountsText(unknownAccounts);
  return (
    <div className="stress-result" data-testid="stress-result" data-as-of={response.asOf}>
      <p className="panel-note">
        {shockList} · live book as of {formatClock(response.asOf)} UTC · insurance fund {formatUsd(response.insuranceFund)} USD at the start
      </p>
      {notEvaluated ? (
        <p className="stress-unknown tone-warn" role="note" data-testid="stress-unknown-accounts" data-count={unknownAccounts.count}>
          {notEvaluated}: their figures are unknown, so every figure below leaves them out.
        </p>
      ) : null}
      <div className="stress-columns">
        <div className="stress-col">
          <h3>At the shocked marks <span className="panel-subtitle">before anything executes</span></h3>
          <div className="stat-row">
            {ACCOUNT_STATUSES.map((s) => (
              <Stat key={s} label={s} value={formatCount(shock.statusCounts[s])} raw={shock.statusCounts[s]} testId={`stress-status-${s}`} />
            ))}
          </div>
          <div className="stat-row">
            <Stat label="liquidatable accounts" value={formatCount(shock.liquidatableAccounts)} raw={shock.liquidatableAccounts} testId="stress-liquidatable-accounts" />
            <Stat label="their notional" value={formatUsdCompact(shock.liquidatableNotional)} unit="USD" raw={shock.liquidatableNotional}
              testId="stress-liquidatable-notional" title={`${formatUsd(shock.liquidatableNotional)} USD`} />
            <Stat label="plans would close" value={formatUsdCompact(shock.plannedCloseNotional)} unit="USD" raw={shock.plannedCloseNotional}
              testId="stress-planned-notional" title={`${formatUsd(shock.plannedCloseNotional)} USD`} />
            <Stat label="expected deficits" value={formatUsdCompact(shock.deficits.total)} unit="USD" raw={shock.deficits.total}
              testId="stress-shock-deficit" tone={shock.deficits.total > 0 ? "warn" : undefined} title={`${formatUsd(shock.deficits.total)} USD in ${formatCountOf(shock.deficits.accounts.length, "account")}`} />
            <Stat label="fund after" value={formatUsdCompact(shock.insuranceFund.balanceAfter)} unit="USD" raw={shock.insuranceFund.balanceAfter}
              testId="stress-shock-fund-after" title={`${formatUsd(shock.insuranceFund.balanceAfter)} USD`} />
            <Stat label="uncovered" value={formatUsdCompact(shock.insuranceFund.uncovered)} unit="USD" raw={shock.insuranceFund.uncovered}
              testId="stress-shock-uncovered" tone={shock.insuranceFund.uncovered > 0 ? "bad" : undefined} />
          </div>
        </div>
        <div className="stress-col">
          <h3>After the cascade <span className="panel-subtitle">{cascade.rounds.length} round{cascade.rounds.length === 1 ? "" : "s"} · stopped: {STOPPED_BY[cascade.stoppedBy]}{cascade.outOfRangeMarkets.length ? ` (${cascade.outOfRangeMarkets.join(", ")})` : ""}{cascade.heldBeyondDepth.length ? <> · <span className="paused" data-testid="stress-held-beyond-depth" title={cascade.heldBeyondDepth.slice(0, 20).join(", ")}>{formatCount(cascade.heldBeyondDepth.length)} held: plan beyond the book&apos;s depth</span></> : null}</span></h3>
          <div className="stat-row">
            {ACCOUNT_STATUSES.map((s) => (
              <Stat key={s} label={s} value={formatCount(cascade.finalStatusCounts[s])} raw={cascade.finalStatusCounts[s]} testId={`stress-final-status-${s}`} />
            ))}
          </div>
          <div className="stat-row">
            <Stat label="rounds" value={formatCount(cascade.rounds.length)} raw={cascade.rounds.length} testId="stress-rounds" />
            <Stat label="accounts liquidated" value={formatCount(cascade.totals.accountsLiquidated)} raw={cascade.totals.accountsLiquidated} testId="stress-accounts-liquidated" />
            <Stat label="liquidated" value={formatUsdCompact(cascade.totals.liquidatedNotional)} unit="USD" raw={cascade.totals.liquidatedNotional}
              testId="stress-liquidated-notional" title={`${formatUsd(cascade.totals.liquidatedNotional)} USD`} />
            <Stat label="deficits" value={formatUsdCompact(cascade.totals.deficits)} unit="USD" raw={cascade.totals.deficits}
              testId="stress-deficit" tone={cascade.totals.deficits > 0 ? "warn" : undefined} title={`${formatUsd(cascade.totals.deficits)} USD`} />
            <Stat label="fund after" value={formatUsdCompact(cascade.insuranceFundAfter)} unit="USD" raw={cascade.insuranceFundAfter}
              testId="stress-fund-after" title={`${formatUsd(cascade.insuranceFundBefore)} → ${formatUsd(cascade.insuranceFundAfter)} USD`} />
            <Stat label="uncovered bad debt" value={formatUsdCompact(cascade.totals.uncovered)} unit="USD" raw={cascade.totals.uncovered}
              testId="stress-uncovered" tone={cascade.totals.uncovered > 0 ? "bad" : "ok"} title={`${formatUsd(cascade.totals.uncovered)} USD`} />
          </div>
        </div>
      </div>
      <StressMarketsTable response={response} shocks={shocks} markets={markets} />
      {cascade.rounds.length === 0 ? (
        <div className="query-state" style={{ height: 220 }}>No account is liquidated at these marks: the cascade does not start.</div>
      ) : (
        <>
          <CascadeRoundsChart points={points} markets={markets} height={220} />
          <CascadeRoundsTable response={response} />
        </>
      )}
    </div>
  );
});
