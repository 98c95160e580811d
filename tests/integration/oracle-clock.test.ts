import { describe, expect, it } from "vitest";
import type { InputError } from "@/lib/contracts/api-error";
import { POST as postPrices } from "@/app/api/v1/ingest/prices/route";
import { createIngestToken } from "@/lib/server/ingest/ingest-tokens";
import { setServices } from "@/lib/server/services/services-registry";
import { engineOf, engineSettled, setMark, startTestRuntime, perTestRuntime } from "../support/test-runtime";

const YEAR = 365 * 86_400_000;

async function refusal(promise: Promise<unknown>): Promise<InputError> {
  try {
    await promise;
  } catch (error) {
    return error as InputError;
  }
  throw new Error("the batch was accepted");
}

describe("the oracle's clock (spec §7, revision 2)", () => {
  const t = perTestRuntime();

  async function stored() {
    const [prices, candles] = await Promise.all([t.db.prisma.latestPrice.count(), t.db.prisma.priceTick.count()]);
    return { prices, candles };
  }

  it("a tick dated more than maxClockSkewMs ahead refuses the whole batch, naming ticks[i].ts; nothing is applied", async () => {
    t.runtime = await startTestRuntime(t.db);
    const now = Date.now();
    for (const ahead of [now + YEAR, 8640000000000000, now + 60_000]) {
      const error = await refusal(t.runtime.services.ingest.prices({ source: "feed", ticks: [
        { marketId: "BTC-PERP", price: 60000, ts: now },
        { marketId: "BTC-PERP", price: 61000, ts: ahead },
      ] }));
      expect(error.name).toBe("InputError");
      expect(error.fields.map((f) => f.path)).toEqual(["ticks[1].ts"]);
      expect(error.fields[0]!.message).toContain("maxClockSkewMs");
    }
    // An ISO time a year ahead too.
    const iso = await refusal(t.runtime.services.ingest.prices({ source: "feed", ticks: [{ marketId: "ETH-PERP", price: 3000, ts: new Date(now + YEAR).toISOString() }] }));
    expect(iso.fields.map((f) => f.path)).toEqual(["ticks[0].ts"]);
    expect(await stored()).toEqual({ prices: 0, candles: 0 });
    expect(t.runtime.services.markets.snapshot().markets.find((m) => m.id === "BTC-PERP")).toMatchObject({ mark: null, stale: true });
    // Within the skew: accepted (a source's clock a little ahead of ours).
    await t.runtime.services.ingest.prices({ source: "feed", ticks: [{ marketId: "BTC-PERP", price: 60000, ts: Date.now() + 3000 }] });
    expect(await stored()).toEqual({ prices: 1, candles: 1 });
  });

  it("POST /api/v1/ingest/prices answers 400 invalid_input naming ticks[i].ts, and nothing is applied", async () => {
    t.runtime = await startTestRuntime(t.db);
    setServices(t.runtime.services);
    try {
      const { token } = await createIngestToken(t.db.prisma, "clock-test");
      const response = await postPrices(new Request("http://localhost/api/v1/ingest/prices", {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify({ source: "feed", ticks: [
          { marketId: "BTC-PERP", price: 60000, ts: Date.now() },
          { marketId: "ETH-PERP", price: 3000, ts: Date.now() },
          { marketId: "ETH-PERP", price: 3100, ts: 8640000000000000 },
        ] }),
      }));
      expect(response.status).toBe(400);
      const body = (await response.json()) as { error: { code: string; fields: { path: string }[] } };
      expect(body.error.code).toBe("invalid_input");
      expect(body.error.fields.map((f) => f.path)).toEqual(["ticks[2].ts"]);
      expect(await stored()).toEqual({ prices: 0, candles: 0 });
    } finally {
      setServices(undefined);
    }
  });

  it("maxClockSkewMs comes from LIQDESK_MAX_CLOCK_SKEW_MS", async () => {
    t.runtime = await startTestRuntime(t.db, { LIQDESK_MAX_CLOCK_SKEW_MS: "1000" });
    const error = await refusal(t.runtime.services.ingest.prices({ source: "feed", ticks: [{ marketId: "BTC-PERP", price: 60000, ts: Date.now() + 3000 }] }));
    expect(error.fields.map((f) => f.path)).toEqual(["ticks[0].ts"]);
    expect(error.fields[0]!.message).toContain("1000 ms");
  });

  it("freshness is judged by receive time: an old-dated tick just received is fresh; its age counts from receipt", async () => {
    t.runtime = await startTestRuntime(t.db, { LIQDESK_STALE_AFTER_MS: "1500" });
    const before = Date.now();
    await t.runtime.services.ingest.prices({ source: "feed", ticks: [{ marketId: "BTC-PERP", price: 60000, ts: before - 3_600_000 }] });
    await engineSettled(t.runtime);
    const btc = t.runtime.services.markets.snapshot().markets.find((m) => m.id === "BTC-PERP")!;
    expect(btc).toMatchObject({ mark: 60000, stale: false });
    expect(btc.markTs).toBeGreaterThanOrEqual(before);
    expect(btc.sources[0]).toMatchObject({ ts: before - 3_600_000, fresh: true });
    await new Promise((r) => setTimeout(r, 2000));
    expect(t.runtime.services.markets.snapshot().markets.find((m) => m.id === "BTC-PERP")).toMatchObject({ mark: 60000, stale: true, markTs: btc.markTs });
  });

  it("state poisoned by future-dated ticks before the fix is repaired at start: the market is not fresh and the source's correct ticks apply", async () => {
    t.runtime = await startTestRuntime(t.db);
    await t.runtime.stop();
    t.runtime = null;
    const future = new Date(Date.now() + YEAR);
    // What the old code accepted and kept: a price dated a year ahead (its cursor), received just now.
    await t.db.prisma.$executeRaw`
      INSERT INTO latest_prices (market_id, source, price, ts, seq, updated_at)
      VALUES ('BTC-PERP', 'feed', 99999, ${future}, ${future.getTime()}, now())`;
    await t.db.prisma.$executeRaw`INSERT INTO market_marks (market_id, mark, computed_at) VALUES ('BTC-PERP', 99999, ${future})`;
    const start = Date.now();
    t.runtime = await startTestRuntime(t.db);
    const btc = t.runtime.services.markets.snapshot().markets.find((m) => m.id === "BTC-PERP")!;
    expect(btc.stale).toBe(true);
    expect(btc.markTs).toBeLessThanOrEqual(Date.now());
    expect(btc.markTs).toBeGreaterThanOrEqual(start);
    expect(btc.sources).toEqual([]);
    expect(await t.db.prisma.latestPrice.count()).toBe(0);
    const result = await t.runtime.services.ingest.prices({ source: "feed", ticks: [{ marketId: "BTC-PERP", price: 60000, ts: Date.now() }] });
    expect(result).toMatchObject({ accepted: 1, ignored: 0 });
    expect(t.runtime.services.markets.snapshot().markets.find((m) => m.id === "BTC-PERP")).toMatchObject({ mark: 60000, stale: false });
  });
});

