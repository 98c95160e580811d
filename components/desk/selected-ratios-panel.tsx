"use client";
import { memo } from "react";
import { useAccounts } from "@/lib/client/use-account";
import { isNotFound } from "@/lib/client/fetch-json";
import { Panel } from "@/components/ui/panel";
import { Age } from "@/components/ui/age";
import { MarginRatio } from "@/components/ui/margin-ratio";
import { RatioSeriesChart, type RatioSeries } from "@/components/charts/ratio-series-chart";
import { SERIES_COLORS } from "@/components/charts/chart-theme";

/** Live margin ratio of the accounts checked in the at-risk table, polled every 2 s. */
export const SelectedRatiosPanel = memo(function SelectedRatiosPanel({ ids, onRemove, stale, staleAfterMs }: {
  ids: readonly string[];
  onRemove: (id: string) => void;
  stale: boolean;
  staleAfterMs: number;
}) {
  const results = useAccounts(ids);
  const series: RatioSeries[] = [];
  let updatedAt = 0;
  results.forEach((r, i) => {
    const id = ids[i]!;
    if (!r.data) return;
    updatedAt = Math.max(updatedAt, r.dataUpdatedAt);
    const { history, view, serverTime } = r.data;
    const points = history.map((h) => ({ ts: h.ts, ratio: h.marginRatio === null ? null : h.marginRatio * 100 }));
    // The live figure as the newest point: the history is sampled every few seconds.
    const last = points[points.length - 1];
    if (!last || serverTime > last.ts) points.push({ ts: serverTime, ratio: view.marginRatio === null ? null : view.marginRatio * 100 });
    series.push({ id, points });
  });
  const to = Math.max(0, ...series.flatMap((s) => s.points.slice(-1).map((p) => p.ts)));
  // The last ten minutes, or from the oldest point when the history is shorter.
  const oldest = Math.min(to, ...series.flatMap((s) => s.points.slice(0, 1).map((p) => p.ts)));
  const from = Math.max(to - 10 * 60_000, oldest);
  return (
    <Panel title="Margin ratio of selected accounts" subtitle="MM / equity; 100% = liquidation, higher is worse · last 10 min"
      className="h-series" testId="ratio-series-panel"
      right={ids.length ? <Age ts={updatedAt || null} stale={stale || results.some((r) => r.isError)} staleAfterMs={staleAfterMs} /> : null}>
      {ids.length === 0 ? (
        <div className="query-state" style={{ height: 240 }}>Check accounts in the table to chart their margin ratio here.</div>
      ) : (
        <>
          <RatioSeriesChart series={series.map((s) => ({ ...s, points: s.points.filter((p) => p.ts >= from) }))} height={240}
            from={from} to={to} />
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
    </Panel>
  );
});
