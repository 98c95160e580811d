"use client";
import type { ReactNode } from "react";
import type { AccountView } from "@/lib/contracts/book-views";
import { marketDisplay, type MarketDisplay } from "@/lib/client/market-index";
import { formatPrice } from "@/lib/format/price";
import { formatQty } from "@/lib/format/quantity";
import { formatUsd } from "@/lib/format/usd";
import { formatMarginRatio, formatPct } from "@/lib/format/percent";
import { formatCountdown, formatDuration } from "@/lib/format/time";
import type { Close } from "@/lib/risk";
import { unknownText } from "./unknown-figures";
import { isolatedNextSteps } from "./isolated-queue";

function closeText(c: Close, m: MarketDisplay, positionQty: number | undefined): ReactNode {
  const share = positionQty ? Math.abs(c.qty / positionQty) : null;
  return (
    <>
      <b className={c.side === "sell" ? "side-sell" : "side-buy"}>{c.side}</b> <b className="num">{formatQty(c.qty, m.lotSize)} {m.baseAsset}</b> of {c.marketId}
      {share !== null ? <> ({formatPct(share, 0)} of the position)</> : null}
      {c.beyondDepth
        ? <> (mark {formatPrice(c.markPrice, m.tickSize)}): notional {formatUsd(c.notional, 0)} USD is <b className="paused">beyond the book&apos;s depth</b> (impact ≥ 100%: no price to expect), so it is not executed automatically</>
        : <> at about <b className="num">{formatPrice(c.expectedPrice, m.tickSize)}</b> USD
          (mark {formatPrice(c.markPrice, m.tickSize)}): notional {formatUsd(c.notional, 0)} USD, slippage {formatUsd(c.slippageCost)} USD, fee {formatUsd(c.fee)} USD</>}
    </>
  );
}

/**
 * What happens to the account next, in words, from the server's figures only: the liquidation
 * price that would start it, the next step and when it runs, what the whole plan leaves, and the
 * top-up that avoids it. `now` and `serverTime` time the cool-down.
 */
