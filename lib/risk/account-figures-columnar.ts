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
  /**
   * Spec §11: the position's `isolatedMargin` (USD) when it is isolated, `NaN` when it is cross.
   * Absent: every position is cross.
   */
  readonly isolatedMargin?: Float64Array | undefined;
}

export interface AccountColumns {
  /** Length `accounts + 1`; `accountStart[accounts]` is the number of position rows. */
  readonly accountStart: Int32Array | Uint32Array;
  readonly collateral: Float64Array;
}

/**
 * Per-account outputs, one row per account (status as a code, see `ACCOUNT_STATUSES`). `equity`,
 * `maintenanceMargin` and `initialMargin` are the cross figures (collateral and cross positions);
 * `status` is the account's: the worst of its cross part and each isolated position (spec §11);
 * `crossStatus`, when given, receives the cross part's own status.
 */
export interface AccountFigureColumns {
  readonly equity: Float64Array;
  readonly maintenanceMargin: Float64Array;
  readonly initialMargin: Float64Array;
  readonly status: Uint8Array;
  readonly crossStatus?: Uint8Array | undefined;
}

/** `PositionFigureColumns.status` of a cross position (or no position): it is not a unit of its own. */
export const NOT_A_UNIT = 255;

/**
 * Optional per-position outputs, one row per position (what incremental revaluation keeps).
 * `equity` and `status`, when given, receive an isolated position's own unit equity
 * (`isolatedMargin + uPnL`) and status code; a cross row gets `NaN` and `NOT_A_UNIT`.
 */
export interface PositionFigureColumns {
  readonly notional: Float64Array;
  readonly unrealizedPnl: Float64Array;
  readonly maintenanceMargin: Float64Array;
  readonly equity?: Float64Array | undefined;
  readonly status?: Uint8Array | undefined;
}

/**
 * Spec §3 figures (and §11's units) for accounts `from .. to - 1` over columnar data, writing into
 * caller-owned arrays: no allocation per account or position. `marks[m]` is the mark of
 * `markets[m]`. Sums run in row order over cross rows, so the figures equal `accountFigures` on the
 * same positions in the same order.
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
  const { market: posMarket, qty: posQty, entryPrice: posEntry, isolatedMargin: posIso } = positions;
  const { accountStart, collateral } = accounts;
  const { warnRatio, backstopFraction } = params;
  const crossOut = out.crossStatus;
  const unitEquity = positionOut?.equity;
  const unitStatus = positionOut?.status;
  for (let a = from; a < to; a++) {
    let equity = collateral[a]!;
    let mmSum = 0;
    let imSum = 0;
    let held = 0;
    let worstUnit = 0;
    const end = accountStart[a + 1]!;
    for (let i = accountStart[a]!; i < end; i++) {
      const q = posQty[i]!;
      if (q === 0) {
        if (positionOut) {
          positionOut.notional[i] = 0;
          positionOut.unrealizedPnl[i] = 0;
          positionOut.maintenanceMargin[i] = 0;
          if (unitEquity) unitEquity[i] = NaN;
          if (unitStatus) unitStatus[i] = NOT_A_UNIT;
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
      if (positionOut) {
        positionOut.notional[i] = notional;
        positionOut.unrealizedPnl[i] = upnl;
        positionOut.maintenanceMargin[i] = mm;
      }
      const iso = posIso === undefined ? NaN : posIso[i]!;
      if (iso === iso) {
        // Isolated (spec §11): a unit of its own, never summed into the cross figures.
        const unitEq = iso + upnl;
        const code = accountStatusCode(unitEq, mm, true, warnRatio, backstopFraction);
        if (code > worstUnit) worstUnit = code;
        if (unitEquity) unitEquity[i] = unitEq;
        if (unitStatus) unitStatus[i] = code;
        continue;
      }
      if (unitEquity) unitEquity[i] = NaN;
      if (unitStatus) unitStatus[i] = NOT_A_UNIT;
      equity += upnl;
      mmSum += mm;
      imSum += notional / m.maxLeverage[k]!;
      held++;
    }
    out.equity[a] = equity;
    out.maintenanceMargin[a] = mmSum;
    out.initialMargin[a] = imSum;
    const cross = accountStatusCode(equity, mmSum, held > 0, warnRatio, backstopFraction);
    if (crossOut) crossOut[a] = cross;
    out.status[a] = cross > worstUnit ? cross : worstUnit;
  }
}
