import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseInput } from "@/lib/contracts/api-error";
import { ingestPositionsSchema, type IngestPositionsInput } from "@/lib/contracts/ingest-positions";
import {
  depositToInsuranceFund,
  insuranceFundBalance,
  seedInsuranceFund,
} from "@/lib/server/execution/insurance-fund";
import {
  persistLiquidationStep,
  StaleStepError,
  type LiquidationStep,
} from "@/lib/server/execution/persist-liquidation-step";
import { loadMarketLookup, type MarketLookup } from "@/lib/server/ingest/market-lookup";
import { persistCollateralEntries } from "@/lib/server/ingest/persist-collateral";
import { persistFunding } from "@/lib/server/ingest/persist-funding";
import { persistPositionUpdates } from "@/lib/server/ingest/persist-positions";
import { seedDatabase } from "@/lib/server/seed";
import { createTestDatabase, type TestDatabase } from "../support/test-database";

describe("liquidation step execution", () => {
  let db: TestDatabase;
  let markets: MarketLookup;
  const t0 = Date.parse("2026-11-22T12:00:00.000Z");
  beforeAll(async () => {
    db = await createTestDatabase();
    await seedDatabase(db.prisma);
    markets = await loadMarketLookup(db.prisma);
  });
  afterAll(() => db?.drop());

  const positions = async (updates: IngestPositionsInput["updates"]) => {
    const batch = parseInput(ingestPositionsSchema, { source: "venue", updates });
    return persistPositionUpdates(db.prisma, batch.source, batch.updates, markets);
  };
  const deposit = (accountId: string, amount: string) =>
    persistCollateralEntries(db.prisma, [{ accountId, amount, kind: "deposit", idempotencyKey: `dep-${accountId}-${amount}` }]);
  const step = (s: Partial<LiquidationStep> & Pick<LiquidationStep, "accountId" | "marketId" | "side" | "qty" | "fillPrice">) =>
    persistLiquidationStep(db.prisma, { markPrice: s.fillPrice, fee: 0, slippage: 0, mode: "partial", executedAt: t0, ...s });
  const qtyOf = async (accountId: string, marketId: string) =>
    (await db.prisma.position.findUniqueOrThrow({ where: { accountId_marketId: { accountId, marketId } } })).qty.toFixed();

  /** Both sides of the conservation law, as exact decimal strings. */
  async function conservation() {
    const [row] = await db.prisma.$queryRaw<{ held: string; injected: string }[]>`
      SELECT trim_scale((SELECT coalesce(sum(collateral), 0) FROM accounts)
               + coalesce((SELECT balance_after FROM insurance_fund_ledger ORDER BY id DESC LIMIT 1), 0))::text AS held,
             trim_scale((SELECT coalesce(sum(amount), 0) FROM collateral_ledger
                          WHERE kind IN ('deposit', 'withdrawal', 'adjustment', 'topup', 'realized_pnl', 'funding'))
               + (SELECT coalesce(sum(amount), 0) FROM insurance_fund_ledger WHERE kind = 'deposit'))::text AS injected`;
    return row;
  }

  /** Every ledger's balanceAfter chains: previous balance + amount (the fund's uncovered entries move nothing). */
  async function brokenChains() {
    return db.prisma.$queryRaw<{ id: bigint }[]>`
      SELECT id FROM (
        SELECT id, balance_after, amount,
               lag(balance_after, 1, 0::numeric) OVER (PARTITION BY account_id ORDER BY id) AS before
          FROM collateral_ledger) l
       WHERE balance_after <> before + amount
      UNION ALL
      SELECT id FROM (
        SELECT id, kind, balance_after, amount, lag(balance_after, 1, 0::numeric) OVER (ORDER BY id) AS before
          FROM insurance_fund_ledger) f
       WHERE balance_after <> before + CASE WHEN kind = 'uncovered_bad_debt' THEN 0 ELSE amount END
      UNION ALL
      SELECT 0::bigint FROM accounts a
       WHERE a.collateral <> coalesce((SELECT sum(amount) FROM collateral_ledger l WHERE l.account_id = a.id), 0)`;
  }

  it("seeds the fund once with its initial capital", async () => {
    expect(await insuranceFundBalance(db.prisma)).toBe("0");
    expect(await seedInsuranceFund(db.prisma, "50")).toMatchObject({ amount: "50", balanceAfter: "50" });
    expect(await seedInsuranceFund(db.prisma, "1000")).toBeNull();
    expect(await insuranceFundBalance(db.prisma)).toBe("50");
  });

  it("a partial step records the event, shrinks the position, books realised PnL and pays the fee to the fund", async () => {
    await positions([{ accountId: "A", marketId: "BTC-PERP", qty: 1, entryPrice: 60000, seq: 1 }]);
    await deposit("A", "1000");
    const result = await step({
      accountId: "A", marketId: "BTC-PERP", side: "sell", qty: 0.25, fillPrice: 58990.2, markPrice: 59000,
      fee: 14.75, slippage: 2.45, mode: "partial", executedAt: t0,
    });
    expect(result.event).toMatchObject({
      accountId: "A", marketId: "BTC-PERP", side: "sell", qty: "0.25", price: "58990.2", markPrice: "59000",
      notional: "14750", fee: "14.75", slippage: "2.45", realizedPnl: "-252.45", deficit: "0", mode: "partial", executedAt: t0,
    });
    expect(result.position).toEqual({ qty: "0.75", entryPrice: "60000", source: "liquidation", lastSeq: result.event.id });
    expect([result.collateral, result.insurancePayment, result.uncoveredBadDebt, result.insuranceFundBalance])
      .toEqual(["732.8", "0", "0", "64.75"]);
    expect(await qtyOf("A", "BTC-PERP")).toBe("0.75");
    const ledger = await db.prisma.collateralLedgerEntry.findMany({ where: { liquidationEventId: BigInt(result.event.id) }, orderBy: { id: "asc" } });
    expect(ledger.map((l) => [l.kind, l.amount.toFixed(), l.balanceAfter.toFixed(), l.idempotencyKey])).toEqual([
      ["realized_pnl", "-252.45", "747.55", `liquidation:${result.event.id}:realized_pnl`],
      ["liquidation_fee", "-14.75", "732.8", `liquidation:${result.event.id}:liquidation_fee`],
    ]);
    const fund = await db.prisma.insuranceFundEntry.findMany({ where: { liquidationEventId: BigInt(result.event.id) } });
    expect(fund.map((f) => [f.kind, f.amount.toFixed(), f.balanceAfter.toFixed()])).toEqual([["fee", "14.75", "64.75"]]);
    const event = await db.prisma.liquidationEvent.findUniqueOrThrow({ where: { id: BigInt(result.event.id) } });
    expect([event.realizedPnl.toFixed(), event.notional.toFixed(), event.slippage.toFixed()]).toEqual(["-252.45", "14750", "2.45"]);
  });

  it("the step keeps the venue's cursor: its stale update is still ignored, its next one applies", async () => {
    await positions([{ accountId: "V", marketId: "ETH-PERP", qty: 2, entryPrice: 3000, seq: 7 }]);
    await deposit("V", "1000");
    await step({ accountId: "V", marketId: "ETH-PERP", side: "sell", qty: 0.5, fillPrice: 2990 });
    const cursor = await db.prisma.ingestCursor.findUnique({ where: { source_kind_key: { source: "venue", kind: "position", key: "V/ETH-PERP" } } });
    expect(cursor?.lastSeq).toBe(7n);
    expect((await positions([{ accountId: "V", marketId: "ETH-PERP", qty: 2, entryPrice: 3000, seq: 7 }])).applied).toEqual([]);
    expect(await qtyOf("V", "ETH-PERP")).toBe("1.5");
    expect((await positions([{ accountId: "V", marketId: "ETH-PERP", qty: 1, entryPrice: 3000, seq: 8 }])).applied).toHaveLength(1);
    expect(await qtyOf("V", "ETH-PERP")).toBe("1");
  });

  it("a profitable close of a short credits the account exactly, to the 18th decimal", async () => {
    await positions([{ accountId: "D", marketId: "BTC-PERP", qty: "-0.123", entryPrice: "61000.000000000000000001", seq: 1 }]);
    await deposit("D", "10");
    const result = await step({
      accountId: "D", marketId: "BTC-PERP", side: "buy", qty: "0.123", fillPrice: "60500.123456789012345678", fee: "7.44",
      mode: "full",
    });
    // 0.123 × (60500.123456789012345678 − 61000.000000000000000001) × −1 = 61.484814814951481481729,
    // rounded half away from zero to the ledger's 18 decimals
    expect(result.event.realizedPnl).toBe("61.484814814951481482");
    expect(result.collateral).toBe("64.044814814951481482");
    expect(result.position.qty).toBe("0");
  });

  it("a bankrupt last close is covered by the fund as far as it can, the rest is uncovered bad debt", async () => {
    await positions([{ accountId: "B", marketId: "ETH-PERP", qty: -2, entryPrice: 3000, seq: 1 }]);
    await deposit("B", "100");
    const before = new Number(await insuranceFundBalance(db.prisma)).valueOf();
    expect(before).toBe(72.19); // 50 + 14.75 + 7.44
    const result = await step({ accountId: "B", marketId: "ETH-PERP", side: "buy", qty: 2, fillPrice: 3100.5, markPrice: 3100, fee: 9.3, mode: "full" });
    // 100 − 201 − 9.3 = −110.3; the fund holds 72.19 + 9.3 = 81.49 and pays it all; 28.81 uncovered
    expect(result.event).toMatchObject({ realizedPnl: "-201", fee: "9.3", deficit: "110.3", mode: "full" });
    expect([result.collateral, result.insurancePayment, result.uncoveredBadDebt, result.insuranceFundBalance])
      .toEqual(["-28.81", "81.49", "28.81", "0"]);
    const fund = await db.prisma.insuranceFundEntry.findMany({ where: { liquidationEventId: BigInt(result.event.id) }, orderBy: { id: "asc" } });
    expect(fund.map((f) => [f.kind, f.amount.toFixed(), f.balanceAfter.toFixed()])).toEqual([
      ["fee", "9.3", "81.49"], ["deficit_payment", "-81.49", "0"], ["uncovered_bad_debt", "-28.81", "0"],
    ]);
    const ledger = await db.prisma.collateralLedgerEntry.findMany({ where: { liquidationEventId: BigInt(result.event.id) }, orderBy: { id: "asc" } });
    expect(ledger.map((l) => [l.kind, l.amount.toFixed(), l.balanceAfter.toFixed()])).toEqual([
      ["realized_pnl", "-201", "-101"], ["liquidation_fee", "-9.3", "-110.3"], ["insurance_payment", "81.49", "-28.81"],
    ]);
  });

  it("a negative balance is not settled while the account still holds another position", async () => {
    await positions([
      { accountId: "C", marketId: "SOL-PERP", qty: 10, entryPrice: 150, seq: 1 },
      { accountId: "C", marketId: "BTC-PERP", qty: 0.01, entryPrice: 60000, seq: 1 },
    ]);
    await deposit("C", "5");
    await depositToInsuranceFund(db.prisma, "1000");
    const first = await step({ accountId: "C", marketId: "SOL-PERP", side: "sell", qty: 10, fillPrice: 140, fee: 2.8, mode: "full" });
    expect([first.collateral, first.event.deficit, first.insurancePayment]).toEqual(["-97.8", "0", "0"]);
    const last = await step({ accountId: "C", marketId: "BTC-PERP", side: "sell", qty: 0.01, fillPrice: 59000, fee: 0.59, mode: "full" });
    expect([last.collateral, last.event.deficit, last.insurancePayment, last.uncoveredBadDebt]).toEqual(["0", "108.39", "108.39", "0"]);
    expect(last.insuranceFundBalance).toBe("895"); // 0 + 1000 + 2.8 + 0.59 − 108.39
  });

  it("refuses a step that no longer matches the position, writing nothing", async () => {
    const events = await db.prisma.liquidationEvent.count();
    await expect(step({ accountId: "A", marketId: "BTC-PERP", side: "buy", qty: 0.1, fillPrice: 59000 })).rejects.toBeInstanceOf(StaleStepError);
    await expect(step({ accountId: "A", marketId: "BTC-PERP", side: "sell", qty: 0.751, fillPrice: 59000 })).rejects.toBeInstanceOf(StaleStepError);
    await expect(step({ accountId: "B", marketId: "ETH-PERP", side: "buy", qty: 1, fillPrice: 3000 })).rejects.toBeInstanceOf(StaleStepError);
    await expect(step({ accountId: "nobody", marketId: "ETH-PERP", side: "buy", qty: 1, fillPrice: 3000 })).rejects.toBeInstanceOf(StaleStepError);
    expect(await db.prisma.liquidationEvent.count()).toBe(events);
  });

  it("without fee and slippage, computes them exactly from the market's fee rate and the fill (spec §5 example)", async () => {
    await positions([{ accountId: "H", marketId: "BTC-PERP", qty: 10, entryPrice: 60500, seq: 1 }]);
    await deposit("H", "10000");
    const result = await persistLiquidationStep(db.prisma, {
      accountId: "H", marketId: "BTC-PERP", side: "sell", qty: 2.339, fillPrice: 59972.949, markPrice: 60000,
      mode: "partial", executedAt: t0,
    });
    expect(result.event).toMatchObject({ notional: "140340", fee: "140.34", slippage: "63.272289", realizedPnl: "-1232.772289" });
    expect(result.collateral).toBe("8626.887711"); // 10000 − 2.339 × 527.051 − 140.34
  });

  it("a step with a step key is recorded once", async () => {
    const s = { accountId: "A", marketId: "BTC-PERP", side: "sell" as const, qty: 0.25, fillPrice: 59500, fee: 1, stepKey: "plan-42" };
    const first = await step(s);
    const again = await step(s);
    expect(again.replayed).toBe(true);
    expect(again.event).toEqual(first.event);
    expect([again.collateral, again.position.qty, again.ledgerEntryIds]).toEqual([first.collateral, "0.5", first.ledgerEntryIds]);
    expect(await qtyOf("A", "BTC-PERP")).toBe("0.5");
  });

  it("conserves money to the last decimal over a sequence of steps with funding", async () => {
    await positions([
      { accountId: "E", marketId: "BTC-PERP", qty: "1.337", entryPrice: "60321.7", seq: 1 },
      { accountId: "F", marketId: "BTC-PERP", qty: "-0.777", entryPrice: "59876.5", seq: 1 },
      { accountId: "G", marketId: "ETH-PERP", qty: "12.34", entryPrice: "3012.34", seq: 1 },
    ]);
    await deposit("E", "1234.567890123456789");
    await deposit("F", "99.99");
    await deposit("G", "0.000000000000000001");
    await persistFunding(db.prisma, { marketId: "BTC-PERP", rate: "0.000123", markPrice: "60001.23", ts: t0 });
    const fills: LiquidationStep[] = [
      { accountId: "E", marketId: "BTC-PERP", side: "sell", qty: "0.334", fillPrice: "59876.123456789", markPrice: "59900.1", fee: "20.006634", slippage: "8.01", mode: "partial", executedAt: t0 + 1 },
      { accountId: "F", marketId: "BTC-PERP", side: "buy", qty: "0.777", fillPrice: "61999.999999999999999999", markPrice: "61990", fee: "48.16623", slippage: "7.7", mode: "full", executedAt: t0 + 2 },
      { accountId: "G", marketId: "ETH-PERP", side: "sell", qty: "12.34", fillPrice: "2890.01", markPrice: "2891", fee: "53.51091", slippage: "12.2", mode: "full", executedAt: t0 + 3 },
      { accountId: "E", marketId: "BTC-PERP", side: "sell", qty: "1.003", fillPrice: "58000.5", markPrice: "58010", fee: "58.18403", slippage: "9.5", mode: "full", executedAt: t0 + 4 },
    ];
    for (const f of fills) {
      await step(f);
      const { held, injected } = (await conservation())!;
      expect(held).toBe(injected);
    }
    await persistFunding(db.prisma, { marketId: "BTC-PERP", rate: "-0.0000777", markPrice: "58000.01", ts: t0 + 10 });
    const { held, injected } = (await conservation())!;
    expect(held).toBe(injected);
    expect(await brokenChains()).toEqual([]);
    const [pnl] = await db.prisma.$queryRaw<{ events: string; ledger: string }[]>`
      SELECT (SELECT sum(realized_pnl) FROM liquidation_events)::text AS events,
             (SELECT sum(amount) FROM collateral_ledger WHERE kind = 'realized_pnl')::text AS ledger`;
    expect(pnl?.events).toBe(pnl?.ledger);
  });
});
