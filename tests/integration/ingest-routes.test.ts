import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as postCollateral } from "@/app/api/v1/ingest/collateral/route";
import { POST as postFunding } from "@/app/api/v1/ingest/funding/route";
import { POST as postPositions } from "@/app/api/v1/ingest/positions/route";
import { POST as postPrices } from "@/app/api/v1/ingest/prices/route";
import { parseEnv } from "@/lib/server/env";
import { createIngestToken } from "@/lib/server/ingest/ingest-tokens";
import { createLogger } from "@/lib/server/logger";
import { Runtime } from "@/lib/server/runtime";
import { setServices } from "@/lib/server/services/services-registry";
import { seedDatabase } from "@/lib/server/seed";
import { createTestDatabase, type TestDatabase } from "../support/test-database";

describe("ingest HTTP routes", () => {
  let db: TestDatabase;
  let runtime: Runtime;
  let token: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    await seedDatabase(db.prisma);
    runtime = await Runtime.create(parseEnv({ LOG_LEVEL: "silent" }), createLogger("silent"), db.prisma);
    setServices(runtime.services);
    token = (await createIngestToken(db.prisma, "routes-test")).token;
  });
  afterAll(async () => {
    setServices(undefined);
    runtime?.stop();
    await db?.drop();
  });

  const post = (handler: (request: Request) => Promise<Response>, body: unknown, authorization: string | null = `Bearer ${token}`) =>
    handler(new Request("http://localhost/api/v1/ingest", {
      method: "POST",
      headers: { "content-type": "application/json", ...(authorization === null ? {} : { authorization }) },
      body: typeof body === "string" ? body : JSON.stringify(body),
    }));
  const now = Date.now();

  it("every endpoint answers 401 without a token or with a wrong one, and applies nothing", async () => {
    for (const handler of [postPrices, postPositions, postCollateral, postFunding]) {
      for (const auth of [null, "Bearer lqd_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", `Basic ${token}`]) {
        const response = await post(handler, { entries: [] }, auth);
        expect(response.status).toBe(401);
        expect(response.headers.get("www-authenticate")).toContain("Bearer");
        expect((await response.json()).error.code).toBe("unauthorized");
      }
    }
    expect(await db.prisma.account.count()).toBe(0);
  });

  it("positions: 200 with the applied counts, then the same batch again is all ignored", async () => {
    const body = { source: "venue", updates: [
      { accountId: "r1", marketId: "BTC-PERP", qty: 0.5, entryPrice: 60000, seq: 1 },
      { accountId: "r2", marketId: "ETH-PERP", qty: "-3.21", entryPrice: "3000.5", seq: 1 },
    ] };
    const first = await post(postPositions, body);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ accepted: 2, ignored: 0, newAccounts: 2 });
    expect(await (await post(postPositions, body)).json()).toEqual({ accepted: 0, ignored: 2, newAccounts: 0 });
  });

  it("positions: 400 naming the item's field, and nothing changes", async () => {
    const response = await post(postPositions, { source: "venue", updates: [
      { accountId: "r3", marketId: "BTC-PERP", qty: 0.5, entryPrice: 60000, seq: 1 },
      { accountId: "r3", marketId: "BTC-PERP", qty: 0.0005, entryPrice: 60000, seq: 2 },
    ] });
    expect(response.status).toBe(400);
    const { error } = await response.json();
    expect(error.code).toBe("invalid_input");
    expect(error.fields).toEqual([{ path: "updates[1].qty", message: "0.0005 is not a whole number of lots (lotSize 0.001)" }]);
    expect(await db.prisma.account.findUnique({ where: { id: "r3" } })).toBeNull();
  });

  it("isolated positions (spec §11): an unknown margin mode, or a margin on a cross position, is a 400 naming it; a move beyond the cross balance too", async () => {
    const bad = await post(postPositions, { source: "venue", updates: [
      { accountId: "r4", marketId: "BTC-PERP", qty: 0.5, entryPrice: 60000, seq: 1, marginMode: "isolated", isolatedMargin: 100 },
      { accountId: "r4", marketId: "ETH-PERP", qty: 1, entryPrice: 3000, seq: 1, marginMode: "portfolio" },
      { accountId: "r4", marketId: "SOL-PERP", qty: 1, entryPrice: 150, seq: 1, isolatedMargin: 5 },
    ] });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.fields.map((f: { path: string }) => f.path)).toEqual(["updates[1].marginMode", "updates[2].isolatedMargin"]);
    expect(await db.prisma.account.findUnique({ where: { id: "r4" } })).toBeNull();
    // (BNB-PERP: the funding test below counts the BTC-PERP holders.)
    const ok = await post(postPositions, { source: "venue", updates: [
      { accountId: "r4", marketId: "BNB-PERP", qty: 1, entryPrice: 600, seq: 1, marginMode: "isolated", isolatedMargin: 100 },
    ] });
    expect(ok.status).toBe(200);
    const move = await post(postCollateral, { entries: [{ accountId: "r4", kind: "isolated_margin", marketId: "BNB-PERP", amount: "0.01", idempotencyKey: "r4-move" }] });
    expect(move.status).toBe(400);
    expect((await move.json()).error.fields[0]).toMatchObject({ path: "entries[0].amount", message: expect.stringMatching(/more than the cross balance allows/) });
  });

  it("malformed JSON is a 400 on the body", async () => {
    const response = await post(postPositions, "{not json");
    expect(response.status).toBe(400);
    expect((await response.json()).error.fields).toEqual([{ path: "(body)", message: "body is not valid JSON" }]);
  });

  it("collateral: 200 with the new entries and their balances; a replay is counted, not applied", async () => {
    const body = { entries: [
      { accountId: "r1", amount: "2500.25", kind: "deposit", idempotencyKey: "route-dep-1" },
      { accountId: "r1", amount: -500, kind: "withdrawal", idempotencyKey: "route-wd-1" },
    ] };
    const response = await post(postCollateral, body);
    expect(response.status).toBe(200);
    const result = await response.json();
    expect(result).toMatchObject({ accepted: 2, replayed: 0 });
    expect(result.entries.map((e: { balanceAfter: string }) => e.balanceAfter)).toEqual(["2500.25", "2000.25"]);
    expect(await (await post(postCollateral, body)).json()).toEqual({ accepted: 0, replayed: 2, entries: [] });
    const bad = await post(postCollateral, { entries: [{ accountId: "r1", amount: 1, kind: "bonus", idempotencyKey: "x" }] });
    expect((await bad.json()).error.fields[0].path).toBe("entries[0].kind");
  });

  it("funding: 200 with the number of ledger entries; a replay is not applied; an unknown market is a 400", async () => {
    const body = { marketId: "BTC-PERP", rate: 0.0001, markPrice: 60000, ts: now };
    expect(await (await post(postFunding, body)).json()).toMatchObject({ applied: true, entries: 1 });
    expect(await (await post(postFunding, body)).json()).toMatchObject({ applied: false, entries: 0 });
    const unknown = await post(postFunding, { ...body, marketId: "NOPE-PERP" });
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).error.fields[0].path).toBe("marketId");
    const account = await db.prisma.account.findUniqueOrThrow({ where: { id: "r1" } });
    expect(account.collateral.toFixed()).toBe("1997.25"); // 2000.25 − 0.5 × 60000 × 0.0001
  });

  it("prices: 200 with accepted and ignored counts; a bad tick is a 400 naming it", async () => {
    const ok = await post(postPrices, { source: "feed", ticks: [{ marketId: "BTC-PERP", price: 60001.5, ts: now }] });
    expect(await ok.json()).toEqual({ accepted: 1, ignored: 0 });
    const bad = await post(postPrices, { source: "feed", ticks: [{ marketId: "BTC-PERP", price: -1, ts: now }] });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.fields[0].path).toBe("ticks[0].price");
  });

  it("answers 503 while the runtime is not up", async () => {
    setServices(undefined);
    try {
      const response = await post(postPositions, { source: "venue", updates: [] });
      expect(response.status).toBe(503);
      expect((await response.json()).error.code).toBe("not_ready");
    } finally {
      setServices(runtime.services);
    }
  });
});