export function describeNextSteps(view: AccountView, markets: Map<string, MarketDisplay>, serverTime: number, now: number): ReactNode[] {
  const out: ReactNode[] = [];
  const ratio = `margin ratio ${formatMarginRatio(view.marginRatio)} (MM / equity; 100% = liquidation)`;
  const qtyOf = (marketId: string) => view.positions.find((p) => p.marketId === marketId)?.qty;
  if (view.positions.length === 0) {
    out.push(<>No open position: nothing can be liquidated.</>);
    return out;
  }
  const plan = view.liquidation;
  if (plan === null || view.topUp === null) {
    out.push(<>Figures {unknownText(view.unpricedMarkets)} yet: equity and margins are unknown, so no liquidation is planned or run until it has one.</>);
    return out;
  }
  const topUp = view.topUp;
  if (plan.mode === "none") {
    out.push(<>Above maintenance margin: no liquidation is planned; {ratio}.</>);
    // The account's (cross) liquidation: an isolated position's price is its own (below).
    const nearest = view.positions
      .flatMap((p) => (!p.isolated && p.liquidationPrice !== null && p.markPrice !== null && p.markPrice > 0 ? [{ p, mark: p.markPrice }] : []))
      .map(({ p, mark }) => ({ p, distance: (p.liquidationPrice! - mark) / mark }))
      .sort((a, b) => Math.abs(a.distance) - Math.abs(b.distance))[0];
    if (nearest) {
      const m = marketDisplay(markets, nearest.p.marketId);
      out.push(
        <>
          Liquidation starts if <b>{nearest.p.marketId}</b> marks at <b className="num">{formatPrice(nearest.p.liquidationPrice, m.tickSize)}</b> USD
          ({formatPct(nearest.distance, 2, true)} from its mark {formatPrice(nearest.p.markPrice, m.tickSize)}), every other mark unchanged; the engine then
          closes positions in partial steps with a cool-down between them, or all at once below 2/3 of maintenance margin.
        </>,
      );
    } else {
      out.push(<>No single market&apos;s move can take this account to its maintenance margin on its own (no liquidation price).</>);
    }
    if (view.status === "warning" && topUp.toHealthy > 0) {
      out.push(<>Adding more than <b className="num">{formatUsd(topUp.toHealthy)}</b> USD of collateral brings the margin ratio below 80% (healthy).</>);
    }
    return out;
  }

  const q = view.queue;
  out.push(plan.mode === "full"
    ? <>Backstop: equity {formatUsd(view.equity)} USD is below 2/3 of maintenance margin {formatUsd(view.maintenanceMargin)} USD; {ratio}. Every position is closed in full, at once.</>
    : <>At or below maintenance margin: {ratio}. The engine closes positions in steps until equity is back above maintenance margin with a buffer.</>);
  if (q?.paused) {
    const reason = q.pausedReason ?? "stale price";
    out.push(<><b className="paused">Paused</b> ({reason}): {reason.startsWith("stale price")
      ? "nothing is closed until a fresh price arrives; marks used are the last known."
      : reason.startsWith("execution failed")
        ? "the last step failed to execute; it is retried after the cool-down."
        : "nothing is closed automatically; the desk handles it."}</>);
  }
  const step = plan.nextStep;
  if (step) {
    const m = marketDisplay(markets, step.marketId);
    const remaining = q ? serverTime + q.cooldownRemainingMs - now : 0;
    const when = q?.paused ? "once prices are fresh" : remaining > 0 ? `in ${formatCountdown(remaining)} (cool-down)` : "now";
    out.push(<>Next step, <span suppressHydrationWarning>{when}</span>: {closeText(step, m, qtyOf(step.marketId))}.</>);
  }
  if (plan.closes.length > 1 || (step && plan.closes[0] && plan.closes[0].qty !== step.qty)) {
    out.push(
      <>
        The whole plan at current marks closes{" "}
        {plan.closes.map((c, i) => {
          const m = marketDisplay(markets, c.marketId);
          return <span key={`${c.marketId}-${i}`}>{i > 0 ? ", " : ""}<span className="num">{formatQty(c.qty, m.lotSize)} {m.baseAsset}</span> of {c.marketId}</span>;
        })}.
      </>,
    );
  }
  const afterRatio = plan.after.maintenanceMargin === 0 ? 0 : plan.after.equity > 0 ? plan.after.maintenanceMargin / plan.after.equity : null;
  out.push(
    <>
      Afterwards: equity <b className="num">{formatUsd(plan.after.equity)}</b> USD, maintenance margin {formatUsd(plan.after.maintenanceMargin)} USD
      {plan.after.maintenanceMargin === 0 ? " (no position left)" : <>, margin ratio {formatMarginRatio(afterRatio)}</>}.
    </>,
  );
  if (plan.deficit > 0) {
    out.push(<>Expected deficit <b className="num tone-bad">{formatUsd(plan.deficit)}</b> USD, paid by the insurance fund (what it cannot pay is uncovered bad debt).</>);
  }
  if (plan.mode === "partial") {
    const cooldown = q && q.lastStepAt !== null && q.cooldownRemainingMs > 0 ? serverTime - q.lastStepAt + q.cooldownRemainingMs : null;
    out.push(<>After each step the account waits {cooldown !== null ? `${formatDuration(cooldown)} of ` : "out the "}cool-down, then is planned again at the marks of that moment.</>);
  }
  if (topUp.toMaintenance > 0) {
    out.push(<>Adding more than <b className="num">{formatUsd(topUp.toMaintenance)}</b> USD of collateral now takes the account out of the queue at once
      {topUp.toHealthy > topUp.toMaintenance ? <>; more than {formatUsd(topUp.toHealthy)} USD makes it healthy</> : null}.</>);
  }
  return out;
}

/** The account's next steps as a list of sentences. */
export function NextSteps({ view, markets, serverTime, now }: {
  view: AccountView;
  markets: Map<string, MarketDisplay>;
  serverTime: number;
  now: number;
}) {
  return (
    <ol className="next-steps" data-testid="next-steps">
      {[...describeNextSteps(view, markets, serverTime, now), ...isolatedNextSteps(view)].map((s, i) => <li key={i}>{s}</li>)}
    </ol>
  );
}
