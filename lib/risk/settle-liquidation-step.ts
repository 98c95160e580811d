import type { CloseSide } from "./execution-cost";
import { exact, Exact } from "./exact-decimal";

/**
 * Settlement of one executed liquidation step (spec §5 execution, §7 insurance fund and bad debt)
 * in exact decimals (`Decimal(38,18)`, spec §1: money that moves never goes through a float).
 * Pure: the caller reads the account, position, market and fund inside its transaction, calls
 * `settleLiquidationStep`, and writes what it returns (lib/server/execution/persist-liquidation-step.ts).
 */

/** An amount as a decimal string, or a number read as written (`String(n)`); rounded to 18 decimals. */
export type Amount = string | number;

/** The fill of one close at the venue (spec §5: it filled at its expected price). */
export interface FillInput {
  /** `sell` closes a long, `buy` a short. */
  readonly side: CloseSide;
  /** Closed base quantity, > 0 and at most the position's size. */
  readonly qty: Amount;
  /** The expected price of spec §5 (slippage already inside it), > 0. */
  readonly fillPrice: Amount;
  readonly markPrice: Amount;
  /**
   * Liquidation fee (to the insurance fund), >= 0. Omit it (recommended) to have it computed
   * exactly as `liquidationFeeRate × qty × markPrice` (spec §5) from the market's stored rate,
   * rather than recording a float64 product.
   */
  readonly fee?: Amount | undefined;
  /**
   * Slippage cost `X × a(X)`, >= 0, recorded for display (it is already inside the fill price).
   * Omit it to have it computed exactly as `qty × |markPrice − fillPrice|`.
   */
  readonly slippage?: Amount | undefined;
}

/** A fill's figures as exact decimals, checked. */
export interface Fill {
  readonly side: CloseSide;
  readonly qty: Exact;
  readonly fillPrice: Exact;
  readonly markPrice: Exact;
  /** `null`: computed from the market's fee rate at settlement. */
  readonly fee: Exact | null;
  readonly slippage: Exact;
}

/**
 * The fill's figures as exact decimals (18 decimals, half away from zero). Throws when a quantity
 * or price is not > 0 or a fee or slippage is negative: such a step is never settled.
 */
export function liquidationFill(input: FillInput): Fill {
  const qty = exact(input.qty);
  const fillPrice = exact(input.fillPrice);
  const markPrice = exact(input.markPrice);
  const fee = input.fee === undefined ? null : exact(input.fee);
  const slippage = input.slippage === undefined
    ? qty.times(markPrice.minus(fillPrice).abs()).toDecimalPlaces(18)
    : exact(input.slippage);
  if (!qty.gt(0) || !fillPrice.gt(0) || !markPrice.gt(0) || fee?.lt(0) || slippage.lt(0)) {
    throw new Error(`invalid liquidation step ${JSON.stringify(input)}: qty and prices must be > 0, fee and slippage >= 0`);
  }
  return { side: input.side, qty, fillPrice, markPrice, fee, slippage };
}

/**
 * Why closing `qty` on `side` does not close part of a position of signed size `positionQty`
 * (none held, the other side, or more than it holds), or null when it does.
 */
export function closeMismatch(positionQty: Exact, side: CloseSide, qty: Exact): string | null {
  if (positionQty.isZero()) return "no open position";
  const closing: CloseSide = positionQty.gt(0) ? "sell" : "buy";
  if (side !== closing) return `${side} does not close the position (qty ${positionQty.toFixed()})`;
  if (qty.gt(positionQty.abs())) return `closing ${qty.toFixed()} exceeds the position (qty ${positionQty.toFixed()})`;
  return null;
}

/** What the step is applied to, as the system of record holds it (decimal strings). */
export interface SettlementState {
  /** The account's collateral before the step (may be negative: a debt). */
  readonly collateral: Amount;
  /** The position's signed quantity before the step. */
  readonly positionQty: Amount;
  readonly entryPrice: Amount;
  /** The market's `liquidationFeeRate` (spec §2), for a fill without its own fee. */
  readonly feeRate: Amount;
  /** Open positions the account holds in other markets: while it holds any, a negative balance is not settled. */
  readonly otherOpenPositions: number;
  /** The insurance fund's balance before the step. */
  readonly fundBalance: Amount;
  /**
   * Spec §11: the position's own margin when it is isolated (absent or null: cross). An isolated
   * step settles against this margin and the insurance fund only: `collateral` (the cross balance)
   * is returned unchanged, `otherOpenPositions` is not read (the unit has one position).
   */
  readonly isolatedMargin?: Amount | null | undefined;
}

/** Which balance a settlement's ledger entries move: the account's cross collateral or the position's isolated margin. */
export type MarginBalance = "cross" | "isolated";

/** One ledger entry: signed amount, and the balance right after it. */
export interface SettlementEntry<K extends string> {
  readonly kind: K;
  readonly amount: Exact;
  readonly balanceAfter: Exact;
}

export type CollateralEntryKind = "realized_pnl" | "liquidation_fee" | "insurance_payment";
export type FundEntryKind = "fee" | "deficit_payment" | "uncovered_bad_debt";

