"use client";
import type { RatioHistogram } from "@/lib/contracts/desk";
import { Panel } from "@/components/ui/panel";
import { memo } from "react";
import { DeskAge } from "./desk-age";
import { RatioHistogramChart } from "@/components/charts/ratio-histogram-chart";
import { formatCount } from "@/lib/format/quantity";

const LEGEND = [
  ["healthy", "< 80%"],
  ["warning", "≥ 80%"],
  ["liquidatable", "≥ 100%"],
  ["backstop", "> 150%"],
  ["bankrupt", "equity ≤ 0"],
] as const;

/** How the book's accounts spread over margin ratio, coloured by band. */
export const RatioHistogramPanel = memo(function RatioHistogramPanel({ histogram, stale, staleAfterMs }: {
  histogram: RatioHistogram;
  stale: boolean;
  staleAfterMs: number;
}) {
  const total = histogram.counts.reduce((a, b) => a + b, 0) + histogram.bankrupt;
  return (
    <Panel title="Margin-ratio distribution" subtitle="margin ratio = MM / equity; 100% = liquidation, higher is worse"
      right={<DeskAge stale={stale} staleAfterMs={staleAfterMs} />} testId="ratio-histogram" className="h-histogram">
      {total === 0 ? (
        <div className="query-state" style={{ height: 220 }}>No account holds a position.</div>
      ) : (
        <RatioHistogramChart histogram={histogram} height={220} />
      )}
      <div className="legend-row">
        {LEGEND.map(([s, label]) => (
          <span key={s} className={`status-count status-${s}`}><span className="status-dot" aria-hidden />{s} {label}</span>
        ))}
      </div>
      <div className="panel-note">
        {formatCount(total)} accounts with positions; {formatCount(histogram.flat)} without positions not shown.
      </div>
    </Panel>
  );
}, (a, b) => a.stale === b.stale && a.staleAfterMs === b.staleAfterMs && sameHistogram(a.histogram, b.histogram));

function sameArray(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** The histogram is resent often with the same counts: redraw only when a count changes. */
function sameHistogram(a: RatioHistogram, b: RatioHistogram): boolean {
  return a === b || (a.bankrupt === b.bankrupt && a.flat === b.flat && sameArray(a.edges, b.edges) && sameArray(a.counts, b.counts));
}
