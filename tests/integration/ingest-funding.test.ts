import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isInputError, parseInput } from "@/lib/contracts/api-error";
import { ingestFundingSchema, type IngestFundingInput } from "@/lib/contracts/ingest-funding";
import { ingestPositionsSchema } from "@/lib/contracts/ingest-positions";
import { loadMarketLookup } from "@/lib/server/ingest/market-lookup";
import { persistCollateralEntries } from "@/lib/server/ingest/persist-collateral";
import { persistFunding } from "@/lib/server/ingest/persist-funding";
import { persistPositionUpdates } from "@/lib/server/ingest/persist-positions";
import { seedDatabase } from "@/lib/server/seed";
import { createTestDatabase, type TestDatabase } from "../support/test-database";

describe("funding persistence", () => {
  let db: TestDatabase;
  const ts = Date.parse("2026-11-22T08:00:00.000Z");
  beforeAll(async () => {
    db = await createTestDatabase();
    await seedDatabase(db.prisma);
    const batch = parseInput(ingestPositionsSchema, { source: "venue", updates: [
      { accountId: "long", marketId: "BTC-PERP", qty: 0.123, entryPrice: 60000, seq: 1 },
      { accountId: "short", marketId: "BTC-PERP", qty: -2, entryPrice: 60000, seq: 1 },
      { accountId: "closed", marketId: "BTC-PERP", qty: 0, entryPrice: 0, seq: 1 },
      { accountId: "eth-only", marketId: "ETH-PERP", qty: 1, entryPrice: 3000, seq: 1 },
    ] });
    await persistPositionUpdates(db.prisma, batch.source, batch.updates, await loadMarketLookup(db.prisma));
    await persistCollateralEntries(db.prisma, [
      { accountId: "long", amount: "100", kind: "deposit", idempotencyKey: "d-long" },
      { accountId: "short", amount: "100", kind: "deposit", idempotencyKey: "d-short" },
    ]);
  });
  afterAll(() => db?.drop());

  const fund = (body: IngestFundingInput) => persistFunding(db.prisma, parseInput(ingestFundingSchema, body));
  const collateral = async (id: string) =>
    (await db.prisma.account.findUniqueOrThrow({ where: { id } })).collateral.toFixed();

  it("moves −qty × markPrice × rate of every open position, exact to the last decimal", async () => {
    const result = await fund({ marketId: "BTC-PERP", rate: 0.0001, markPrice: 60123.45, ts });
    expect(result.applied).toBe(true);
    expect(result.deltas).toEqual([
      { accountId: "long", amount: "-0.739518435", balanceAfter: "99.260481565" },
      { accountId: "short", amount: "12.02469", balanceAfter: "112.02469" },
    ]);
    const entries = await db.prisma.collateralLedgerEntry.findMany({ where: { kind: "funding" }, orderBy: { accountId: "asc" } });
    expect(entries.map((e) => [e.idempotencyKey, e.amount.toFixed(10), e.fundingEventId?.toString()])).toEqual([
      [`funding:${result.eventId}:long`, "-0.7395184350", result.eventId],
      [`funding:${result.eventId}:short`, "12.0246900000", result.eventId],
    ]);
    expect(await collateral("long")).toBe("99.260481565");
    expect(await collateral("eth-only")).toBe("0");
    expect(await collateral("closed")).toBe("0");
  });

  it("a replayed event is a no-op; the same time with another rate is refused naming it", async () => {
    const replay = await fund({ marketId: "BTC-PERP", rate: "0.00010", markPrice: "60123.450", ts: new Date(ts).toISOString() });
    expect(replay.applied).toBe(false);
    expect(replay.deltas).toEqual([]);
    expect(await collateral("long")).toBe("99.260481565");
    expect(await db.prisma.fundingEvent.count()).toBe(1);
    const error = await fund({ marketId: "BTC-PERP", rate: 0.0002, markPrice: 60123.45, ts }).catch((e: unknown) => e);
    expect(isInputError(error) && error.fields.map((f) => f.path)).toEqual(["rate"]);
  });

  it("rounds a product beyond 18 decimals half away from zero, and balances equal ledger sums", async () => {
    // The smallest rate taken is 1e-12 (BOUNDS.fundingRate.minAbs).
    const result = await fund({ marketId: "BTC-PERP", rate: "0.000000000001", markPrice: "0.00000525", ts: ts + 1 });
    // long: −0.123 × 0.00000525 × 1e-12 = −6.4575e-19 → −1e-18; short: 2 × 0.00000525 × 1e-12 = 1.05e-17 → 1.1e-17
    expect(result.deltas.map((d) => d.amount)).toEqual(["-0.000000000000000001", "0.000000000000000011"]);
    const mismatches = await db.prisma.$queryRaw<{ id: string }[]>`
      SELECT a.id FROM accounts a
       WHERE a.collateral <> coalesce((SELECT sum(amount) FROM collateral_ledger l WHERE l.account_id = a.id), 0)`;
    expect(mismatches).toEqual([]);
  });

  it("the schema names a bad field", () => {
    const error = (() => {
      try {
        parseInput(ingestFundingSchema, { marketId: "BTC-PERP", rate: 2, markPrice: -1, ts: "yesterday" });
      } catch (e) {
        return e;
      }
    })();
    expect(isInputError(error) && error.fields.map((f) => f.path)).toEqual(["rate", "markPrice", "ts"]);
  });
});
