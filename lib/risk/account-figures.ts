import type { AccountInput, MarketBook, MarkPrices } from "./account-input";
import { accountStatus, type AccountStatus } from "./account-status";
import type { CompiledMarket } from "./compile-market";
import { liquidationPrice } from "./liquidation-price";
import { health, marginRatio } from "./margin-ratio";
import type { RiskParams } from "./risk-params";

/** Figures of one position at its mark (spec §3 and §4). `tier` is 1-based. */
export interface PositionFigures {
  readonly marketId: string;
  readonly qty: number;
  readonly notional: number;
  readonly unrealizedPnl: number;
  readonly maintenanceMargin: number;
  readonly initialMargin: number;
  readonly tier: number;
  readonly liquidationPrice: number | null;
}

/** Figures of one account at mark prices (spec §3). */
export interface AccountFigures {
  readonly equity: number;
  readonly maintenanceMargin: number;
  readonly initialMargin: number;
  readonly marginRatio: number | null;
  readonly health: number | null;
  readonly status: AccountStatus;
  readonly positions: PositionFigures[];
}

/** A position resolved against its market and mark, as `accountFigures` and the planner use it. */
export interface ResolvedPosition {
  readonly market: CompiledMarket;
  readonly qty: number;
  readonly entryPrice: number;
  readonly markPrice: number;
}

/** Looks up each non-zero position's compiled market and mark; throws on an unknown one. */
export function resolvePositions(account: AccountInput, markets: MarketBook, marks: MarkPrices): ResolvedPosition[] {
  const out: ResolvedPosition[] = [];
  for (const p of account.positions) {
    if (p.qty === 0) continue;
    const market = markets.get(p.marketId);
    const markPrice = marks.get(p.marketId);
    if (!market) throw new RangeError(`account ${account.id}: unknown market ${p.marketId}`);
    if (markPrice === undefined) throw new RangeError(`account ${account.id}: no mark price for ${p.marketId}`);
    out.push({ market, qty: p.qty, entryPrice: p.entryPrice, markPrice });
  }
  return out;
}

/**
 * Figures of one account (spec §3) with every position's tier and cross-margin liquidation price
 * (spec §4). Positions with `qty = 0` are not positions and are left out. Sums run in the
 * positions' order.
 */
export function accountFigures(
  account: AccountInput,
  markets: MarketBook,
  marks: MarkPrices,
  params: RiskParams,
): AccountFigures {
  return figuresOfResolved(account.collateral, resolvePositions(account, markets, marks), params);
}

/** `accountFigures` on positions already resolved (see `resolvePositions`). */
export function figuresOfResolved(
  collateral: number,
  positions: readonly ResolvedPosition[],
  params: RiskParams,
): AccountFigures {
  const n = positions.length;
  const notional = new Float64Array(n);
  const upnl = new Float64Array(n);
  const mm = new Float64Array(n);
  const im = new Float64Array(n);
  const tier = new Int32Array(n);
  let equity = collateral;
  let totalMm = 0;
  let totalIm = 0;
  for (let i = 0; i < n; i++) {
    const p = positions[i]!;
    const m = p.market;
    const x = Math.abs(p.qty) * p.markPrice;
    const caps = m.caps;
    let k = 0;
    while (x > caps[k]!) k++;
    notional[i] = x;
    upnl[i] = p.qty * (p.markPrice - p.entryPrice);
    mm[i] = x * m.mmr[k]! - m.cum[k]!;
    im[i] = x / m.maxLeverage[k]!;
    tier[i] = k + 1;
    equity += upnl[i]!;
    totalMm += mm[i]!;
    totalIm += im[i]!;
  }
  const has = n > 0;
  const surplus = equity - totalMm;
  const out: PositionFigures[] = [];
  for (let i = 0; i < n; i++) {
    const p = positions[i]!;
    out.push({
      marketId: p.market.id,
      qty: p.qty,
      notional: notional[i]!,
      unrealizedPnl: upnl[i]!,
      maintenanceMargin: mm[i]!,
      initialMargin: im[i]!,
      tier: tier[i]!,
      liquidationPrice: liquidationPrice(p.market, p.qty, p.entryPrice, restSurplus(collateral, positions, upnl, mm, i, surplus)),
    });
  }
  return {
    equity,
    maintenanceMargin: totalMm,
    initialMargin: totalIm,
    marginRatio: marginRatio(equity, totalMm, has),
    health: health(equity, totalMm, has),
    status: accountStatus(equity, totalMm, has, params.warnRatio, params.backstopFraction),
    positions: out,
  };
}

/**
 * `C' − M'` for position `i`. Summed afresh over the other positions (not `surplus − (upnl_i −
 * mm_i)`) when there are few of them, so that a large position's terms do not cancel away the
 * precision of small ones.
 */
function restSurplus(
  collateral: number,
  positions: readonly ResolvedPosition[],
  upnl: Float64Array,
  mm: Float64Array,
  i: number,
  surplus: number,
): number {
  const n = positions.length;
  if (n > 16) return surplus - (upnl[i]! - mm[i]!);
  let c = collateral;
  let m = 0;
  for (let j = 0; j < n; j++) {
    if (j === i) continue;
    c += upnl[j]!;
    m += mm[j]!;
  }
  return c - m;
}
