"use client";
import { memo, useState } from "react";
import type { DeskStressResponse } from "@/lib/contracts/desk";
import type { MarketDisplay } from "@/lib/client/market-index";
import { useStress } from "@/lib/client/use-stress";
import { useElementView } from "@/lib/client/use-element-view";
import { useHeldWhile } from "@/lib/client/use-held-while";
import { Panel } from "@/components/ui/panel";
import { QueryState, errorMessage } from "@/components/ui/query-state";
import { StressShockInputs } from "./stress-shock-inputs";
import { StressResultView } from "./stress-result-view";

/** The height of a result (figures, legend, chart): the placeholder takes as much, so a result does not push the page down. */
const OUTPUT_HEIGHT = 480;

const PRESETS: { label: string; pct: number }[] = [
  { label: "all −10%", pct: -10 },
  { label: "all −20%", pct: -20 },
  { label: "all +10%", pct: 10 },
];

/** Shock each market, run spec §8 (shock, then cascade) against the live book, read what it does. */
export const StressPanel = memo(function StressPanel({ markets: liveIndex }: { markets: Map<string, MarketDisplay> }) {
  // The marks ("mark after" each shock) are held while off screen.
  const { ref, onScreen } = useElementView<HTMLFormElement>();
  const index = useHeldWhile(liveIndex, !onScreen);
  const markets = [...index.values()];
  const [shocksPct, setShocksPct] = useState<Record<string, number>>({});
  const stress = useStress();
  // The last result stays on screen while the next run is pending: no layout jump.
  const [last, setLast] = useState<{ response: DeskStressResponse; shocks: Record<string, number> } | null>(null);
  const run = () => {
    const shocks: Record<string, number> = {};
    for (const [id, pct] of Object.entries(shocksPct)) if (pct !== 0) shocks[id] = pct / 100;
    stress.mutate({ shocks }, { onSuccess: (response) => setLast({ response, shocks }) });
  };
  const setAll = (pct: number) => setShocksPct(Object.fromEntries(markets.map((m) => [m.id, pct])));
  const shocked = Object.values(shocksPct).some((p) => p !== 0);
  return (
    <Panel title="Stress test" className="span-12" testId="stress-panel"
      subtitle="shock the marks, then cascade: liquidations move each mark by −1% per depthPer1Pct of net sells, until a round liquidates nothing (spec §8)">
      <div className="stress-layout">
        <form className="stress-form" ref={ref} onSubmit={(e) => { e.preventDefault(); run(); }}>
          <StressShockInputs markets={markets} shocksPct={shocksPct}
            onChange={(id, pct) => setShocksPct((s) => ({ ...s, [id]: pct }))} />
          <div className="stress-actions">
            {PRESETS.map((p) => <button key={p.label} type="button" className="button-quiet" onClick={() => setAll(p.pct)}>{p.label}</button>)}
            <button type="button" className="button-quiet" onClick={() => setShocksPct({})} disabled={!shocked}>reset</button>
            <button type="submit" className="button-primary" disabled={stress.isPending} data-testid="stress-run">
              {stress.isPending ? "Running…" : "Run stress test"}
            </button>
          </div>
        </form>
        <div className="stress-output" aria-live="polite">
          {stress.isError ? (
            <QueryState kind="error" height={OUTPUT_HEIGHT}>The stress test failed: {errorMessage(stress.error)}</QueryState>
          ) : last ? (
            <div className={stress.isPending ? "is-refreshing" : undefined}>
              <StressResultView response={last.response} shocks={last.shocks} />
            </div>
          ) : (
            <QueryState kind={stress.isPending ? "loading" : "empty"} height={OUTPUT_HEIGHT}>
              {stress.isPending ? "Running the shock and the cascade against the live book…" : "Set a shock per market and run: the live book is shocked and cascaded; nothing changes on the venue."}
            </QueryState>
          )}
        </div>
      </div>
    </Panel>
  );
});
