"use client";
import type { MarketDisplay } from "@/lib/client/market-index";
import { readDepth, readShockPct } from "@/lib/client/stress-input";
import { formatPrice } from "@/lib/format/price";
import { formatPct } from "@/lib/format/percent";
import { formatUsdCompact } from "@/lib/format/usd";

/** The slider's span (a coarse control); the box takes any shock of spec §8, −99% to +1000%. */
export const SLIDER_LIMIT_PCT = 50;

/**
 * One row per market: a slider and a text box for the shock in percent of the live mark, a box to
 * override its depth for 1% for this run, and what will run (the shock as read and the mark after
 * it). The boxes keep the text as typed (a lone "−" while typing a negative shock stays "−");
 * a value that is not a number or is out of range is shown as an error on its row, never capped.
 */
export function StressShockInputs({ markets, shockText, depthText, marketDepth, onShock, onDepth }: {
  markets: MarketDisplay[];
  shockText: Record<string, string>;
  depthText: Record<string, string>;
  /** Each market's own depthPer1Pct, when known (from the last result). */
  marketDepth: Record<string, number>;
  onShock: (marketId: string, text: string) => void;
  onDepth: (marketId: string, text: string) => void;
}) {
  return (
    <div className="shock-grid">
      <div className="shock-row shock-head" aria-hidden>
        <span>Market</span><span>±{SLIDER_LIMIT_PCT}%</span><span>shock %</span><span>depth 1%, USD</span><span className="r">will run</span>
      </div>
      {markets.map((m) => {
        const shock = readShockPct(m.id, shockText[m.id] ?? "");
        const depth = readDepth(m.id, depthText[m.id] ?? "");
        const pct = shock.kind === "value" ? shock.value : 0;
        const shocked = m.mark === null ? null : m.mark * (1 + pct / 100);
        const sliderValue = Math.max(-SLIDER_LIMIT_PCT, Math.min(SLIDER_LIMIT_PCT, pct));
        const own = marketDepth[m.id];
        const errors = [shock, depth].flatMap((r) => (r.kind === "error" ? [r.message] : []));
        // A market never priced has no mark to shock (the API refuses it at shocks.<market>).
        const unpriced = m.mark === null ? `no price yet for ${m.id}: nothing to shock` : undefined;
        return (
          <div key={m.id} className="shock-block" data-testid={`stress-shock-${m.id}`}>
            <div className="shock-row">
              <label htmlFor={`shock-${m.id}`} className="shock-market">{m.id}</label>
              <input id={`shock-range-${m.id}`} type="range" min={-SLIDER_LIMIT_PCT} max={SLIDER_LIMIT_PCT} step={0.5} value={sliderValue}
                onChange={(e) => onShock(m.id, e.target.value)} aria-label={`${m.id} shock slider, percent`} disabled={unpriced !== undefined} title={unpriced} />
              <span className="shock-number">
                <input id={`shock-${m.id}`} type="text" inputMode="decimal" autoComplete="off" spellCheck={false}
                  value={shockText[m.id] ?? ""} placeholder="0" className={`num w-60${shock.kind === "error" ? " input-error" : ""}`}
                  onChange={(e) => onShock(m.id, e.target.value)} aria-label={`${m.id} shock in percent`}
                  aria-invalid={shock.kind === "error"} data-testid={`stress-shock-input-${m.id}`} disabled={unpriced !== undefined} title={unpriced} />
                <span className="unit">%</span>
              </span>
              <input type="text" inputMode="decimal" autoComplete="off" spellCheck={false} value={depthText[m.id] ?? ""}
                placeholder={own === undefined ? "market's" : formatUsdCompact(own)} className={`num w-80${depth.kind === "error" ? " input-error" : ""}`}
                onChange={(e) => onDepth(m.id, e.target.value)} aria-label={`${m.id} depth for 1%, USD (empty: the market's own)`}
                aria-invalid={depth.kind === "error"} data-testid={`stress-depth-input-${m.id}`}
                title="the net notional that moves this market 1% in the cascade (and prices its closes): empty for the market's own, or a value for this run" />
              <span className={`num shock-mark${shock.kind === "error" ? " tone-bad" : pct < 0 ? " tone-bad" : pct > 0 ? " tone-ok" : " muted"}`}
                title="the shock that will run and the mark after it, USD" data-testid={`stress-will-run-${m.id}`}>
                {shock.kind === "error" ? "invalid" : <>{pct === 0 ? "—" : formatPct(pct / 100, 1, true)} <span className="shock-after">{shocked === null ? "no price yet" : formatPrice(shocked, m.tickSize)}</span></>}
              </span>
            </div>
            {errors.map((e) => <p key={e} className="shock-error" role="alert">{e}</p>)}
          </div>
        );
      })}
    </div>
  );
}
