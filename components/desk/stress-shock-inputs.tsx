"use client";
import type { MarketDisplay } from "@/lib/client/market-index";
import { formatPrice } from "@/lib/format/price";

export const SHOCK_LIMIT_PCT = 50;

/** One slider and one number input per market: the shock in percent of the live mark (−50 … +50). */
export function StressShockInputs({ markets, shocksPct, onChange }: {
  markets: MarketDisplay[];
  shocksPct: Record<string, number>;
  onChange: (marketId: string, pct: number) => void;
}) {
  const clamp = (n: number) => Math.max(-SHOCK_LIMIT_PCT, Math.min(SHOCK_LIMIT_PCT, n));
  return (
    <div className="shock-grid">
      <div className="shock-row shock-head" aria-hidden>
        <span>Market</span><span>shock of the live mark</span><span>%</span><span className="r">mark after, USD</span>
      </div>
      {markets.map((m) => {
        const pct = shocksPct[m.id] ?? 0;
        const shocked = m.mark === null ? null : m.mark * (1 + pct / 100);
        return (
          <div key={m.id} className="shock-row" data-testid={`stress-shock-${m.id}`}>
            <label htmlFor={`shock-${m.id}`} className="shock-market">{m.id}</label>
            <input id={`shock-${m.id}`} type="range" min={-SHOCK_LIMIT_PCT} max={SHOCK_LIMIT_PCT} step={0.5} value={pct}
              onChange={(e) => onChange(m.id, clamp(Number(e.target.value)))} aria-label={`${m.id} shock, percent`} />
            <span className="shock-number">
              <input type="number" min={-SHOCK_LIMIT_PCT} max={SHOCK_LIMIT_PCT} step={0.1} value={pct} className="num w-70"
                onChange={(e) => {
                  const n = Number(e.target.value);
                  if (Number.isFinite(n)) onChange(m.id, clamp(n));
                }} aria-label={`${m.id} shock in percent`} data-testid={`stress-shock-input-${m.id}`} />
              <span className="unit">%</span>
            </span>
            <span className={`num shock-mark${pct < 0 ? " tone-bad" : pct > 0 ? " tone-ok" : " muted"}`}
              title="the mark after the shock, USD">{formatPrice(shocked, m.tickSize)}</span>
          </div>
        );
      })}
    </div>
  );
}
