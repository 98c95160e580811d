import { isolatedMarginOf, type AccountInput, type MarketBook, type MarkPrices } from "./account-input";
import { ACCOUNT_STATUSES, accountStatusCode, worseStatusCode, type AccountStatus } from "./account-status";
import type { CompiledMarket } from "./compile-market";
import { isolatedUnitFigures } from "./isolated-unit";
import { liquidationPrice } from "./liquidation-price";
import { health, marginRatio } from "./margin-ratio";
import type { RiskParams } from "./risk-params";

/**
 * Figures of one position at its mark (spec §3 and §4). `tier` is 1-based. A cross position has
 * exactly the first eight keys (spec §10's shape); an isolated one (spec §11) adds `marginMode`,
 * `isolatedMargin` and its unit's own `equity`, `marginRatio`, `health` and `status` — its
 * `maintenanceMargin` is the unit's, its `liquidationPrice` the unit's (`C' = isolatedMargin`, `M' = 0`).
 */
export interface PositionFigures {
  readonly marketId: string;
  readonly qty: number;
  readonly notional: number;
  readonly unrealizedPnl: number;
  readonly maintenanceMargin: number;
  readonly initialMargin: number;
  readonly tier: number;
  readonly liquidationPrice: number | null;
  readonly marginMode?: "isolated";
  readonly isolatedMargin?: number;
  readonly equity?: number;
  readonly marginRatio?: number | null;
  readonly health?: number | null;
  readonly status?: AccountStatus;
}

/** The figures of an isolated position: every §11 key present. */
export type IsolatedPositionFigures = PositionFigures &
  Required<Pick<PositionFigures, "marginMode" | "isolatedMargin" | "equity" | "marginRatio" | "health" | "status">>;

/** Whether a position's figures are an isolated unit's (spec §11). */
export function isIsolatedFigures(p: PositionFigures): p is IsolatedPositionFigures {
  return p.marginMode === "isolated";
}

/**
 * Figures of one account at mark prices (spec §3, §11): `equity`, `maintenanceMargin`,
 * `initialMargin`, `marginRatio` and `health` are the cross figures (collateral and the cross
 * positions only); `crossStatus` is the cross part's status; `status` the worst of the cross part
 * and every isolated position (equal to `crossStatus` without isolated positions).
 */
export interface AccountFigures {
  readonly equity: number;
  readonly maintenanceMargin: number;
  readonly initialMargin: number;
  readonly marginRatio: number | null;
  readonly health: number | null;
  readonly status: AccountStatus;
  readonly crossStatus: AccountStatus;
  readonly positions: PositionFigures[];
}

/**
 * A position resolved against its market and mark, as `accountFigures` and the planner use it.
 * `isolatedMargin` set (a finite number) makes it an isolated unit (spec §11); absent or `null`, cross.
 */
export interface ResolvedPosition {
  readonly market: CompiledMarket;
  readonly qty: number;
  readonly entryPrice: number;
  readonly markPrice: number;
  readonly isolatedMargin?: number | null | undefined;
}

/** Whether a resolved position is isolated (spec §11). */
export function isIsolated(p: Pick<ResolvedPosition, "isolatedMargin">): p is { readonly isolatedMargin: number } {
  return p.isolatedMargin !== undefined && p.isolatedMargin !== null;
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
    const isolatedMargin = isolatedMarginOf(p);
    out.push(isolatedMargin === null ? { market, qty: p.qty, entryPrice: p.entryPrice, markPrice } : { market, qty: p.qty, entryPrice: p.entryPrice, markPrice, isolatedMargin });
  }
  return out;
}

/**
 * Figures of one account (spec §3) with every position's tier and liquidation price (spec §4;
 * §11 for isolated positions, each its own unit). Positions with `qty = 0` are not positions and
 * are left out. Sums run in the positions' order, over cross positions only.
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
  let crossCount = 0;
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
    if (isIsolated(p)) continue;
    crossCount++;
    equity += upnl[i]!;
    totalMm += mm[i]!;
    totalIm += im[i]!;
  }
  const has = crossCount > 0;
  const surplus = equity - totalMm;
  const crossCode = accountStatusCode(equity, totalMm, has, params.warnRatio, params.backstopFraction);
  let worst = crossCode;
  const out: PositionFigures[] = [];
  for (let i = 0; i < n; i++) {
    const p = positions[i]!;
    if (isIsolated(p)) {
      const unit = isolatedUnitFigures(p, upnl[i]!, mm[i]!, params);
      worst = worseStatusCode(worst, ACCOUNT_STATUSES.indexOf(unit.status));
      out.push({
        marketId: p.market.id,
        qty: p.qty,
        notional: notional[i]!,
        unrealizedPnl: upnl[i]!,
        maintenanceMargin: mm[i]!,
        initialMargin: im[i]!,
        tier: tier[i]!,
        liquidationPrice: unit.liquidationPrice,
        marginMode: "isolated",
        isolatedMargin: p.isolatedMargin,
        equity: unit.equity,
        marginRatio: unit.marginRatio,
        health: unit.health,
        status: unit.status,
      });
      continue;
    }
    // A plain literal (no spread): cross figures keep one object shape on the hot path.
    out.push({
      marketId: p.market.id,
      qty: p.qty,
      notional: notional[i]!,
      unrealizedPnl: upnl[i]!,
      maintenanceMargin: mm[i]!,
      initialMargin: im[i]!,
      tier: tier[i]!,
      liquidationPrice: liquidationPrice(p.market, p.qty, p.entryPrice, restSurplus(collateral, positions, upnl, mm, i, surplus, crossCount)),
    });
  }
  return {
    equity,
    maintenanceMargin: totalMm,
    initialMargin: totalIm,
    marginRatio: marginRatio(equity, totalMm, has),
    health: health(equity, totalMm, has),
    status: ACCOUNT_STATUSES[worst]!,
    crossStatus: ACCOUNT_STATUSES[crossCode]!,
    positions: out,
  };
}

/**
 * `C' − M'` for cross position `i`, over the other cross positions (spec §11: isolated ones are not
 * part of it). Summed afresh over them (not `surplus − (upnl_i − mm_i)`) when there are few of them,
 * so that a large position's terms do not cancel away the precision of small ones.
 */
function restSurplus(
  collateral: number,
  positions: readonly ResolvedPosition[],
  upnl: Float64Array,
  mm: Float64Array,
  i: number,
  surplus: number,
  crossCount: number,
): number {
  const n = positions.length;
  if (crossCount > 16) return surplus - (upnl[i]! - mm[i]!);
  let c = collateral;
  let m = 0;
  for (let j = 0; j < n; j++) {
    if (j === i || isIsolated(positions[j]!)) continue;
    c += upnl[j]!;
    m += mm[j]!;
  }
  return c - m;
}
