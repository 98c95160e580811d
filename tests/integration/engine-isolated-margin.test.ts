import Decimal from "decimal.js";
import { describe, expect, it } from "vitest";
import { isInputError } from "@/lib/contracts/api-error";
import type { Runtime } from "@/lib/server/runtime";
import { engineOf, engineSettled, perTestRuntime, setMark, startTestRuntime } from "../support/test-runtime";

/**
 * Spec §11 end to end on PostgreSQL and the engine worker: isolated positions ingested, margin
 * moved from the cross balance into one, a price move that bankrupts it alone, and the simulated
 * venue's step: its own margin and the insurance fund settle it, the cross balance is untouched.
 */
describe("isolated margin, live", () => {
  const t = perTestRuntime();

  /** Cross balance, Σ isolated margins, the fund: the money the venue holds (exact decimals). */
  async function money(db: typeof t.db) {
    const [row] = await db.prisma.$queryRaw<{ cross: string; isolated: string; fund: string }[]>`
      SELECT trim_scale((SELECT coalesce(sum(collateral), 0) FROM accounts))::text AS cross,
             trim_scale((SELECT coalesce(sum(isolated_margin), 0) FROM positions))::text AS isolated,
             trim_scale(coalesce((SELECT balance_after FROM insurance_fund_ledger ORDER BY id DESC LIMIT 1), 0))::text AS fund`;
    return row!;
  }

  async function open(runtime: Runtime) {
    await setMark(runtime, "BTC-PERP", 60000);
    await setMark(runtime, "ETH-PERP", 3000);
    await runtime.services.ingest.collateral({ entries: [{ accountId: "trader", amount: "10000", kind: "deposit", idempotencyKey: "dep" }] });
    await runtime.services.ingest.positions({ source: "venue", updates: [
      { accountId: "trader", marketId: "ETH-PERP", qty: -2, entryPrice: 3000, seq: 1 },
      { accountId: "trader", marketId: "BTC-PERP", qty: 0.5, entryPrice: 60000, seq: 1, marginMode: "isolated", isolatedMargin: "100" },
    ] });
  }

  it("ingests, moves margin, liquidates the isolated position alone: cross untouched, the fund pays the deficit, every dollar accounted for", async () => {
    t.runtime = await startTestRuntime(t.db, {}, "1000");
    await open(t.runtime);
    const moved = await t.runtime.services.ingest.collateral({ entries: [
      { accountId: "trader", kind: "isolated_margin", marketId: "BTC-PERP", amount: "50", idempotencyKey: "move-1" },
    ] });
    expect(moved.balances).toEqual([{ accountId: "trader", collateral: "9950" }]);
    await engineSettled(t.runtime);
    const engine = engineOf(t.runtime);
    let view = (await engine.client.accountView("trader", Date.now()))!;
    expect(view.collateral).toBe(9950);
    expect(view.positions.find((p) => p.marketId === "BTC-PERP")!.isolated).toMatchObject({ isolatedMargin: 150, equity: 150, status: "warning" });

    // BTC falls 1,000: the isolated position (margin 150) loses 500 and is bankrupt; the cross part is healthy.
    await setMark(t.runtime, "BTC-PERP", 59000);
    await engineSettled(t.runtime);
    const queue = await engine.client.queue(Date.now());
    expect(queue.items.map((e) => [e.accountId, e.isolatedMarketId, e.status, e.mode])).toEqual([["trader", "BTC-PERP", "bankrupt", "full"]]);
    const before = await money(t.db);
    expect(before).toEqual({ cross: "9950", isolated: "150", fund: "1000" });

    expect(await engine.executeDueSteps(Date.now())).toBe(1);
    await engineSettled(t.runtime);
    const [event] = await t.db.prisma.liquidationEvent.findMany();
    expect(event).toMatchObject({ accountId: "trader", marketId: "BTC-PERP", mode: "full" });
    const after = await money(t.db);
    expect(after.cross).toBe("9950"); // the cross balance is untouched
    expect(after.isolated).toBe("0"); // the isolated margin is spent, the deficit paid
    const position = await t.db.prisma.position.findUniqueOrThrow({ where: { accountId_marketId: { accountId: "trader", marketId: "BTC-PERP" } } });
    expect(position.qty.toFixed()).toBe("0");
    // The fund took the fee and paid the deficit: 150 + realized PnL − fee + payment = 0.
    const realized = new Decimal(event!.realizedPnl.toFixed());
    const fee = new Decimal(event!.fee.toFixed());
    const deficit = new Decimal(event!.deficit.toFixed());
    expect(deficit.toFixed()).toBe(realized.neg().plus(fee).minus(150).toFixed());
    expect(new Decimal(after.fund).toFixed()).toBe(new Decimal(1000).plus(fee).minus(deficit).toFixed());
    // Conservation: what the venue holds moved by the realised PnL alone (the counterparty's side).
    const held = (m: typeof before) => new Decimal(m.cross).plus(m.isolated).plus(m.fund);
    expect(held(after).minus(held(before)).toFixed()).toBe(realized.toFixed());
    // The step's ledger entries moved the isolated margin, named by market; none moved the cross balance.
    const ledger = await t.db.prisma.collateralLedgerEntry.findMany({ where: { liquidationEventId: BigInt(event!.id) }, orderBy: { id: "asc" } });
    expect(ledger.map((l) => [l.kind, l.balance, l.marketId])).toEqual([
      ["realized_pnl", "isolated", "BTC-PERP"], ["liquidation_fee", "isolated", "BTC-PERP"], ["insurance_payment", "isolated", "BTC-PERP"],
    ]);
    expect(ledger.at(-1)!.balanceAfter.toFixed()).toBe("0");

    view = (await engine.client.accountView("trader", Date.now()))!;
    expect(view).toMatchObject({ collateral: 9950, status: "healthy", queue: null });
    expect(view.positions.map((p) => p.marketId)).toEqual(["ETH-PERP"]);
    expect((await engine.client.queue(Date.now())).items).toEqual([]);

    // After a restart the engine reads the same state back from PostgreSQL.
    await t.runtime.stop();
    t.runtime = await startTestRuntime(t.db);
    view = (await engineOf(t.runtime).client.accountView("trader", Date.now()))!;
    expect(view.collateral).toBe(9950);
  });

  it("an isolated position's leftover margin returns to the cross balance when a step closes it", async () => {
    t.runtime = await startTestRuntime(t.db, {}, "1000");
    await open(t.runtime);
    // Margin 100 on 30,000 notional: at 59,900 equity 50 < 2/3 · MM 119.8: backstop, closed in full
    // (fill ≈ 59,889.5: realised ≈ −55.2, fee 29.95) with ≈ 14.8 of margin left.
    await setMark(t.runtime, "BTC-PERP", 59900);
    await engineSettled(t.runtime);
    const engine = engineOf(t.runtime);
    const [entry] = (await engine.client.queue(Date.now())).items;
    expect(entry).toMatchObject({ isolatedMarketId: "BTC-PERP", status: "backstop", mode: "full" });
    const before = await money(t.db);
    expect(await engine.executeDueSteps(Date.now())).toBe(1);
    const after = await money(t.db);
    const [event] = await t.db.prisma.liquidationEvent.findMany();
    const left = new Decimal(100).plus(event!.realizedPnl.toFixed()).minus(event!.fee.toFixed());
    expect(left.gt(0)).toBe(true);
    expect(after.isolated).toBe("0");
    expect(new Decimal(after.cross).minus(before.cross).toFixed()).toBe(left.toFixed());
    expect(new Decimal(after.cross).plus(after.isolated).plus(after.fund).minus(new Decimal(before.cross).plus(before.isolated).plus(before.fund)).toFixed())
      .toBe(new Decimal(event!.realizedPnl.toFixed()).toFixed());
  });

  it("refuses a move larger than the cross balance allows through the runtime, and nothing reaches the engine", async () => {
    t.runtime = await startTestRuntime(t.db);
    await open(t.runtime);
    const error = await t.runtime.services.ingest.collateral({ entries: [
      { accountId: "trader", kind: "isolated_margin", marketId: "BTC-PERP", amount: "10000.01", idempotencyKey: "too-much" },
    ] }).then(() => null, (e: unknown) => e);
    expect(isInputError(error) && error.fields.map((f) => f.path)).toEqual(["entries[0].amount"]);
    await engineSettled(t.runtime);
    const view = (await engineOf(t.runtime).client.accountView("trader", Date.now()))!;
    expect(view.collateral).toBe(10000);
    expect(view.positions.find((p) => p.marketId === "BTC-PERP")!.isolated!.isolatedMargin).toBe(100);
  });
});
