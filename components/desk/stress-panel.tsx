"use client";
import { memo, useState } from "react";
import type { DeskStressResponse } from "@/lib/contracts/desk";
import type { MarketDisplay } from "@/lib/client/market-index";
import { useStress } from "@/lib/client/use-stress";
import { useElementView } from "@/lib/client/use-element-view";
import { useHeldWhile } from "@/lib/client/use-held-while";
import { Panel } from "@/components/ui/panel";
import { QueryState, errorMessage } from "@/components/ui/query-state";
import { stressRequestOf } from "@/lib/client/stress-input";
import { formatPct } from "@/lib/format/percent";
import { formatUsdCompact } from "@/lib/format/usd";
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
  // The boxes hold the text as typed; the request is read from it (and refused while any box is invalid).
  const [shockText, setShockText] = useState<Record<string, string>>({});
  const [depthText, setDepthText] = useState<Record<string, string>>({});
  const [refused, setRefused] = useState<string[]>([]);
  const stress = useStress();
  // The last result stays on screen while the next run is pending: no layout jump.
  const [last, setLast] = useState<{ response: DeskStressResponse; shocks: Record<string, number> } | null>(null);
  const request = stressRequestOf(markets.map((m) => m.id), shockText, depthText);
  const marketDepth = last ? Object.fromEntries(Object.entries(last.response.result.depth).filter(([, d]) => !d.overridden).map(([id, d]) => [id, d.depthPer1Pct])) : {};
  const run = () => {
    if (!request.ok) {
      setRefused(request.errors);
      return;
    }
    setRefused([]);
    const { shocks, depthPer1Pct } = request;
    const body = Object.keys(depthPer1Pct).length > 0 ? { shocks, depthPer1Pct } : { shocks };
    stress.mutate(body, { onSuccess: (response) => setLast({ response, shocks }) });
  };
  const edit = (set: typeof setShockText) => (id: string, text: string) => {
    setRefused([]);
    set((s) => ({ ...s, [id]: text }));
  };
  const setAll = (pct: number) => {
    setRefused([]);
    // Markets never priced have no mark to shock: the presets leave them out.
    setShockText(Object.fromEntries(markets.filter((m) => m.mark !== null).map((m) => [m.id, String(pct)])));
  };
  const edited = Object.values(shockText).some((t) => t.trim() !== "") || Object.values(depthText).some((t) => t.trim() !== "");
  const willRun = request.ok
    ? [
        Object.entries(request.shocks).map(([id, s]) => `${id} ${formatPct(s, 1, true)}`).join(", ") || "no shock",
        Object.keys(request.depthPer1Pct).length === 0 ? "every market's own depth"
          : `depth for 1% overridden: ${Object.entries(request.depthPer1Pct).map(([id, d]) => `${id} ${formatUsdCompact(d)} USD`).join(", ")}`,
      ].join(" · ")
    : `${request.errors.length} box${request.errors.length === 1 ? "" : "es"} to fix before a run`;
  return (
    <Panel title="Stress test" className="span-12" testId="stress-panel"
      subtitle="shock the marks (−99% to +1000%), then cascade: each round's net sells move a mark by ×exp(−0.01·net/depth for 1%), until a round liquidates nothing or 50 rounds (spec §8)">
      <div className="stress-layout">
        <form className="stress-form" ref={ref} onSubmit={(e) => { e.preventDefault(); run(); }}>
          <StressShockInputs markets={markets} shockText={shockText} depthText={depthText} marketDepth={marketDepth}
            onShock={edit(setShockText)} onDepth={edit(setDepthText)} />
          <p className={`stress-will-run${request.ok ? "" : " tone-bad"}`} data-testid="stress-will-run">Will run: {willRun}</p>
          {refused.length > 0 ? (
            <div className="stress-refused" role="alert" data-testid="stress-refused">
              Not run: {refused.join("; ")}.
            </div>
          ) : null}
          <div className="stress-actions">
            {PRESETS.map((p) => <button key={p.label} type="button" className="button-quiet" onClick={() => setAll(p.pct)}>{p.label}</button>)}
            <button type="button" className="button-quiet" onClick={() => { setShockText({}); setDepthText({}); setRefused([]); }} disabled={!edited}>reset</button>
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
