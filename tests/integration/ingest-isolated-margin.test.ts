import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isInputError, parseInput, type InputError } from "@/lib/contracts/api-error";
import { ingestCollateralSchema, type IngestCollateralInput } from "@/lib/contracts/ingest-collateral";
import { ingestPositionsSchema, type IngestPositionsInput } from "@/lib/contracts/ingest-positions";
import { loadMarketLookup, type MarketLookup } from "@/lib/server/ingest/market-lookup";
import { persistCollateralEntries } from "@/lib/server/ingest/persist-collateral";
import { persistPositionUpdates } from "@/lib/server/ingest/persist-positions";
import { seedDatabase } from "@/lib/server/seed";
import { createTestDatabase, type TestDatabase } from "../support/test-database";

/** Spec §11 at the ingest: isolated positions and margin moved between the cross balance and them. */
describe("isolated margin ingest", () => {
  let db: TestDatabase;
  let markets: MarketLookup;
  beforeAll(async () => {
    db = await createTestDatabase();
    await seedDatabase(db.prisma);
    markets = await loadMarketLookup(db.prisma);
  });
  afterAll(() => db?.drop());

  const positions = async (body: IngestPositionsInput) => {
    const batch = parseInput(ingestPositionsSchema, body);
    return persistPositionUpdates(db.prisma, batch.source, batch.updates, markets);
  };
  const collateral = async (body: IngestCollateralInput) => persistCollateralEntries(db.prisma, parseInput(ingestCollateralSchema, body).entries);
  async function inputErrorOf(run: () => Promise<unknown>): Promise<InputError> {
    const error = await run().then(() => null, (e: unknown) => e);
    if (!isInputError(error)) throw new Error(`expected an InputError, got ${String(error)}`);
    return error;
  }
  /** Everything a test may check is unchanged after a refused batch. */
  async function state(accountId: string) {
    const [account] = await db.prisma.$queryRaw<{ collateral: string; ledger: bigint }[]>`
      SELECT trim_scale(collateral)::text AS collateral, (SELECT count(*) FROM collateral_ledger WHERE account_id = ${accountId}) AS ledger
        FROM accounts WHERE id = ${accountId}`;
    const rows = await db.prisma.$queryRaw<{ market_id: string; margin_mode: string; isolated_margin: string | null }[]>`
      SELECT market_id, margin_mode::text AS margin_mode, trim_scale(isolated_margin)::text AS isolated_margin
        FROM positions WHERE account_id = ${accountId} ORDER BY market_id`;
    return { account, rows };
  }

  it("stores each position's margin mode and isolated margin as the venue states them", async () => {
    const result = await positions({ source: "venue", updates: [
      { accountId: "iso-1", marketId: "BTC-PERP", qty: 0.5, entryPrice: 60000, seq: 1, marginMode: "isolated", isolatedMargin: "250.5" },
      { accountId: "iso-1", marketId: "ETH-PERP", qty: -2, entryPrice: 3000, seq: 1 },
    ] });
    expect(result.applied.map((p) => [p.marketId, p.isolatedMargin])).toEqual([["BTC-PERP", "250.5"], ["ETH-PERP", null]]);
    expect((await state("iso-1")).rows).toEqual([
      { market_id: "BTC-PERP", margin_mode: "isolated", isolated_margin: "250.5" },
      { market_id: "ETH-PERP", margin_mode: "cross", isolated_margin: null },
    ]);
    // The full state: an update without a mode makes the position cross again.
    await positions({ source: "venue", updates: [{ accountId: "iso-1", marketId: "ETH-PERP", qty: -2, entryPrice: 3000, seq: 2, marginMode: "isolated", isolatedMargin: 0 }] });
    await positions({ source: "venue", updates: [{ accountId: "iso-1", marketId: "ETH-PERP", qty: -2, entryPrice: 3000, seq: 3 }] });
    expect((await state("iso-1")).rows[1]).toEqual({ market_id: "ETH-PERP", margin_mode: "cross", isolated_margin: null });
  });

  it("refuses a bad mode or margin, naming the field, and applies nothing of the batch", async () => {
    const before = await state("iso-1");
    const ok = { accountId: "iso-1", marketId: "BTC-PERP", qty: 0.5, entryPrice: 60000, seq: 9, marginMode: "isolated" as const, isolatedMargin: 1 };
    const cases: [Record<string, unknown>, string][] = [
      [{ marginMode: "portfolio" }, "updates[1].marginMode"],
      [{ marginMode: "isolated", isolatedMargin: undefined }, "updates[1].isolatedMargin"],
      [{ marginMode: "cross", isolatedMargin: 10 }, "updates[1].isolatedMargin"],
      [{ marginMode: undefined, isolatedMargin: 10 }, "updates[1].isolatedMargin"],
      [{ isolatedMargin: -1 }, "updates[1].isolatedMargin"],
      [{ isolatedMargin: "NaN" }, "updates[1].isolatedMargin"],
      [{ isolatedMargin: Number.POSITIVE_INFINITY }, "updates[1].isolatedMargin"],
    ];
    for (const [change, path] of cases) {
      const body = { source: "venue", updates: [ok, { ...ok, marketId: "ETH-PERP", ...change }] } as IngestPositionsInput;
      const error = await inputErrorOf(() => positions(body));
      expect(error.fields.map((f) => f.path), JSON.stringify(change)).toEqual([path]);
    }
    expect(await state("iso-1")).toEqual(before);
  });

  it("moves margin from the cross balance into an isolated position and back, exactly, in the ledger", async () => {
    await collateral({ entries: [{ accountId: "iso-1", kind: "deposit", amount: 1000, idempotencyKey: "iso-dep" }] });
    const moved = await collateral({ entries: [
      { accountId: "iso-1", kind: "isolated_margin", marketId: "BTC-PERP", amount: "300.25", idempotencyKey: "iso-in" },
      { accountId: "iso-1", kind: "isolated_margin", marketId: "BTC-PERP", amount: "-50", idempotencyKey: "iso-out" },
    ] });
    expect(moved.applied.map((a) => [a.kind, a.amount, a.balanceAfter])).toEqual([
      ["isolated_margin", "300.25", "699.75"],
      ["isolated_margin", "-50", "749.75"],
    ]);
    expect(moved.balances).toEqual([{ accountId: "iso-1", collateral: "749.75" }]);
    expect(moved.isolatedPositions).toEqual([
      { accountId: "iso-1", marketId: "BTC-PERP", qty: "0.5", entryPrice: "60000", isolatedMargin: "500.75" },
    ]);
    const after = await state("iso-1");
    expect(after.account?.collateral).toBe("749.75");
    expect(after.rows[0]).toEqual({ market_id: "BTC-PERP", margin_mode: "isolated", isolated_margin: "500.75" });
    // Every dollar accounted for: cross + isolated = what was deposited + the margin the venue stated.
    const [sum] = await db.prisma.$queryRaw<{ ledger: string; moved: string }[]>`
      SELECT trim_scale(sum(amount))::text AS ledger,
             trim_scale(sum(amount) FILTER (WHERE kind = 'isolated_margin'))::text AS moved
        FROM collateral_ledger WHERE account_id = 'iso-1'`;
    expect(sum).toEqual({ ledger: "749.75", moved: "-250.25" });
    // A replay is a no-op; the same key for another position or amount is refused.
    const replay = await collateral({ entries: [{ accountId: "iso-1", kind: "isolated_margin", marketId: "BTC-PERP", amount: "300.25", idempotencyKey: "iso-in" }] });
    expect(replay.replayed).toBe(1);
    const conflict = await inputErrorOf(() => collateral({ entries: [{ accountId: "iso-1", kind: "isolated_margin", marketId: "ETH-PERP", amount: "300.25", idempotencyKey: "iso-in" }] }));
    expect(conflict.fields.map((f) => f.path)).toEqual(["entries[0].idempotencyKey"]);
  });

  it("refuses a move larger than the cross balance allows, or to a cross or absent position, and applies nothing", async () => {
    const before = await state("iso-1"); // cross collateral 749.75, BTC isolated with 500.75
    const ok = { accountId: "iso-1", kind: "isolated_margin" as const, marketId: "BTC-PERP", amount: "1", idempotencyKey: "ok-1" };
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ amount: "749.750000000000000001" }, "entries[1].amount", /more than the cross balance allows.*748\.75 USD/],
      [{ amount: "-501.750000000000000001" }, "entries[1].amount", /has only 501\.75 USD of margin/],
      [{ marketId: "ETH-PERP" }, "entries[1].marketId", /holds a cross position/],
      [{ marketId: "SOL-PERP" }, "entries[1].marketId", /holds no open position/],
      [{ accountId: "nobody" }, "entries[1].marketId", /holds no open position/],
      [{ marketId: undefined }, "entries[1].marketId", /is required/],
      [{ kind: "deposit", amount: 5 }, "entries[1].marketId", /only for an isolated_margin entry/],
    ];
    for (const [change, path, message] of cases) {
      const error = await inputErrorOf(() => collateral({ entries: [ok, { ...ok, idempotencyKey: "bad", ...change }] as IngestCollateralInput["entries"] }));
      expect(error.fields.map((f) => f.path), JSON.stringify(change)).toEqual([path]);
      expect(error.fields[0]?.message).toMatch(message);
    }
    expect(await state("iso-1")).toEqual(before);
    // The whole cross balance may move (down to exactly 0), and a deposit earlier in the batch counts.
    const all = await collateral({ entries: [
      { accountId: "iso-1", kind: "deposit", amount: "0.25", idempotencyKey: "iso-dep-2" },
      { accountId: "iso-1", kind: "isolated_margin", marketId: "BTC-PERP", amount: "750", idempotencyKey: "iso-all" },
    ] });
    expect(all.balances).toEqual([{ accountId: "iso-1", collateral: "0" }]);
    expect(all.isolatedPositions[0]?.isolatedMargin).toBe("1250.75");
  });
});
