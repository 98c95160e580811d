"use client";
import { useMemo } from "react";
import type { AccountView } from "@/lib/contracts/book-views";
import { marketDisplay, type MarketDisplay } from "@/lib/client/market-index";
import { formatPrice } from "@/lib/format/price";
import { formatQty } from "@/lib/format/quantity";
import { formatUsd } from "@/lib/format/usd";
import { formatPct } from "@/lib/format/percent";
import { useRovingRows } from "@/components/ui/use-roving-rows";
import { MarginRatio } from "@/components/ui/margin-ratio";

/**
 * An account's positions at the mark: entry, mark, uPnL, tier, liquidation price and the distance
 * to it from the mark ("—" where a market alone cannot liquidate the position, never $0). Arrow
 * keys move between rows. On a phone each position is a card of labelled figures (globals.css,
 * `.table-cards`), the liquidation price first: twelve columns would be slivers at 390 px.
 *
 * Spec §11: an isolated position is marked as such, with its own margin, margin ratio and status
 * (its liquidation price is its own: where its margin alone reaches maintenance); a cross one says
 * "cross" (margined by the account's collateral).
 */
export function PositionsTable({ positions, markets, belowMaintenance }: {
  positions: AccountView["positions"];
  markets: Map<string, MarketDisplay>;
  /** The account is at or below maintenance margin: the liquidation price is where it would recover. */
  belowMaintenance: boolean;
}) {
  const ids = useMemo(() => positions.map((p) => p.marketId), [positions]);
  const { containerRef, rowProps, onKeyDown } = useRovingRows(ids, {});
  return (
    <div className="table-scroll table-cards positions-cards" ref={containerRef}>
      <table className="table" data-testid="positions-table" onKeyDown={onKeyDown}>
        <thead>
          <tr>
            <th>Market</th>
            <th>Side</th>
            {/* Wider than the rest (the table's layout is fixed): an isolated position's margin and ratio on one line. */}
            <th style={{ width: 200 }} title="cross: margined by the account's collateral; isolated: by its own margin alone (its ratio and status its own)">Margin <span className="unit">USD</span></th>
            <th className="r">Qty</th>
            <th className="r">Entry <span className="unit">USD</span></th>
            <th className="r">Mark <span className="unit">USD</span></th>
            <th className="r">Notional <span className="unit">USD</span></th>
            <th className="r">uPnL <span className="unit">USD</span></th>
            <th className="r">MM <span className="unit">USD</span></th>
            <th className="r">Tier</th>
            <th className="r" title="the mark at which the account reaches maintenance margin, every other mark unchanged">Liq. price <span className="unit">USD</span></th>
            <th className="r" title="from the mark to the liquidation price">Distance</th>
          </tr>
        </thead>
        <tbody>
          {positions.length === 0 ? (
            <tr><td colSpan={12} className="empty-cell">No open position.</td></tr>
          ) : positions.map((p) => {
            const m = marketDisplay(markets, p.marketId);
            const distance = p.liquidationPrice === null || p.markPrice === null || !(p.markPrice > 0) ? null : (p.liquidationPrice - p.markPrice) / p.markPrice;
            // Never priced: no figure of this position is known (spec §7), never its entry price.
            const unpriced = p.markPrice === null;
            // An isolated position is past its own line, not the account's.
            const past = p.isolated ? p.isolated.queue !== null : belowMaintenance;
            return (
              <tr key={p.marketId} data-testid={`position-${p.marketId}`} {...rowProps(p.marketId)}>
                <td className="cell-title" data-label="Market">{p.marketId}{unpriced ? <span className="stale-tag" title="this market has never had a price: the position's figures are unknown"> NO PRICE</span>
                  : p.stale ? <span className="stale-tag" title="no fresh price: last mark used, liquidations paused"> STALE</span> : null}</td>
                <td className={`cell-sub ${p.qty > 0 ? "side-buy" : "side-sell"}`} data-label="Side">{p.qty > 0 ? "long" : "short"}</td>
                {p.isolated ? (
                  <td className="cell-wide" data-label="Margin" data-testid={`margin-mode-${p.marketId}`} data-mode="isolated">
                    <span className="nowrap"><span className="iso-tag" title="isolated: margined by its own margin alone, liquidated alone">ISOLATED</span>{" "}
                      <span className="num" data-testid="isolated-margin">{formatUsd(p.isolated.isolatedMargin)}</span></span>{" "}
                    <span className="nowrap" data-testid="isolated-status" data-status={p.isolated.status}
                      title={`its own margin ratio (MM / (margin + uPnL)): ${p.isolated.status}`}><MarginRatio ratio={p.isolated.marginRatio} /></span>
                  </td>
                ) : <td className="muted" data-label="Margin" data-testid={`margin-mode-${p.marketId}`} data-mode="cross" title="margined by the account's collateral">cross</td>}
                <td className="num r" data-label="Qty">{formatQty(Math.abs(p.qty), m.lotSize)} <span className="unit">{m.baseAsset}</span></td>
                <td className="num r" data-label="Entry USD">{formatPrice(p.entryPrice, m.tickSize)}</td>
                <td className={`num r${p.stale ? " tone-warn" : ""}`} data-testid="cell-mark" data-label="Mark USD">{unpriced ? "unknown" : formatPrice(p.markPrice, m.tickSize)}</td>
                <td className="num r" data-label="Notional USD">{formatUsd(p.notional)}</td>
                <td className={`num r ${p.unrealizedPnl === null ? "muted" : p.unrealizedPnl < 0 ? "tone-bad" : p.unrealizedPnl > 0 ? "tone-ok" : ""}`}
                  data-testid="cell-upnl" data-label="uPnL USD">{p.unrealizedPnl === null ? "unknown" : formatUsd(p.unrealizedPnl)}</td>
                <td className="num r" data-label="MM USD">{formatUsd(p.maintenanceMargin)}</td>
                <td className="num r" data-label="Tier">{p.tier ?? "—"}</td>
                <td className="num r cell-key" data-testid="liquidation-price" data-label="Liq. price USD" title={p.liquidationPrice === null ? (positions.some((x) => x.markPrice === null) ? "unknown: a market the account holds has never had a price" : "none: this market alone cannot liquidate the account")
                  : p.isolated ? "the mark at which this isolated position's own margin reaches its maintenance margin" : undefined}>
                  {formatPrice(p.liquidationPrice, m.tickSize)}
                </td>
                <td className={`num r cell-key${distance !== null && Math.abs(distance) < 0.02 ? " tone-bad" : ""}`} data-label="Distance to liq."
                  title={past && distance !== null ? "already past the line: the move that would bring the account back to maintenance margin" : "move of the mark to the liquidation price"}>
                  {past && distance !== null ? <span className="unit">past · </span> : null}{formatPct(distance, 2, true)}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
