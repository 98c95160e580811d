import type { AccountDetail } from "@/lib/contracts/desk";
import type { MarginPoint } from "@/components/charts/margin-history-chart";

/** An account's margin history as chart points (ratio in percent), the live figures as the newest point. */
export function marginPointsOf(detail: AccountDetail): MarginPoint[] {
  const { view } = detail;
  const out: MarginPoint[] = detail.history.map((h) => ({
    ts: h.ts, ratio: h.marginRatio === null ? null : h.marginRatio * 100, equity: h.equity, maintenanceMargin: h.maintenanceMargin,
  }));
  const last = out[out.length - 1];
  // Unknown figures (a market never priced) make no point.
  if ((!last || detail.serverTime > last.ts) && view.equity !== null && view.maintenanceMargin !== null) {
    out.push({ ts: detail.serverTime, ratio: view.marginRatio === null ? null : view.marginRatio * 100, equity: view.equity, maintenanceMargin: view.maintenanceMargin });
  }
  return out;
}
