import { BOUNDS } from "./bounds";
import { MAX_LOT_DECIMALS, parseLotSize } from "./lot-size";
import { inRange } from "./range-issue";
import type { MarketParams } from "./market-params";
import type { RiskIssue } from "./risk-issue";

const finite = (x: unknown): x is number => typeof x === "number" && Number.isFinite(x);

/**
 * Rejections of spec §2 for one market config, each naming its field under `path`:
 * tiers missing, unsorted (caps strictly ascending) or unbounded before the last; `mmr` decreasing;
 * any rate negative or `>= 1` (`mmr`, `liquidationFeeRate`, and the half spread as a fraction);
 * `lotSize`, `tickSize`, `depthPer1Pct`, `maxNotional`, `maxLeverage` not `> 0`; a lot size with
 * more than 18 decimals; `liquidationFeeRate >= mmr_1`; any non-finite number; and spec §11's
 * `maintenanceFeeRate` (see `maintenanceFeeIssue`). Empty when valid.
 */
export function validateMarket(market: MarketParams, path: readonly (string | number)[] = []): RiskIssue[] {
  const issues: RiskIssue[] = [];
  const at = (field: (string | number)[], message: string) => issues.push({ path: [...path, ...field], message });
  /** > 0, and within `[min, max]` (lib/risk/bounds.ts) when given. */
  const positive = (field: (string | number)[], value: unknown, range?: { min?: number; max: number; unit: string }) => {
    if (!finite(value)) at(field, `must be a finite number (got ${String(value)})`);
    else if (value <= 0) at(field, `must be > 0 (got ${value})`);
    else if (range) inRange(issues, [...path, ...field], value, range.min ?? 0, range.max, range.unit);
  };
  const rate = (field: (string | number)[], value: unknown) => {
    if (!finite(value)) at(field, `must be a finite number (got ${String(value)})`);
    else if (value < 0 || value >= 1) at(field, `must be a rate in [0, 1) (got ${value})`);
  };

  if (typeof market.id !== "string" || market.id.length === 0) at(["id"], "must be a non-empty string");
  positive(["lotSize"], market.lotSize, { max: BOUNDS.market.lotSize.max, unit: "base units" });
  if (finite(market.lotSize) && market.lotSize > 0 && !parseLotSize(market.lotSize)) {
    at(["lotSize"], `must be a decimal with at most ${MAX_LOT_DECIMALS} decimals (got ${market.lotSize})`);
  }
  positive(["tickSize"], market.tickSize, { max: BOUNDS.market.tickSize.max, unit: "USD" });
  rate(["liquidationFeeRate"], market.liquidationFeeRate);
  const hs = market.liquidity?.halfSpreadBps;
  if (!finite(hs)) at(["liquidity", "halfSpreadBps"], `must be a finite number (got ${String(hs)})`);
  else if (hs < 0 || hs >= 10000) at(["liquidity", "halfSpreadBps"], `must be in [0, 10000) bps (got ${hs})`);
  positive(["liquidity", "depthPer1Pct"], market.liquidity?.depthPer1Pct, { ...BOUNDS.market.depthPer1Pct, unit: "USD" });

  const tiers = market.tiers;
  if (!Array.isArray(tiers) || tiers.length === 0) {
    at(["tiers"], "must list at least one tier");
    return issues;
  }
  tiers.forEach((tier, k) => {
    if (tier.maxNotional === null) {
      if (k !== tiers.length - 1) at(["tiers", k, "maxNotional"], "only the last tier may be unbounded (null)");
    } else {
      positive(["tiers", k, "maxNotional"], tier.maxNotional, { ...BOUNDS.market.maxNotional, unit: "USD" });
    }
    rate(["tiers", k, "mmr"], tier.mmr);
    positive(["tiers", k, "maxLeverage"], tier.maxLeverage, { ...BOUNDS.market.maxLeverage, unit: "×" });
    if (k === 0) return;
    const prev = tiers[k - 1]!;
    if (finite(prev.maxNotional) && finite(tier.maxNotional) && tier.maxNotional <= prev.maxNotional) {
      at(
        ["tiers", k, "maxNotional"],
        `tiers must be sorted by maxNotional ascending: ${tier.maxNotional} comes after ${prev.maxNotional}`,
      );
    }
    if (finite(prev.mmr) && finite(tier.mmr) && tier.mmr < prev.mmr) {
      at(["tiers", k, "mmr"], `mmr must not decrease from one tier to the next: ${tier.mmr} comes after ${prev.mmr}`);
    }
  });
  const mmr1 = tiers[0]!.mmr;
  const fee = market.liquidationFeeRate;
  if (finite(fee) && finite(mmr1) && fee >= mmr1) {
    at(
      ["liquidationFeeRate"],
      `must be below the first tier's mmr (${mmr1}), got ${fee}: a fee that large makes a partial liquidation cost more margin than it frees`,
    );
  }
  const feeIssue = maintenanceFeeIssue(market);
  if (feeIssue) at(["maintenanceFeeRate"], feeIssue);
  return issues;
}

/**
 * Spec §11's `maintenanceFeeRate` (optional, default 0): finite and in `[0, 1)`, and, when it is
 * set above 0, with every tier's `mmr` it must leave room for the liquidation fee:
 *
 *     mmr_k + maintenanceFeeRate + liquidationFeeRate < 1   for every tier k
 *
 * (`mmr` does not decrease, so the first tier is the least demanding and the last the binding one).
 * Why: at its liquidation price a unit's equity is `(mmr_k + maintenanceFeeRate)·N` and liquidating
 * it charges `liquidationFeeRate·N` on top. When the three rates reach 1 the venue's requirements
 * claim the whole notional: a fully funded (1×) long, whose equity is its notional at every price
 * and which can never owe anything, would be liquidated, or left owing its liquidation fee; and
 * from `mmr_k + maintenanceFeeRate >= 1` on, `equity − MM` no longer rises with a long's price, so
 * §4's closed form (denominator `Q·(mmr_k + maintenanceFeeRate − 1)`) and the one-root argument
 * behind it fail. §2's own rule for the fee the other way round (`liquidationFeeRate < mmr_1`: a
 * partial liquidation must free more margin than it costs) only gains room from the fee term, as
 * a close frees `(mmr_1 + maintenanceFeeRate)·X`, so it stays as it is. With the rate absent or 0
 * nothing is added: the market is validated exactly as §2 says.
 */
function maintenanceFeeIssue(market: MarketParams): string | null {
  const f = (market as { maintenanceFeeRate?: unknown }).maintenanceFeeRate;
  if (f === undefined) return null;
  if (!finite(f)) return `must be a finite number (got ${String(f)})`;
  if (f < 0 || f >= 1) return `must be a rate in [0, 1) (got ${f})`;
  if (f === 0 || !Array.isArray(market.tiers)) return null;
  const fee = market.liquidationFeeRate;
  const feeRate = finite(fee) ? fee : 0;
  for (let k = 0; k < market.tiers.length; k++) {
    const mmr = market.tiers[k]?.mmr;
    if (!finite(mmr)) continue;
    if (mmr + f + feeRate >= 1) {
      const which = k === 0 ? "the first tier's" : `tiers[${k}]'s`;
      return (
        `${f} with ${which} mmr (${mmr}) leaves no room for the liquidation fee (${feeRate}): ` +
        `mmr + maintenanceFeeRate + liquidationFeeRate must stay below 1 (got ${mmr + f + feeRate})`
      );
    }
  }
  return null;
}