export interface Settlement {
  /** The position's quantity after the step ("0": closed); its entry price is unchanged. */
  readonly positionQty: Exact;
  /** `qty × markPrice`. */
  readonly notional: Exact;
  readonly fee: Exact;
  readonly slippage: Exact;
  /** `qty × (fillPrice − entryPrice) × sign(position)` (slippage is inside the fill price). */
  readonly realizedPnl: Exact;
  /** The negative balance settled at this step (covered + uncovered), 0 when none is. */
  readonly deficit: Exact;
  /** Paid by the fund to the account, 0 when none. */
  readonly insurancePayment: Exact;
  /** What the fund could not pay: the account keeps it as a negative balance. */
  readonly uncoveredBadDebt: Exact;
  /** The balance the `ledger` entries move (spec §11): `cross` collateral or the position's `isolated` margin. */
  readonly balance: MarginBalance;
  /** The account's cross collateral after the step (unchanged by an isolated step). */
  readonly collateral: Exact;
  /** An isolated position's margin after the step; `null` for a cross step. */
  readonly isolatedMargin: Exact | null;
  /** The fund's balance after the step. */
  readonly fundBalance: Exact;
  /** Collateral ledger entries in order: realized_pnl, liquidation_fee, then insurance_payment when the fund pays. */
  readonly ledger: readonly SettlementEntry<CollateralEntryKind>[];
  /**
   * Fund ledger entries in order: fee, then deficit_payment when it pays, then uncovered_bad_debt
   * when it cannot pay it all (amount −uncovered; the balance does not move).
   */
  readonly fund: readonly SettlementEntry<FundEntryKind>[];
}

/**
 * Settles one close (spec §5, §7), exactly:
 *
 * 1. realised PnL of the closed `x`: `x × (fillPrice − entryPrice) × sign(qty)`, rounded to 18
 *    decimals; the position shrinks by `x`;
 * 2. the fee is the fill's, or `liquidationFeeRate × x × markPrice` (spec §5), rounded to 18
 *    decimals: it is not capped by what the account has left (a fee the account cannot pay deepens
 *    its deficit, which the fund then pays back as far as it can); the account pays it, the fund
 *    receives it;
 * 3. when the balance is then negative and the account holds no open position any more (this close
 *    was its last), the deficit is settled: the fund, its fee included, pays it as far as its
 *    balance allows (never below 0), and the rest is uncovered bad debt that the account keeps as a
 *    negative balance (auto-deleveraging is a later stage). While another position is open, or
 *    after a partial close, a negative balance stays on the account and nothing is settled.
 *
 * An isolated position (spec §11, `state.isolatedMargin` set) is its own unit: the balance is its
 * isolated margin, the deficit is settled when this close was the position's last (whatever the
 * account holds elsewhere), and what the fund cannot pay stays on that margin; the cross collateral
 * never moves. What happens to a closed isolated position's remaining margin (released to the
 * cross balance) is the caller's ledger entry, not part of the step.
 *
 * Throws when the fill does not close part of the position (`closeMismatch`).
 */
export function settleLiquidationStep(fill: Fill, state: SettlementState): Settlement {
  const positionQty = exact(state.positionQty);
  const mismatch = closeMismatch(positionQty, fill.side, fill.qty);
  if (mismatch) throw new Error(`liquidation step: ${mismatch}`);
  const sign = positionQty.gt(0) ? 1 : -1;

  const newQty = positionQty.minus(fill.qty.times(sign));
  const realizedPnl = fill.qty.times(fill.fillPrice.minus(exact(state.entryPrice))).times(sign).toDecimalPlaces(18);
  const notional = fill.qty.times(fill.markPrice).toDecimalPlaces(18);
  const fee = fill.fee ?? exact(state.feeRate).times(fill.qty).times(fill.markPrice).toDecimalPlaces(18);
  const isolated = state.isolatedMargin !== undefined && state.isolatedMargin !== null;
  const crossBefore = exact(state.collateral);
  const before = isolated ? exact(state.isolatedMargin!) : crossBefore;
  const afterPnl = before.plus(realizedPnl);
  const afterFee = afterPnl.minus(fee);

  const fundAfterFee = exact(state.fundBalance).plus(fee);
  const settles = afterFee.lt(0) && newQty.isZero() && (isolated || state.otherOpenPositions === 0);
  const deficit = settles ? afterFee.neg() : new Exact(0);
  const payment = Exact.min(deficit, Exact.max(fundAfterFee, 0));
  const uncovered = deficit.minus(payment);
  const balanceAfter = afterFee.plus(payment);
  const fundBalance = fundAfterFee.minus(payment);

  const ledger: SettlementEntry<CollateralEntryKind>[] = [
    { kind: "realized_pnl", amount: realizedPnl, balanceAfter: afterPnl },
    { kind: "liquidation_fee", amount: fee.neg(), balanceAfter: afterFee },
  ];
  if (payment.gt(0)) ledger.push({ kind: "insurance_payment", amount: payment, balanceAfter });
  const fund: SettlementEntry<FundEntryKind>[] = [{ kind: "fee", amount: fee, balanceAfter: fundAfterFee }];
  if (payment.gt(0)) fund.push({ kind: "deficit_payment", amount: payment.neg(), balanceAfter: fundBalance });
  if (uncovered.gt(0)) fund.push({ kind: "uncovered_bad_debt", amount: uncovered.neg(), balanceAfter: fundBalance });

  return {
    positionQty: newQty, notional, fee, slippage: fill.slippage, realizedPnl, deficit,
    insurancePayment: payment, uncoveredBadDebt: uncovered, balance: isolated ? "isolated" : "cross",
    collateral: isolated ? crossBefore : balanceAfter, isolatedMargin: isolated ? balanceAfter : null, fundBalance, ledger, fund,
  };
}
