// Markets imported while the server runs reach its engine without a restart: `npm run markets --
// import` (a real process) commits and NOTIFYs, the runtime's listener reloads the named markets
// from PostgreSQL in one read and hands them to the engine in one batch, checked whole.
import { spawnSync } from "node:child_process";
import path from "node:path";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { evaluateScenario, type MarketParams } from "@/lib/risk";
import type { Runtime } from "@/lib/server/runtime";
import { marketParamsOf } from "@/lib/server/market-params-of";
import { engineOf, engineSettled, perTestRuntime, setMark, startTestRuntime } from "../support/test-runtime";

const ROOT = path.resolve(import.meta.dirname, "../..");
const HYPERLIQUID = path.join(ROOT, "tests/fixtures/venues/hyperliquid-meta.json");
const POSITION = { marketId: "BTC-PERP", qty: 10, entryPrice: 60000 };

function importMarkets(url: string, ...args: string[]) {
  const r = spawnSync(process.execPath, ["--import", "tsx", "--import", "./scripts/server-only-hook.mjs", "scripts/markets.ts", "import", ...args, "--url", url], {
    cwd: ROOT, encoding: "utf8", timeout: 60_000,
  });
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
}

async function until<T>(read: () => Promise<T>, done: (v: T) => boolean, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (done(v) || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function openAccount(runtime: Runtime) {
  await setMark(runtime, "BTC-PERP", 60000);
  await runtime.services.ingest.collateral({ entries: [{ accountId: "a1", amount: "10000", kind: "deposit", idempotencyKey: "dep:a1" }] });
  await runtime.services.ingest.positions({ source: "venue", updates: [{ accountId: "a1", ...POSITION, seq: 1 }] });
  await engineSettled(runtime);
}

/** What spec §3–§4 say of a1 with `market`'s tiers. */
function expected(market: MarketParams) {
  const r = evaluateScenario({ markets: [market], prices: { "BTC-PERP": 60000 }, accounts: [{ id: "a1", collateral: 10000, positions: [POSITION] }] });
  return { maintenanceMargin: r.accounts[0]!.maintenanceMargin, liquidationPrice: r.accounts[0]!.positions[0]!.liquidationPrice! };
}

describe("market imports applied to the live engine", () => {
  const t = perTestRuntime();

  it("an import revalues the positions of a running engine with the new tiers; a new market is known at once", async () => {
    t.runtime = await startTestRuntime(t.db, {}, "0", { databaseUrl: t.db.url });
    await openAccount(t.runtime);
    const engine = engineOf(t.runtime);
    const seeded = marketParamsOf(await t.db.prisma.market.findUniqueOrThrow({ where: { id: "BTC-PERP" } }));
    const before = await engine.client.accountView("a1", Date.now());
    expect(before!.maintenanceMargin).toBeCloseTo(expected(seeded).maintenanceMargin, 9); // 600,000 · 1% − 1,300 = 4,700
    expect(before!.maintenanceMargin).toBeCloseTo(4700, 9);

    importMarkets(t.db.url, "hyperliquid", HYPERLIQUID, "--symbols", "BTC,HPOS", "--tick-size", "0.001", "--liquidation-fee-rate", "0.01",
      "--half-spread-bps", "5", "--depth-per-1pct", "100000");
    const imported = marketParamsOf(await t.db.prisma.market.findUniqueOrThrow({ where: { id: "BTC-PERP" } }));
    expect(imported.tiers[0]).toEqual({ maxNotional: 150_000_000, mmr: 0.0125, maxLeverage: 40 });
    const after = await until(() => engine.client.accountView("a1", Date.now()), (v) => v!.maintenanceMargin !== before!.maintenanceMargin);
    expect(after!.maintenanceMargin).toBeCloseTo(expected(imported).maintenanceMargin, 9); // 600,000 · 1.25% = 7,500
    expect(after!.maintenanceMargin).toBeCloseTo(7500, 9);
    expect(after!.positions[0]!.liquidationPrice).toBeCloseTo(expected(imported).liquidationPrice, 6);
    // The top-up preview's book follows the engine's.
    expect(engine.marketBook.get("BTC-PERP")!.params.tiers).toEqual(imported.tiers);
    // HPOS-PERP is new: listed (no price yet), and the ingest takes its prices and positions.
    expect(t.runtime.services.markets.snapshot().markets.find((m) => m.id === "HPOS-PERP")).toMatchObject({ mark: null, lotSize: 1 });
    await setMark(t.runtime, "HPOS-PERP", 2.5);
    await t.runtime.services.ingest.positions({ source: "venue", updates: [{ accountId: "a1", marketId: "HPOS-PERP", qty: 100, entryPrice: 2.5, seq: 2 }] });
    await engineSettled(t.runtime);
    const both = await engine.client.accountView("a1", Date.now());
    expect(both!.positions.map((p) => [p.marketId, p.maintenanceMargin])).toEqual([["BTC-PERP", 7500], ["HPOS-PERP", 250 / 6]]);
  });

  it("a set with one market the engine refuses is applied not at all: the engine keeps every market it had", async () => {
    t.runtime = await startTestRuntime(t.db, {}, "0", { databaseUrl: t.db.url });
    await openAccount(t.runtime);
    const engine = engineOf(t.runtime);
    const btcBefore = engine.marketBook.get("BTC-PERP")!.params;
    // Written behind the import's back (the import would refuse it): BTC-PERP valid (read and
    // applied first, in id order), ETH-PERP's fee above its first mmr (spec §2 rejects it).
    await t.db.prisma.$transaction([
      t.db.prisma.market.update({ where: { id: "BTC-PERP" }, data: { tiers: [{ maxNotional: null, mmr: 0.05, maxLeverage: 10 }] } }),
      t.db.prisma.market.update({ where: { id: "ETH-PERP" }, data: { liquidationFeeRate: "0.5" } }),
      t.db.prisma.$queryRaw`SELECT pg_notify('liqdesk_markets', '{"markets":["BTC-PERP","ETH-PERP"]}')::text AS sent`,
    ]);
    await new Promise((r) => setTimeout(r, 1000));
    await engineSettled(t.runtime);
    expect(engine.marketBook.get("BTC-PERP")!.params).toEqual(btcBefore);
    expect((await engine.client.accountView("a1", Date.now()))!.maintenanceMargin).toBeCloseTo(4700, 9);
  });

  it("an import committed while the listener's session was down is applied once it listens again", async () => {
    t.runtime = await startTestRuntime(t.db, {}, "0", { databaseUrl: t.db.url });
    await openAccount(t.runtime);
    const engine = engineOf(t.runtime);
    const admin = new pg.Client({ connectionString: t.db.url });
    await admin.connect();
    try {
      const killed = await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'liqdesk-markets-listener' AND datname = current_database()");
      expect(killed.rowCount).toBe(1);
      importMarkets(t.db.url, "hyperliquid", HYPERLIQUID, "--symbols", "BTC"); // its NOTIFY finds nobody listening
    } finally {
      await admin.end();
    }
    const after = await until(() => engine.client.accountView("a1", Date.now()), (v) => v!.maintenanceMargin !== 4700);
    expect(after!.maintenanceMargin).toBeCloseTo(7500, 9);
  });
});
