"use client";
import type { DeskStressResponse } from "@/lib/contracts/desk";
import { formatPct } from "@/lib/format/percent";
import { formatCount } from "@/lib/format/quantity";
import { formatUsd, formatUsdCompact } from "@/lib/format/usd";
import { ScrollX } from "@/components/ui/scroll-x";

/** Marks to 6 significant figures: the table covers markets from BTC to DOGE. */
const formatMark = (x: number) => (Number.isFinite(x) ? x.toPrecision(6).replace(/\.?0+$/, "") : "—");

/**
 * Per market: the mark before the shock, after it and after the cascade, the change from the
 * pre-shock mark, the depth assumption the run used (spec §8: shown beside every result; marked
 * when overridden for this run) and the notional the cascade liquidated there.
 */
export function StressMarketsTable({ response, shocks }: { response: DeskStressResponse; shocks: Record<string, number>; markets: string[] }) {
  const { shock, cascade, depth } = response.result;
  const ids = Object.keys(depth).sort();
  return (
    <ScrollX className="table-scroll stress-markets" testId="stress-markets">
      <table className="table">
        <thead>
          <tr>
            <th>Market</th>
            <th className="r">mark before</th>
            <th className="r">shocked</th>
            <th className="r">after cascade</th>
            <th className="r">change</th>
            <th className="r" title="depthPer1Pct: the net notional that moves the mark 1% (the cascade's liquidity assumption)">depth for 1%, USD</th>
            <th className="r">liquidated, USD</th>
          </tr>
        </thead>
        <tbody>
          {ids.map((id) => {
            const shocked = shock.marks[id];
            const final = cascade.finalMarks[id];
            const change = cascade.finalMarkChange[id];
            const before = shocked === undefined ? undefined : shocked / (1 + (shocks[id] ?? 0));
            const d = depth[id]!;
            const liquidated = cascade.totals.liquidatedNotionalByMarket[id] ?? 0;
            return (
              <tr key={id} data-testid={`cascade-market-${id}`} data-change={change} data-final={final} data-depth={d.depthPer1Pct}
                data-overridden={d.overridden}>
                <td>{id}</td>
                <td className="r num">{before === undefined ? "no mark" : formatMark(before)}</td>
                <td className="r num">{shocked === undefined ? "—" : formatMark(shocked)}</td>
                <td className="r num">{final === undefined ? "—" : formatMark(final)}</td>
                <td className={`r num${change !== undefined && change < 0 ? " tone-bad" : change !== undefined && change > 0 ? " tone-ok" : " muted"}`}>
                  {change === undefined ? "—" : formatPct(change, 2, true)}
                </td>
                <td className="r num" title={`${formatUsd(d.depthPer1Pct)} USD${d.overridden ? " (overridden for this run)" : " (the market's own)"}`}>
                  {formatUsdCompact(d.depthPer1Pct)}{d.overridden ? <span className="badge badge-warning depth-override">override</span> : null}
                </td>
                <td className="r num" title={`${formatUsd(liquidated)} USD`}>{liquidated === 0 ? "0" : formatUsdCompact(liquidated)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </ScrollX>
  );
}

/** Every round of the cascade (spec §8: report each round). */
export function CascadeRoundsTable({ response }: { response: DeskStressResponse }) {
  const { cascade } = response.result;
  return (
    <details className="stress-rounds">
      <summary>Each round ({formatCount(cascade.rounds.length)})</summary>
      <ScrollX className="table-scroll" style={{ maxHeight: 260 }}>
        <table className="table" data-testid="cascade-rounds">
          <thead>
            <tr>
              <th className="r">round</th>
              <th className="r">accounts</th>
              <th className="r">liquidated, USD</th>
              <th>marks after</th>
              <th className="r">deficits, USD</th>
              <th className="r">uncovered, USD</th>
              <th className="r">fund after, USD</th>
            </tr>
          </thead>
          <tbody>
            {cascade.rounds.map((r) => (
              <tr key={r.round} data-testid={`cascade-round-${r.round}`} data-accounts={r.accountsLiquidated}>
                <td className="r num">{r.round}</td>
                <td className="r num">{formatCount(r.accountsLiquidated)}</td>
                <td className="r num" title={`${formatUsd(r.liquidatedNotional)} USD`}>{formatUsdCompact(r.liquidatedNotional)}</td>
                <td className="num" title={r.markets.map((m) => `${m.marketId} ${formatMark(m.markBefore)} → ${formatMark(m.markAfter)}`).join("\n")}>
                  {r.markets.map((m) => `${m.marketId} ${formatPct(m.markAfter / m.markBefore - 1, 2, true)}`).join(", ")}
                </td>
                <td className="r num">{formatUsdCompact(r.deficits)}</td>
                <td className={`r num${r.uncovered > 0 ? " tone-bad" : ""}`}>{formatUsdCompact(r.uncovered)}</td>
                <td className="r num">{formatUsdCompact(r.insuranceFundAfter)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollX>
    </details>
  );
}
