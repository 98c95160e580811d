import { accountStatusCode } from "./account-status";
import type { CompiledMarket } from "./compile-market";
import type { RiskParams } from "./risk-params";

/**
 * Positions as columns, grouped by account: the positions of account `a` are the rows
 * `accountStart[a] .. accountStart[a + 1] - 1`. `market` holds an index into the markets array.
 */
export interface PositionColumns {
  readonly market: Int32Array | Uint32Array | Uint16Array;
  /** Signed quantity (`+` long, `-` short); 0 = no position. */
  readonly qty: Float64Array;
  readonly entryPrice: Float64Array;
}

export interface AccountColumns {
  /** Length `accounts + 1`; `accountStart[accounts]` is the number of position rows. */
  readonly accountStart: Int32Array | Uint32Array;
  readonly collateral: Float64Array;
}

/** Per-account outputs, one row per account (status as a code, see `ACCOUNT_STATUSES`). */
export interface AccountFigureColumns {
  readonly equity: Float64Array;
  readonly maintenanceMargin: Float64Array;
  readonly initialMargin: Float64Array;
  readonly status: Uint8Array;
}

/** Optional per-position outputs, one row per position (what incremental revaluation keeps). */
export interface PositionFigureColumns {
  readonly notional: Float64Array;
  readonly unrealizedPnl: Float64Array;
  readonly maintenanceMargin: Float64Array;
}

/**
 * Spec §3 figures for accounts `from .. to - 1` over columnar data, writing into caller-owned
 * arrays: no allocation per account or position. `marks[m]` is the mark of `markets[m]`. Sums run in
 * row order, so the figures equal `accountFigures` on the same positions in the same order.
 */
export function accountFiguresColumnar(
  markets: readonly CompiledMarket[],
  marks: Float64Array,
  positions: PositionColumns,
  accounts: AccountColumns,
  out: AccountFigureColumns,
  params: Pick<RiskParams, "warnRatio" | "backstopFraction">,
  positionOut?: PositionFigureColumns,
  from = 0,
  to = accounts.collateral.length,
): void {
  const { market: posMarket, qty: posQty, entryPrice: posEntry } = positions;
  const { accountStart, collateral } = accounts;
  const { warnRatio, backstopFraction } = params;
  for (let a = from; a < to; a++) {
    let equity = collateral[a]!;
    let mmSum = 0;
    let imSum = 0;
    let held = 0;
    const end = accountStart[a + 1]!;
    for (let i = accountStart[a]!; i < end; i++) {
      const q = posQty[i]!;
      if (q === 0) {
        if (positionOut) {
          positionOut.notional[i] = 0;
          positionOut.unrealizedPnl[i] = 0;
          positionOut.maintenanceMargin[i] = 0;
        }
        continue;
      }
      const mi = posMarket[i]!;
      const m = markets[mi]!;
      const price = marks[mi]!;
      const notional = (q < 0 ? -q : q) * price;
      const caps = m.caps;
      let k = 0;
      while (notional > caps[k]!) k++;
      const upnl = q * (price - posEntry[i]!);
      const mm = notional * m.mmr[k]! - m.cum[k]!;
      equity += upnl;
      mmSum += mm;
      imSum += notional / m.maxLeverage[k]!;
      held++;
      if (positionOut) {
        positionOut.notional[i] = notional;
        positionOut.unrealizedPnl[i] = upnl;
        positionOut.maintenanceMargin[i] = mm;
      }
    }
    out.equity[a] = equity;
    out.maintenanceMargin[a] = mmSum;
    out.initialMargin[a] = imSum;
    out.status[a] = accountStatusCode(equity, mmSum, held > 0, warnRatio, backstopFraction);
  }
}
