// `npm run markets -- import` against a running Liqdesk (npm start, its own embedded PostgreSQL):
// the server revalues its positions with the imported tiers at once, without a restart, and its
// desk API, top-up preview and audit log all show them.
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { launchBrowser } from "../support/browser";
import { evaluateScenario } from "@/lib/risk";
import { runScript, startAppServer, stopAndRemove, type AppServer } from "../support/app-server";
import { IngestClient } from "../support/ingest-client";
import { newDeskPage, signInDesk } from "../support/sign-in";

const FIXTURE = path.resolve(import.meta.dirname, "../fixtures/venues/hyperliquid-meta.json");
const ACCOUNT = "imp-1";
const POSITION = { marketId: "BTC-PERP", qty: 10, entryPrice: 60000 };
const BTC = { id: "BTC-PERP", lotSize: 0.001, tickSize: 0.1, liquidationFeeRate: 0.001, liquidity: { halfSpreadBps: 1, depthPer1Pct: 2_000_000 } };

/** Spec §3–§4 for the account with `tiers` for BTC-PERP. */
function expected(tiers: { maxNotional: number | null; mmr: number; maxLeverage: number }[]) {
  const r = evaluateScenario({ markets: [{ ...BTC, tiers }], prices: { "BTC-PERP": 60000 }, accounts: [{ id: ACCOUNT, collateral: 10000, positions: [POSITION] }] });
  return { maintenanceMargin: r.accounts[0]!.maintenanceMargin, liquidationPrice: r.accounts[0]!.positions[0]!.liquidationPrice };
}

interface Detail { view: { maintenanceMargin: number; positions: { marketId: string; liquidationPrice: number | null }[] } }

describe("a venue table imported into a running server", () => {
  let server: AppServer | null = null;
  let browser: Browser;

  beforeAll(async () => {
    server = await startAppServer({ env: { LIQDESK_SIMULATOR: "off" } });
    const ingest = new IngestClient(server.url, runScript(server, "token", ["create", "markets-import"]).trim());
    await ingest.mark("BTC-PERP", 60000);
    await ingest.post("collateral", { entries: [{ accountId: ACCOUNT, amount: "10000", kind: "deposit", idempotencyKey: ACCOUNT }] });
    await ingest.post("positions", { source: "venue", updates: [{ accountId: ACCOUNT, ...POSITION, seq: 1 }] });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await stopAndRemove(server);
  });

  it("revalues the account with Hyperliquid's BTC tiers, without a restart; the preview, the audit log and the open desk agree", async () => {
    const desk = await signInDesk(server!);
    const detail = async () => (await (await desk.fetch(`/api/v1/accounts/${ACCOUNT}`)).json()) as Detail;
    const seeded = expected([
      { maxNotional: 50_000, mmr: 0.004, maxLeverage: 125 }, { maxNotional: 250_000, mmr: 0.005, maxLeverage: 100 },
      { maxNotional: 1_000_000, mmr: 0.01, maxLeverage: 50 }, { maxNotional: null, mmr: 0.025, maxLeverage: 20 },
    ]);
    await expect.poll(async () => (await detail()).view.maintenanceMargin).toBeCloseTo(seeded.maintenanceMargin, 6);

    // The desk is open before the import: a market created by it appears there without a reload.
    const page = await newDeskPage(browser, server!, { viewport: { width: 1400, height: 1000 } });
    await page.goto(`${server!.url}/desk`);
    await expect.poll(() => page.getByTestId("market-BTC-PERP").count()).toBe(1);
    expect(await page.getByTestId("market-HPOS-PERP").count()).toBe(0);

    const out = runScript(server!, "markets", ["import", "hyperliquid", FIXTURE, "--symbols", "BTC,HPOS", "--by", "e2e-desk",
      "--tick-size", "0.001", "--liquidation-fee-rate", "0.01", "--half-spread-bps", "5", "--depth-per-1pct", "100000"]);
    expect(out).toContain("BTC-PERP (hyperliquid BTC): update (tiers)");
    expect(out).toContain("HPOS-PERP (hyperliquid HPOS): new market");
    const imported = expected([{ maxNotional: 150_000_000, mmr: 0.0125, maxLeverage: 40 }, { maxNotional: null, mmr: 0.025, maxLeverage: 20 }]);
    expect(imported.maintenanceMargin).toBeCloseTo(7500, 9);
    await expect.poll(async () => (await detail()).view.maintenanceMargin, { timeout: 10_000 }).toBeCloseTo(imported.maintenanceMargin, 6);
    expect((await detail()).view.positions[0]!.liquidationPrice).toBeCloseTo(imported.liquidationPrice!, 6);

    const preview = (await (await desk.post(`/api/v1/accounts/${ACCOUNT}/topups/preview`, { amount: "1000" })).json()) as { before: { maintenanceMargin: number; positions: { liquidationPrice: number }[] } };
    expect(preview.before.maintenanceMargin).toBeCloseTo(imported.maintenanceMargin, 6);
    expect(preview.before.positions[0]!.liquidationPrice).toBeCloseTo(imported.liquidationPrice!, 6);

    const audit = (await (await desk.fetch("/api/v1/audit?action=market.import")).json()) as { actor: string; note: string }[] | { entries: { actor: string; note: string }[] };
    const entries = Array.isArray(audit) ? audit : audit.entries;
    expect(entries.map((e) => [e.actor, e.note])).toEqual([["cli:e2e-desk", "hyperliquid hyperliquid-meta.json: BTC-PERP updated, HPOS-PERP created"]]);
    expect(server!.output()).toContain("markets reloaded into the engine");
    await expect.poll(() => page.getByTestId("market-HPOS-PERP").count(), { timeout: 10_000 }).toBe(1);
  });
});
