"use client";
import type { LiquidationTrigger } from "@/lib/risk";
import { marketDisplay, type MarketDisplay } from "@/lib/client/market-index";
import { formatPrice } from "@/lib/format/price";
import { formatQty } from "@/lib/format/quantity";
import { formatPct } from "@/lib/format/percent";
import { formatDuration } from "@/lib/format/time";

/**
 * What the engine would do if liquidation started now, in words: "If BTC-PERP marks at 60,165.7
 * USD: 0.2 BTC (25% of the position) is sold at about 60,150 USD; you then have 30 s to add
 * collateral before the next step." From the server's plan at the trigger mark.
 */
export function LiquidationTriggerText({ trigger, positions, markets }: {
  trigger: LiquidationTrigger;
  positions: { marketId: string; qty: number }[];
  markets: Map<string, MarketDisplay>;
}) {
  const step = trigger.plan.nextStep;
  if (!step) return null;
  const m = marketDisplay(markets, step.marketId);
  const position = positions.find((p) => p.marketId === step.marketId);
  const share = position ? Math.abs(step.qty / position.qty) : null;
  const more = trigger.plan.mode === "partial" && (trigger.plan.closes.length > 1 || trigger.plan.closes[0]!.qty !== step.qty);
  const triggerMarket = marketDisplay(markets, trigger.marketId);
  return (
    <p data-testid="liquidation-trigger">
      If <b>{trigger.marketId}</b> marks at <b className="num">{formatPrice(trigger.markPrice, triggerMarket.tickSize)}</b> USD:{" "}
      {trigger.plan.mode === "full" ? "every position is closed at once, starting with " : null}
      <b className="num">{formatQty(step.qty, m.lotSize)} {m.baseAsset}</b>{share !== null ? <> ({formatPct(share, 0)} of the position)</> : null} is
      {step.side === "sell" ? " sold" : " bought back"}{step.beyondDepth
        ? <>, but that is <b className="paused">beyond the book&apos;s depth</b> (impact ≥ 100%: no price to expect) and is left to the desk;{" "}</>
        : <> at about <b className="num">{formatPrice(step.expectedPrice, m.tickSize)}</b> USD;{" "}</>}
      {more ? <>you then have <b>{formatDuration(trigger.cooldownMs)}</b> to add collateral before the next step.</>
        : trigger.plan.mode === "full" ? <>nothing is left to add collateral to.</> : <>that brings the account back above maintenance margin.</>}
    </p>
  );
}
