"use client";
import { memo } from "react";
import type { RatioHistogram } from "@/lib/contracts/book-views";
import { useElementView } from "@/lib/client/use-element-view";
import { useLiveValue } from "@/lib/client/use-live-value";
import { HISTOGRAM_BEAT } from "@/lib/client/redraw-beats";
import { useHeldWhile } from "@/lib/client/use-held-while";
import { formatCount, formatCountOf } from "@/lib/format/quantity";
import { Panel } from "@/components/ui/panel";
import { RatioHistogramChart } from "@/components/charts/ratio-histogram-chart";

const LEGEND = [
  ["healthy", "< 80%"],
  ["warning", "≥ 80%"],
  ["liquidatable", "≥ 100%"],
  ["backstop", "> 150%"],
  ["bankrupt", "equity ≤ 0"],
] as const;

/** The chart redraws at most once a second (HISTOGRAM_BEAT), only while on screen and only when a count changed. */const CHART_HEIGHT = 200;

/** How the book's accounts spread over margin ratio, coloured by band. */
export const RatioHistogramPanel = memo(function RatioHistogramPanel({ histogram, ts: liveTs, stale, staleAfterMs }: {
  histogram: RatioHistogram;
  /** Server time of the desk state shown. */
  ts: number;
  stale: boolean;
  staleAfterMs: number;
}) {
  const { ref: viewRef, onScreen } = useElementView<HTMLDivElement>();
  const ts = useHeldWhile(liveTs, !onScreen);
  const shown = useLiveValue(histogram, { beat: HISTOGRAM_BEAT, active: onScreen, same: sameHistogram });
  const total = shown.counts.reduce((a, b) => a + b, 0) + shown.bankrupt;
  return (
    <Panel title="Margin-ratio distribution" subtitle="margin ratio = MM / equity; 100% = liquidation, higher is worse"
      freshness={{ ts, stale, staleAfterMs }} testId="ratio-histogram" className="h-histogram">
      <div ref={viewRef}>
        {total === 0 ? (
          <div className="query-state" style={{ height: CHART_HEIGHT }}>No account holds a position.</div>
        ) : (
          <RatioHistogramChart histogram={shown} height={CHART_HEIGHT} />
        )}
      </div>
      <div className="legend-row">
        {LEGEND.map(([s, label]) => (
          <span key={s} className={`status-count status-${s}`}><span className="status-dot" aria-hidden />{s} {label}</span>
        ))}
      </div>
      <div className="panel-note">
        {formatCountOf(total, "account")} with positions; {formatCount(shown.flat)} without positions not shown{shown.unknown > 0 ? <>; <span data-testid="histogram-unknown">{formatCountOf(shown.unknown, "account")} of unknown ratio (no price yet for a market held)</span></> : null}.
      </div>
    </Panel>
  );
});

function sameArray(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** The histogram is resent often with the same counts: it is the same while every count is. */
function sameHistogram(a: RatioHistogram, b: RatioHistogram): boolean {
  return a.bankrupt === b.bankrupt && a.flat === b.flat && a.unknown === b.unknown && sameArray(a.edges, b.edges) && sameArray(a.counts, b.counts);
}
