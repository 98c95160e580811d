import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isInputError, parseInput, type InputError } from "@/lib/contracts/api-error";
import { ingestPositionsSchema, type IngestPositionsInput } from "@/lib/contracts/ingest-positions";
import { loadMarketLookup, type MarketLookup } from "@/lib/server/ingest/market-lookup";
import { persistPositionUpdates } from "@/lib/server/ingest/persist-positions";
import { seedDatabase } from "@/lib/server/seed";
import { createTestDatabase, type TestDatabase } from "../support/test-database";

describe("position ingest persistence", () => {
  let db: TestDatabase;
  let markets: MarketLookup;
  beforeAll(async () => {
    db = await createTestDatabase();
    await seedDatabase(db.prisma);
    markets = await loadMarketLookup(db.prisma);
  });
  afterAll(() => db?.drop());

  const ingest = async (body: IngestPositionsInput) => {
    const batch = parseInput(ingestPositionsSchema, body);
    return persistPositionUpdates(db.prisma, batch.source, batch.updates, markets);
  };
  const position = (accountId: string, marketId: string) =>
    db.prisma.position.findUnique({ where: { accountId_marketId: { accountId, marketId } } });
  async function inputErrorOf(promise: Promise<unknown>): Promise<InputError> {
    const error = await promise.then(() => null, (e: unknown) => e);
    if (!isInputError(error)) throw new Error(`expected an InputError, got ${String(error)}`);
    return error;
  }

  it("creates an unknown account and its position, exactly as given", async () => {
    const result = await ingest({ source: "venue-a", updates: [
      { accountId: "acc-1", marketId: "BTC-PERP", qty: 0.123, entryPrice: "60123.45", seq: 1 },
      { accountId: "acc-1", marketId: "ETH-PERP", qty: "-2.5", entryPrice: 3000.01, seq: 1 },
    ] });
    expect(result).toEqual({
      applied: [
        { accountId: "acc-1", marketId: "BTC-PERP", qty: "0.123", entryPrice: "60123.45", isolatedMargin: null },
        { accountId: "acc-1", marketId: "ETH-PERP", qty: "-2.5", entryPrice: "3000.01", isolatedMargin: null },
      ],
      ignored: 0,
      newAccountIds: ["acc-1"],
    });
    const account = await db.prisma.account.findUniqueOrThrow({ where: { id: "acc-1" } });
    expect(account.collateral.toString()).toBe("0");
    const btc = await position("acc-1", "BTC-PERP");
    expect([btc?.qty.toString(), btc?.entryPrice.toString(), btc?.source, btc?.lastSeq]).toEqual(["0.123", "60123.45", "venue-a", 1n]);
  });

  it("ignores an update older than the one applied, and a duplicate is a no-op", async () => {
    await ingest({ source: "venue-a", updates: [{ accountId: "acc-2", marketId: "BTC-PERP", qty: 1, entryPrice: 60000, seq: 10 }] });
    const older = await ingest({ source: "venue-a", updates: [{ accountId: "acc-2", marketId: "BTC-PERP", qty: 5, entryPrice: 1, seq: 9 }] });
    const duplicate = await ingest({ source: "venue-a", updates: [{ accountId: "acc-2", marketId: "BTC-PERP", qty: 1, entryPrice: 60000, seq: 10 }] });
    expect(older).toEqual({ applied: [], ignored: 1, newAccountIds: [] });
    expect(duplicate).toEqual({ applied: [], ignored: 1, newAccountIds: [] });
    const row = await position("acc-2", "BTC-PERP");
    expect([row?.qty.toString(), row?.lastSeq]).toEqual(["1", 10n]);
  });

  it("within a batch the highest seq of each position wins, and qty 0 closes it", async () => {
    const result = await ingest({ source: "venue-a", updates: [
      { accountId: "acc-2", marketId: "BTC-PERP", qty: 0, entryPrice: 0, seq: 12 },
      { accountId: "acc-2", marketId: "BTC-PERP", qty: 2, entryPrice: 61000, seq: 11 },
    ] });
    expect(result.applied).toEqual([{ accountId: "acc-2", marketId: "BTC-PERP", qty: "0", entryPrice: "0", isolatedMargin: null }]);
    expect(result.ignored).toBe(1);
    const row = await position("acc-2", "BTC-PERP");
    expect([row?.qty.toString(), row?.lastSeq]).toEqual(["0", 12n]);
  });

  it("orders each source on its own: another source's newer update applies, then the first source's stale one does not", async () => {
    const fromB = await ingest({ source: "venue-b", updates: [{ accountId: "acc-2", marketId: "BTC-PERP", qty: 3, entryPrice: 59000, seq: 1 }] });
    expect(fromB.applied).toHaveLength(1);
    const staleA = await ingest({ source: "venue-a", updates: [{ accountId: "acc-2", marketId: "BTC-PERP", qty: 7, entryPrice: 1, seq: 5 }] });
    expect(staleA.applied).toEqual([]);
    const row = await position("acc-2", "BTC-PERP");
    expect([row?.qty.toString(), row?.source, row?.lastSeq]).toEqual(["3", "venue-b", 1n]);
    // venue-b's cursor is the row itself; venue-a's, saved when venue-b replaced it, is in ingest_cursors.
    const cursors = await db.prisma.ingestCursor.findMany({ where: { key: "acc-2/BTC-PERP" }, orderBy: { source: "asc" } });
    expect(cursors.map((c) => [c.source, c.lastSeq])).toEqual([["venue-a", 12n]]);
  });

  it("keeps every source's cursor as the position changes hands back and forth", async () => {
    const at = (source: string, seq: number, qty: number) =>
      ingest({ source, updates: [{ accountId: "acc-5", marketId: "ETH-PERP", qty, entryPrice: 3000, seq }] });
    expect((await at("venue-a", 5, 1)).applied).toHaveLength(1);
    expect((await at("venue-b", 2, 2)).applied).toHaveLength(1); // venue-a's 5 saved
    expect((await at("venue-a", 5, 9)).applied).toEqual([]); // not newer than venue-a's own 5
    expect((await at("venue-a", 6, 3)).applied).toHaveLength(1); // venue-b's 2 saved
    expect((await at("venue-b", 2, 9)).applied).toEqual([]); // not newer than venue-b's own 2
    expect((await at("venue-a", 6, 9)).applied).toEqual([]); // the row's own cursor
    expect((await at("venue-b", 3, 4)).applied).toHaveLength(1);
    const row = await position("acc-5", "ETH-PERP");
    expect([row?.qty.toString(), row?.source, row?.lastSeq]).toEqual(["4", "venue-b", 3n]);
    const cursors = await db.prisma.ingestCursor.findMany({ where: { key: "acc-5/ETH-PERP" }, orderBy: { source: "asc" } });
    expect(cursors.map((c) => [c.source, c.lastSeq])).toEqual([["venue-a", 6n], ["venue-b", 2n]]);
  });

  it("refuses the reserved source name of the venue's own liquidation steps", async () => {
    const error = await inputErrorOf(ingest({ source: "liquidation", updates: [{ accountId: "acc-6", marketId: "BTC-PERP", qty: 1, entryPrice: 1, seq: 1 }] }));
    expect(error.fields).toEqual([{ path: "source", message: '"liquidation" is reserved for the venue\'s own liquidation steps' }]);
  });

  it("an unknown market is refused naming updates[i].marketId", async () => {
    const error = await inputErrorOf(ingest({ source: "venue-a", updates: [
      { accountId: "acc-3", marketId: "BTC-PERP", qty: 1, entryPrice: 60000, seq: 1 },
      { accountId: "acc-3", marketId: "NOPE-PERP", qty: 1, entryPrice: 1, seq: 1 },
    ] }));
    expect(error.fields).toEqual([{ path: "updates[1].marketId", message: 'unknown market "NOPE-PERP"' }]);
  });

  it("a quantity that is not a whole number of lots is refused naming updates[i].qty", async () => {
    const error = await inputErrorOf(ingest({ source: "venue-a", updates: [
      { accountId: "acc-3", marketId: "BTC-PERP", qty: 0.001, entryPrice: 60000, seq: 1 },
      { accountId: "acc-3", marketId: "ETH-PERP", qty: "0.015", entryPrice: 3000, seq: 1 },
      { accountId: "acc-3", marketId: "BTC-PERP", qty: "0.00100000000000001", entryPrice: 60000, seq: 2 },
    ] }));
    expect(error.fields.map((f) => f.path)).toEqual(["updates[1].qty", "updates[2].qty"]);
    expect(error.fields[0]?.message).toBe("0.015 is not a whole number of lots (lotSize 0.01)");
  });

  it("a batch with one bad item changes nothing", async () => {
    const before = await db.prisma.position.count();
    await inputErrorOf(ingest({ source: "venue-z", updates: [
      { accountId: "acc-4", marketId: "BTC-PERP", qty: 1, entryPrice: 60000, seq: 1 },
      { accountId: "acc-4", marketId: "SOL-PERP", qty: 0.05, entryPrice: 150, seq: 1 },
    ] }));
    expect(await db.prisma.position.count()).toBe(before);
    expect(await db.prisma.account.findUnique({ where: { id: "acc-4" } })).toBeNull();
    expect(await db.prisma.ingestCursor.count({ where: { source: "venue-z" } })).toBe(0);
  });

  it("the schema names the field of a malformed update", () => {
    const parse = (body: unknown) => {
      try {
        parseInput(ingestPositionsSchema, body);
        return [];
      } catch (error) {
        return isInputError(error) ? error.fields.map((f) => f.path) : ["?"];
      }
    };
    expect(parse({ source: "s", updates: [
      { accountId: "a", marketId: "BTC-PERP", qty: 1, entryPrice: 1, seq: 1 },
      { accountId: "a", marketId: "BTC-PERP", qty: "1e3", entryPrice: 1, seq: -1 },
      { accountId: "a", marketId: "BTC-PERP", qty: 1, entryPrice: 1, seq: 1.5 },
      { accountId: "a", marketId: "BTC-PERP", qty: 1, entryPrice: 0, seq: 1 },
      { accountId: "a", marketId: "BTC-PERP", qty: 0, entryPrice: 0, seq: "18446744073709551615" },
    ] })).toEqual(["updates[1].qty", "updates[1].seq", "updates[2].seq", "updates[3].entryPrice", "updates[4].seq"]);
  });

  it("applies a full batch of 10,000 updates in one go", async () => {
    const updates = Array.from({ length: 10_000 }, (_, i) => ({
      accountId: `bulk-${i % 2500}`, marketId: ["BTC-PERP", "ETH-PERP", "SOL-PERP", "XRP-PERP"][Math.floor(i / 2500)]!,
      qty: (i % 7) - 3, entryPrice: 100 + i, seq: 1,
    }));
    const started = performance.now();
    const result = await ingest({ source: "bulk", updates });
    const ms = performance.now() - started;
    expect(result.applied).toHaveLength(10_000);
    expect(result.newAccountIds).toHaveLength(2500);
    expect(await db.prisma.position.count({ where: { source: "bulk" } })).toBe(10_000);
    console.log(`10,000 position updates persisted in ${ms.toFixed(0)} ms`);
  });
});
