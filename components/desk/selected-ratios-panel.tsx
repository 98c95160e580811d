"use client";
import { memo } from "react";
import type { AccountDetail } from "@/lib/contracts/desk";
import { useAccounts } from "@/lib/client/use-account";
import { useElementView } from "@/lib/client/use-element-view";
import { useLiveValue } from "@/lib/client/use-live-value";
import { SELECTED_RATIOS_BEAT } from "@/lib/client/redraw-beats";
import { isNotFound } from "@/lib/client/fetch-json";
import { Panel } from "@/components/ui/panel";
import { MarginRatio } from "@/components/ui/margin-ratio";
import { RatioSeriesChart, type RatioSeries } from "@/components/charts/ratio-series-chart";
import { SERIES_COLORS } from "@/components/charts/chart-theme";

/** The chart redraws at most every 2 s (SELECTED_RATIOS_BEAT; the accounts are polled in turn), only on screen and only when a point changed. */
interface ChartData {
  series: RatioSeries[];
  from: number;
  to: number;
}

/** Live margin ratio of the accounts checked in the at-risk table, polled every 2 s while on screen. */
export const SelectedRatiosPanel = memo(function SelectedRatiosPanel({ ids, onRemove, stale, staleAfterMs }: {
  ids: readonly string[];
  onRemove: (id: string) => void;
  stale: boolean;
  staleAfterMs: number;
}) {
  const { ref, onScreen } = useElementView<HTMLDivElement>();
  const results = useAccounts(ids, onScreen);
  const updatedAt = Math.max(0, ...results.map((r) => r.dataUpdatedAt));
  const chart = useLiveValue(chartData(ids, results.map((r) => r.data)), { beat: SELECTED_RATIOS_BEAT, active: onScreen, same: sameChart });
  return (
    <Panel title="Margin ratio of selected accounts" subtitle="MM / equity; 100% = liquidation, higher is worse · last 10 min"
      className="h-series" testId="ratio-series-panel"
      freshness={ids.length ? { ts: updatedAt || null, stale: stale || results.some((r) => r.isError), staleAfterMs } : undefined}>
      <div ref={ref}>
      {ids.length === 0 ? (
        <div className="query-state" style={{ height: 240 }}>Check accounts in the table to chart their margin ratio here.</div>
      ) : (
        <>
          <RatioSeriesChart series={chart.series} height={240} from={chart.from} to={chart.to} />
          <ul className="series-list">
            {ids.map((id, i) => {
              const r = results[i];
              return (
                <li key={id}>
                  <span className="series-swatch" style={{ background: SERIES_COLORS[i % SERIES_COLORS.length] }} aria-hidden />
                  <a href={`/desk/accounts/${encodeURIComponent(id)}`}>{id}</a>{" "}
                  {r?.data ? <MarginRatio ratio={r.data.view.marginRatio} /> : r?.error ? (
                    <span className="tone-bad">{isNotFound(r.error) ? "gone" : "error"}</span>
                  ) : <span className="muted">…</span>}
                  <button type="button" className="link-button" onClick={() => onRemove(id)} aria-label={`stop charting ${id}`}>×</button>
                </li>
              );
            })}
          </ul>
        </>
      )}
      </div>
    </Panel>
  );
});

/** Each account's margin ratio in percent over the last ten minutes (or since its oldest point), the live figure as the newest point. */
function chartData(ids: readonly string[], details: (AccountDetail | undefined)[]): ChartData {
  const series: RatioSeries[] = [];
  details.forEach((d, i) => {
    if (!d) return;
    const points = d.history.map((h) => ({ ts: h.ts, ratio: h.marginRatio === null ? null : h.marginRatio * 100 }));
    // The history is sampled every few seconds.
    const last = points[points.length - 1];
    if (!last || d.serverTime > last.ts) points.push({ ts: d.serverTime, ratio: d.view.marginRatio === null ? null : d.view.marginRatio * 100 });
    series.push({ id: ids[i]!, color: SERIES_COLORS[i % SERIES_COLORS.length]!, points });
  });
  const to = Math.max(0, ...series.flatMap((s) => s.points.slice(-1).map((p) => p.ts)));
  const oldest = Math.min(to, ...series.flatMap((s) => s.points.slice(0, 1).map((p) => p.ts)));
  const from = Math.max(to - 10 * 60_000, oldest);
  return { series: series.map((s) => ({ ...s, points: s.points.filter((p) => p.ts >= from) })), from, to };
}

/** Same accounts, same span, same points (a poll that brought nothing new redraws nothing). */
function sameChart(a: ChartData, b: ChartData): boolean {
  return a.from === b.from && a.to === b.to && a.series.length === b.series.length && a.series.every((s, i) => {
    const t = b.series[i]!;
    const x = s.points[s.points.length - 1];
    const y = t.points[t.points.length - 1];
    return s.id === t.id && s.color === t.color && s.points.length === t.points.length && x?.ts === y?.ts && x?.ratio === y?.ratio;
  });
}
