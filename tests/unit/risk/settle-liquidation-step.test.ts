import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  closeMismatch,
  exact,
  liquidationFill,
  settleLiquidationStep,
  type FillInput,
  type Settlement,
  type SettlementState,
} from "@/lib/risk";

/** The settlement's figures and ledger entries as decimal strings, to compare exactly. */
function text(s: Settlement) {
  return {
    positionQty: s.positionQty.toFixed(), notional: s.notional.toFixed(), fee: s.fee.toFixed(), slippage: s.slippage.toFixed(),
    realizedPnl: s.realizedPnl.toFixed(), deficit: s.deficit.toFixed(), insurancePayment: s.insurancePayment.toFixed(),
    uncoveredBadDebt: s.uncoveredBadDebt.toFixed(), collateral: s.collateral.toFixed(), fundBalance: s.fundBalance.toFixed(),
    ledger: s.ledger.map((e) => [e.kind, e.amount.toFixed(), e.balanceAfter.toFixed()]),
    fund: s.fund.map((e) => [e.kind, e.amount.toFixed(), e.balanceAfter.toFixed()]),
  };
}

const settle = (fill: FillInput, state: SettlementState) => text(settleLiquidationStep(liquidationFill(fill), state));

describe("settlement of an executed liquidation step (spec §5, §7), exact", () => {
  it.each([
    {
      name: "a profitable partial close of a long: PnL credited, fee to the fund, nothing settled",
      fill: { side: "sell", qty: 0.25, fillPrice: 61990, markPrice: 62000 },
      state: { collateral: "1000", positionQty: "1", entryPrice: "60000", feeRate: "0.001", otherOpenPositions: 0, fundBalance: "50" },
      // PnL 0.25 × (61990 − 60000) = 497.5; fee 0.001 × 0.25 × 62000 = 15.5; slippage 0.25 × 10 = 2.5
      expected: {
        positionQty: "0.75", notional: "15500", fee: "15.5", slippage: "2.5", realizedPnl: "497.5", deficit: "0",
        insurancePayment: "0", uncoveredBadDebt: "0", collateral: "1482", fundBalance: "65.5",
        ledger: [["realized_pnl", "497.5", "1497.5"], ["liquidation_fee", "-15.5", "1482"]],
        fund: [["fee", "15.5", "65.5"]],
      },
    },
    {
      name: "a losing last close of a short that the collateral covers: no deficit",
      fill: { side: "buy", qty: 2, fillPrice: 3100.5, markPrice: 3100 },
      state: { collateral: "300", positionQty: "-2", entryPrice: "3000", feeRate: "0.0005", otherOpenPositions: 0, fundBalance: "10" },
      // PnL 2 × (3100.5 − 3000) × −1 = −201; fee 0.0005 × 6200 = 3.1; 300 − 201 − 3.1 = 95.9
      expected: {
        positionQty: "0", notional: "6200", fee: "3.1", slippage: "1", realizedPnl: "-201", deficit: "0",
        insurancePayment: "0", uncoveredBadDebt: "0", collateral: "95.9", fundBalance: "13.1",
        ledger: [["realized_pnl", "-201", "99"], ["liquidation_fee", "-3.1", "95.9"]],
        fund: [["fee", "3.1", "13.1"]],
      },
    },
    {
      name: "a bankrupt last close whose deficit the fund covers: the account ends at 0",
      fill: { side: "buy", qty: 2, fillPrice: 3100.5, markPrice: 3100, fee: 9.3 },
      state: { collateral: "100", positionQty: "-2", entryPrice: "3000", feeRate: "0.0005", otherOpenPositions: 0, fundBalance: "1000" },
      // 100 − 201 − 9.3 = −110.3: the fund (1000 + 9.3) pays it all
      expected: {
        positionQty: "0", notional: "6200", fee: "9.3", slippage: "1", realizedPnl: "-201", deficit: "110.3",
        insurancePayment: "110.3", uncoveredBadDebt: "0", collateral: "0", fundBalance: "899",
        ledger: [["realized_pnl", "-201", "-101"], ["liquidation_fee", "-9.3", "-110.3"], ["insurance_payment", "110.3", "0"]],
        fund: [["fee", "9.3", "1009.3"], ["deficit_payment", "-110.3", "899"]],
      },
    },
    {
      name: "a deficit beyond the fund: it pays all it holds (its fee included), the rest is uncovered bad debt the account keeps",
      fill: { side: "buy", qty: 2, fillPrice: 3100.5, markPrice: 3100, fee: 9.3 },
      state: { collateral: "100", positionQty: "-2", entryPrice: "3000", feeRate: "0.0005", otherOpenPositions: 0, fundBalance: "72.19" },
      // −110.3 against 72.19 + 9.3 = 81.49: 28.81 uncovered, the fund's balance does not move for it
      expected: {
        positionQty: "0", notional: "6200", fee: "9.3", slippage: "1", realizedPnl: "-201", deficit: "110.3",
        insurancePayment: "81.49", uncoveredBadDebt: "28.81", collateral: "-28.81", fundBalance: "0",
        ledger: [["realized_pnl", "-201", "-101"], ["liquidation_fee", "-9.3", "-110.3"], ["insurance_payment", "81.49", "-28.81"]],
        fund: [["fee", "9.3", "81.49"], ["deficit_payment", "-81.49", "0"], ["uncovered_bad_debt", "-28.81", "0"]],
      },
    },
    {
      name: "an empty fund pays back only the fee it just received",
      fill: { side: "sell", qty: 1, fillPrice: 59000, markPrice: 59000 },
      state: { collateral: "500", positionQty: "1", entryPrice: "60000", feeRate: "0.001", otherOpenPositions: 0, fundBalance: "0" },
      // 500 − 1000 − 59 = −559; the fund holds 59
      expected: {
        positionQty: "0", notional: "59000", fee: "59", slippage: "0", realizedPnl: "-1000", deficit: "559",
        insurancePayment: "59", uncoveredBadDebt: "500", collateral: "-500", fundBalance: "0",
        ledger: [["realized_pnl", "-1000", "-500"], ["liquidation_fee", "-59", "-559"], ["insurance_payment", "59", "-500"]],
        fund: [["fee", "59", "59"], ["deficit_payment", "-59", "0"], ["uncovered_bad_debt", "-500", "0"]],
      },
    },
    {
      name: "a fund below zero (only by a fault elsewhere) pays nothing, never a negative payment",
      fill: { side: "sell", qty: 1, fillPrice: 59000, markPrice: 59000, fee: 5 },
      state: { collateral: "500", positionQty: "1", entryPrice: "60000", feeRate: "0.001", otherOpenPositions: 0, fundBalance: "-10" },
      expected: {
        positionQty: "0", notional: "59000", fee: "5", slippage: "0", realizedPnl: "-1000", deficit: "505",
        insurancePayment: "0", uncoveredBadDebt: "505", collateral: "-505", fundBalance: "-5",
        ledger: [["realized_pnl", "-1000", "-500"], ["liquidation_fee", "-5", "-505"]],
        fund: [["fee", "5", "-5"], ["uncovered_bad_debt", "-505", "-5"]],
      },
    },
    {
      name: "a negative balance is not settled while the account holds another open position",
      fill: { side: "sell", qty: 10, fillPrice: 140, markPrice: 140, fee: 2.8 },
      state: { collateral: "5", positionQty: "10", entryPrice: "150", feeRate: "0.002", otherOpenPositions: 1, fundBalance: "1000" },
      expected: {
        positionQty: "0", notional: "1400", fee: "2.8", slippage: "0", realizedPnl: "-100", deficit: "0",
        insurancePayment: "0", uncoveredBadDebt: "0", collateral: "-97.8", fundBalance: "1002.8",
        ledger: [["realized_pnl", "-100", "-95"], ["liquidation_fee", "-2.8", "-97.8"]],
        fund: [["fee", "2.8", "1002.8"]],
      },
    },
    {
      name: "nor after a partial close that leaves part of the position open",
      fill: { side: "sell", qty: 5, fillPrice: 140, markPrice: 140, fee: 1.4 },
      state: { collateral: "5", positionQty: "10", entryPrice: "150", feeRate: "0.002", otherOpenPositions: 0, fundBalance: "1000" },
      expected: {
        positionQty: "5", notional: "700", fee: "1.4", slippage: "0", realizedPnl: "-50", deficit: "0",
        insurancePayment: "0", uncoveredBadDebt: "0", collateral: "-46.4", fundBalance: "1001.4",
        ledger: [["realized_pnl", "-50", "-45"], ["liquidation_fee", "-1.4", "-46.4"]],
        fund: [["fee", "1.4", "1001.4"]],
      },
    },
    {
      name: "the fee is liquidationFeeRate × X (spec §5), not capped by what the account has left: the fund pays it back",
      fill: { side: "sell", qty: 1, fillPrice: 59990, markPrice: 60000 },
      state: { collateral: "10", positionQty: "1", entryPrice: "60000", feeRate: "0.001", otherOpenPositions: 0, fundBalance: "0" },
      // 10 − 10 = 0 before the fee; the fee of 60 is charged in full and is the whole deficit
      expected: {
        positionQty: "0", notional: "60000", fee: "60", slippage: "10", realizedPnl: "-10", deficit: "60",
        insurancePayment: "60", uncoveredBadDebt: "0", collateral: "0", fundBalance: "0",
        ledger: [["realized_pnl", "-10", "0"], ["liquidation_fee", "-60", "-60"], ["insurance_payment", "60", "0"]],
        fund: [["fee", "60", "60"], ["deficit_payment", "-60", "0"]],
      },
    },
  ] as const)("$name", ({ fill, state, expected }) => {
    expect(settle(fill, state)).toEqual(expected);
  });

  it("computes the fee and slippage of the spec §5 example exactly, not as float64 products", () => {
    const s = settle(
      { side: "sell", qty: 2.339, fillPrice: 59972.949, markPrice: 60000 },
      { collateral: "10000", positionQty: "10", entryPrice: "60500", feeRate: "0.001", otherOpenPositions: 0, fundBalance: "0" },
    );
    expect([s.notional, s.fee, s.slippage, s.realizedPnl, s.collateral]).toEqual(["140340", "140.34", "63.272289", "-1232.772289", "8626.887711"]);
    expect(2.339 * (60000 - 59972.949)).not.toBe(63.272289); // what a float64 slippage would have recorded
  });

  it("reads numbers as written, so 3 × (0.3 − 0.1) is 0.6, not 0.6000000000000001", () => {
    const s = settle(
      { side: "sell", qty: 3, fillPrice: 0.3, markPrice: 0.3, fee: 0 },
      { collateral: "0.1", positionQty: "3", entryPrice: "0.1", feeRate: "0", otherOpenPositions: 0, fundBalance: "0" },
    );
    expect([s.realizedPnl, s.collateral]).toEqual(["0.6", "0.7"]);
  });

  it("rounds to the ledger's 18 decimals half away from zero, as PostgreSQL's numeric does", () => {
    // 0.123 × (60500.123456789012345678 − 61000.000000000000000001) × −1 = 61.484814814951481481729
    const short = settle(
      { side: "buy", qty: "0.123", fillPrice: "60500.123456789012345678", markPrice: "60500", fee: "7.44" },
      { collateral: "10", positionQty: "-0.123", entryPrice: "61000.000000000000000001", feeRate: "0.001", otherOpenPositions: 0, fundBalance: "0" },
    );
    expect([short.realizedPnl, short.collateral]).toEqual(["61.484814814951481482", "64.044814814951481482"]);
    // 0.5 × −10⁻¹⁸ = −5 × 10⁻¹⁹: away from zero, −10⁻¹⁸
    const loss = settle(
      { side: "sell", qty: "0.5", fillPrice: "1.000000000000000001", markPrice: "1", fee: 0 },
      { collateral: "1", positionQty: "1", entryPrice: "1.000000000000000002", feeRate: "0", otherOpenPositions: 0, fundBalance: "0" },
    );
    expect(loss.realizedPnl).toBe("-0.000000000000000001");
    // fee 5 × 10⁻¹⁸ × 1 × 0.1 = 5 × 10⁻¹⁹: up to 10⁻¹⁸
    const fee = settle(
      { side: "sell", qty: 1, fillPrice: "0.1", markPrice: "0.1" },
      { collateral: "1", positionQty: "2", entryPrice: "0.1", feeRate: "0.000000000000000005", otherOpenPositions: 0, fundBalance: "0" },
    );
    expect(fee.fee).toBe("0.000000000000000001");
    // inputs too: a quantity with 19 decimals is read at 18
    expect(liquidationFill({ side: "sell", qty: "0.0000000000000000015", fillPrice: 1, markPrice: 1 }).qty.toFixed()).toBe("0.000000000000000002");
  });

  it("refuses a fill that is not a fill: quantity or a price not > 0, a negative fee or slippage", () => {
    const ok = { side: "sell", qty: 1, fillPrice: 100, markPrice: 100 } as const;
    for (const bad of [{ qty: 0 }, { qty: -1 }, { fillPrice: 0 }, { markPrice: -5 }, { fee: -0.01 }, { slippage: "-1" }]) {
      expect(() => liquidationFill({ ...ok, ...bad })).toThrow(/qty and prices must be > 0, fee and slippage >= 0/);
    }
    expect(() => liquidationFill({ ...ok, qty: "abc" })).toThrow();
    expect(liquidationFill({ ...ok, fee: 0, slippage: 0 }).fee?.toFixed()).toBe("0");
  });

  it("refuses to settle a close that does not match the position", () => {
    const q = exact;
    expect(closeMismatch(q("0"), "sell", q("1"))).toBe("no open position");
    expect(closeMismatch(q("2"), "buy", q("1"))).toBe("buy does not close the position (qty 2)");
    expect(closeMismatch(q("-2"), "sell", q("1"))).toBe("sell does not close the position (qty -2)");
    expect(closeMismatch(q("-2"), "buy", q("2.000000000000000001"))).toBe("closing 2.000000000000000001 exceeds the position (qty -2)");
    expect(closeMismatch(q("-2"), "buy", q("2"))).toBeNull();
    const state = { collateral: "1", positionQty: "1", entryPrice: "1", feeRate: "0", otherOpenPositions: 0, fundBalance: "0" };
    expect(() => settle({ side: "buy", qty: 1, fillPrice: 1, markPrice: 1 }, state)).toThrow(/buy does not close/);
    expect(() => settle({ side: "sell", qty: 2, fillPrice: 1, markPrice: 1 }, state)).toThrow(/exceeds the position/);
  });

  it("conserves money: the account and the fund together change by the realised PnL alone, and every entry chains", () => {
    const decimal = (maxCents: number, min = 0) => fc.integer({ min, max: maxCents }).map((c) => (c / 100).toFixed(2));
    fc.assert(fc.property(
      fc.record({
        long: fc.boolean(), held: fc.integer({ min: 1, max: 1000 }), closedShare: fc.integer({ min: 1, max: 1000 }),
        entry: decimal(10_000_000, 1), fill: decimal(10_000_000, 1), collateral: decimal(5_000_000, -5_000_000),
        fund: decimal(5_000_000), feeRate: fc.constantFrom("0", "0.0005", "0.001", "0.0025"), others: fc.constantFrom(0, 0, 1),
      }),
      (r) => {
        const held = (r.held / 100).toFixed(2);
        const closed = exact(held).times(Math.min(r.closedShare, 1000)).div(1000).toDecimalPlaces(2, 1);
        if (!closed.gt(0)) return;
        const s = settleLiquidationStep(
          liquidationFill({ side: r.long ? "sell" : "buy", qty: closed.toFixed(), fillPrice: r.fill, markPrice: r.fill }),
          { collateral: r.collateral, positionQty: r.long ? held : `-${held}`, entryPrice: r.entry, feeRate: r.feeRate, otherOpenPositions: r.others, fundBalance: r.fund },
        );
        const before = exact(r.collateral).plus(r.fund);
        expect(s.collateral.plus(s.fundBalance).minus(before).toFixed()).toBe(s.realizedPnl.toFixed());
        let balance = exact(r.collateral);
        for (const e of s.ledger) expect((balance = balance.plus(e.amount)).toFixed()).toBe(e.balanceAfter.toFixed());
        expect(balance.toFixed()).toBe(s.collateral.toFixed());
        let fund = exact(r.fund);
        for (const e of s.fund) {
          if (e.kind !== "uncovered_bad_debt") fund = fund.plus(e.amount);
          expect(fund.toFixed()).toBe(e.balanceAfter.toFixed());
        }
        expect(s.deficit.toFixed()).toBe(s.insurancePayment.plus(s.uncoveredBadDebt).toFixed());
        expect(s.fundBalance.gte(0)).toBe(true);
        // settled: the account ends at 0 unless the fund ran dry, and then owes exactly what was uncovered
        if (s.deficit.gt(0)) expect(s.collateral.toFixed()).toBe(s.uncoveredBadDebt.neg().toFixed());
        if (s.uncoveredBadDebt.gt(0)) expect(s.fundBalance.isZero()).toBe(true);
      },
    ), { numRuns: 500 });
  });
});
