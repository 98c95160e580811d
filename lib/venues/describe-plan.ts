import type { TierParams } from "@/lib/risk";
import type { MarketRecord, PlannedMarket } from "./market-plan";

const UNITS: Partial<Record<keyof MarketRecord, string>> = {
  lotSize: "base units", tickSize: "USD", liquidationFeeRate: "(fraction)", halfSpreadBps: "bps", depthPer1Pct: "USD",
};

function tierText(t: TierParams | undefined): string {
  if (!t) return "—";
  const cap = t.maxNotional === null ? "unbounded" : `≤ ${t.maxNotional} USD`;
  return `${cap}, mmr ${t.mmr}, ${t.maxLeverage}x`;
}

/**
 * What an import does, market by market, before → after, for the desk to read (`--dry-run` prints
 * it; an import prints it too): new markets with every field, changed ones with the fields that
 * change and each tier side by side, unchanged ones on one line.
 */
export function describePlan(plan: readonly PlannedMarket[]): string[] {
  const lines: string[] = [];
  for (const m of plan) {
    const head = `${m.id} (${m.venue} ${m.symbol})`;
    if (m.changed.length === 0) {
      lines.push(`${head}: unchanged`);
      continue;
    }
    lines.push(`${head}: ${m.before ? `update (${m.changed.join(", ")})` : "new market"}`);
    for (const f of ["lotSize", "tickSize", "liquidationFeeRate", "halfSpreadBps", "depthPer1Pct"] as const) {
      if (!m.changed.includes(f)) continue;
      lines.push(`  ${f}: ${m.before ? `${m.before[f]} → ` : ""}${m.after[f]} ${UNITS[f]}`);
    }
    if (m.changed.includes("tiers")) {
      const n = Math.max(m.before?.tiers.length ?? 0, m.after.tiers.length);
      for (let k = 0; k < n; k++) {
        lines.push(m.before
          ? `  tier ${k + 1}: ${tierText(m.before.tiers[k])}  →  ${tierText(m.after.tiers[k])}`
          : `  tier ${k + 1}: ${tierText(m.after.tiers[k])}`);
      }
    }
  }
  const created = plan.filter((m) => !m.before).length;
  const updated = plan.filter((m) => m.before && m.changed.length > 0).length;
  lines.push(`${plan.length} market(s): ${created} new, ${updated} updated, ${plan.length - created - updated} unchanged`);
  return lines;
}