describe("marks after a restart (spec §7, revision 2)", () => {
  const t = perTestRuntime();

  it("every market starts from its last computed mark with its true age, stale; a market never priced has no mark and its accounts' figures are unknown", async () => {
    t.runtime = await startTestRuntime(t.db, { LIQDESK_STALE_AFTER_MS: "1000" });
    await setMark(t.runtime, "BTC-PERP", 60000);
    for (const [id, marketId, entryPrice] of [["a1", "BTC-PERP", 61000], ["u1", "SOL-PERP", 150]] as const) {
      await t.runtime.services.ingest.collateral({ entries: [{ accountId: id, amount: "5000", kind: "deposit", idempotencyKey: `dep:${id}` }] });
      await t.runtime.services.ingest.positions({ source: "venue", updates: [{ accountId: id, marketId, qty: 1, entryPrice, seq: 1 }] });
    }
    await engineSettled(t.runtime);
    const before = t.runtime.services.markets.snapshot().markets.find((m) => m.id === "BTC-PERP")!;
    expect(before).toMatchObject({ mark: 60000, stale: false });
    await t.runtime.stop();
    t.runtime = null;
    const kept = await t.db.prisma.marketMark.findMany();
    expect(kept.map((m) => [m.marketId, m.mark.toNumber(), m.computedAt.getTime()])).toEqual([["BTC-PERP", 60000, before.markTs]]);

    await new Promise((r) => setTimeout(r, 1500));
    t.runtime = await startTestRuntime(t.db, { LIQDESK_STALE_AFTER_MS: "1000" });
    const now = Date.now();
    const btc = t.runtime.services.markets.snapshot().markets.find((m) => m.id === "BTC-PERP")!;
    expect(btc).toMatchObject({ mark: 60000, markTs: before.markTs, stale: true });
    expect(now - btc.markTs!).toBeGreaterThanOrEqual(1500);
    expect(t.runtime.services.markets.snapshot().markets.find((m) => m.id === "SOL-PERP")).toMatchObject({ mark: null, markTs: null, stale: true });

    // Valued at the persisted mark, not at the entry price.
    const a1 = (await engineOf(t.runtime).client.accountView("a1", now))!;
    expect(a1.positions[0]).toMatchObject({ markPrice: 60000, unrealizedPnl: -1000, stale: true });
    expect(a1).toMatchObject({ equity: 4000, unpricedMarkets: [] });
    // Never priced: unknown, not 5,000 of equity at the entry price.
    const u1 = (await engineOf(t.runtime).client.accountView("u1", now))!;
    expect(u1).toMatchObject({ status: "unknown", equity: null, maintenanceMargin: null, marginRatio: null, liquidation: null, queue: null, unpricedMarkets: ["SOL-PERP"] });
    expect(u1.positions[0]).toMatchObject({ markPrice: null, notional: null, unrealizedPnl: null });
    expect((await engineOf(t.runtime).client.summary()).byStatus.unknown).toBe(1);
    // No preview of a top-up on figures nobody can compute.
    await expect(t.runtime.services.accounts.previewTopUp("u1", { amount: "100" })).rejects.toMatchObject({ status: 409, code: "figures_unknown" });

    // Fresh prices take over from the persisted mark.
    await setMark(t.runtime, "BTC-PERP", 60500);
    await setMark(t.runtime, "SOL-PERP", 140);
    await engineSettled(t.runtime);
    expect(t.runtime.services.markets.snapshot().markets.find((m) => m.id === "BTC-PERP")).toMatchObject({ mark: 60500, stale: false });
    expect(await engineOf(t.runtime).client.accountView("u1", Date.now())).toMatchObject({ status: "healthy", equity: 4990, unpricedMarkets: [] });
  });
});
