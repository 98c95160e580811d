import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import type { StressResult } from "@/lib/risk";
import { seedMarkets } from "@/lib/sim/seed-markets";
import { formatPrice } from "@/lib/format/price";
import { formatUsd } from "@/lib/format/usd";
import { newDeskPage } from "../support/sign-in";
import { ARTIFACTS, launchBrowser, screenshotPath } from "../support/browser";
import { IngestClient } from "../support/ingest-client";
import { runScript, startAppServer, stopAndRemove, type AppServer } from "../support/app-server";

const ROOT = path.resolve(import.meta.dirname, "../..");
const OUT = path.join(ARTIFACTS, "stress-vs-cli");

const FUND_SEED = "75000.25";
const PRICES: Record<string, number> = { "BTC-PERP": 60000, "ETH-PERP": 3000, "SOL-PERP": 150 };
/**
 * A book that a −10% BTC-PERP shock sends into every status, with deficits larger than the fund,
 * and whose liquidations push BTC-PERP further down into a second round. Collateral never negative.
 */
const ACCOUNTS: { id: string; collateral: number; positions: { marketId: string; qty: number; entryPrice: number }[] }[] = [
  { id: "st-whale", collateral: 400000, positions: [{ marketId: "BTC-PERP", qty: 100, entryPrice: 60000 }] },
  { id: "st-big", collateral: 300000, positions: [{ marketId: "BTC-PERP", qty: 40, entryPrice: 61000 }] },
  { id: "st-mid", collateral: 65000, positions: [{ marketId: "BTC-PERP", qty: 10, entryPrice: 60000 }] },
  { id: "st-thin", collateral: 31300, positions: [{ marketId: "BTC-PERP", qty: 5, entryPrice: 60000 }] },
  { id: "st-short", collateral: 10000, positions: [{ marketId: "BTC-PERP", qty: -5, entryPrice: 60000 }] },
  { id: "st-cross", collateral: 6000.5, positions: [{ marketId: "BTC-PERP", qty: 2.5, entryPrice: 59800 }, { marketId: "ETH-PERP", qty: -30, entryPrice: 3010.25 }] },
  { id: "st-eth", collateral: 5000, positions: [{ marketId: "ETH-PERP", qty: 20, entryPrice: 2990 }] },
  { id: "st-sol", collateral: 2500, positions: [{ marketId: "SOL-PERP", qty: 300, entryPrice: 151.5 }] },
  { id: "st-flat", collateral: 1234.56, positions: [] },
];

const STATUSES = ["healthy", "warning", "liquidatable", "backstop", "bankrupt"] as const;
type Kind = "count" | "figure";
/** Every figure the stress panel shows (by data-testid), where the CLI's JSON has it, and how it compares. */
const FIGURES: Record<string, [Kind, (r: StressResult) => number]> = {
  ...Object.fromEntries(STATUSES.map((s) => [`stress-status-${s}`, ["count", (r: StressResult) => r.shock.statusCounts[s]]])),
  "stress-liquidatable-accounts": ["count", (r) => r.shock.liquidatableAccounts],
  "stress-liquidatable-notional": ["figure", (r) => r.shock.liquidatableNotional],
  "stress-planned-notional": ["figure", (r) => r.shock.plannedCloseNotional],
  "stress-shock-deficit": ["figure", (r) => r.shock.deficits.total],
  "stress-shock-fund-after": ["figure", (r) => r.shock.insuranceFund.balanceAfter],
  "stress-shock-uncovered": ["figure", (r) => r.shock.insuranceFund.uncovered],
  ...Object.fromEntries(STATUSES.map((s) => [`stress-final-status-${s}`, ["count", (r: StressResult) => r.cascade.finalStatusCounts[s]]])),
  "stress-rounds": ["count", (r) => r.cascade.rounds.length],
  "stress-accounts-liquidated": ["count", (r) => r.cascade.totals.accountsLiquidated],
  "stress-liquidated-notional": ["figure", (r) => r.cascade.totals.liquidatedNotional],
  "stress-deficit": ["figure", (r) => r.cascade.totals.deficits],
  "stress-fund-after": ["figure", (r) => r.cascade.insuranceFundAfter],
  "stress-uncovered": ["figure", (r) => r.cascade.totals.uncovered],
};

/** `npm run --silent risk -- stress FILE`, as a user runs it; its standard output parsed. */
function riskStressCli(file: string): StressResult {
  const result = spawnSync("npm", ["run", "--silent", "risk", "--", "stress", file], { cwd: ROOT, encoding: "utf8", timeout: 120_000 });
  if (result.status !== 0) throw new Error(`risk stress ${file} exited ${result.status}:\n${result.stderr}`);
  return JSON.parse(result.stdout) as StressResult;
}

describe("the desk's stress panel and the risk CLI", () => {
  let server: AppServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startAppServer({
      env: {
        LIQDESK_SIMULATOR: "off", LIQDESK_SIM_ACCOUNTS: "0", LIQDESK_EXECUTION: "off", LIQDESK_STALE_AFTER_MS: "600000",
        LIQDESK_INSURANCE_FUND_SEED: FUND_SEED,
      },
    });
    const ingest = new IngestClient(server.url, runScript(server, "token", ["create", "e2e-stress"]).trim());
    for (const [marketId, price] of Object.entries(PRICES)) await ingest.mark(marketId, price);
    await ingest.post("collateral", {
      entries: ACCOUNTS.map((a) => ({ accountId: a.id, amount: String(a.collateral), kind: "deposit", idempotencyKey: `e2e-stress:${a.id}` })),
    });
    // Positions last: the engine applies pending marks before a mutation, so once this is acknowledged it holds the whole book.
    await ingest.post("positions", {
      source: "e2e-venue",
      updates: ACCOUNTS.flatMap((a) => a.positions.map((p, i) => ({ accountId: a.id, ...p, seq: i + 1 }))),
    });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    expect(await stopAndRemove(server)).toBe(0);
  });

  it("a −10% BTC-PERP shock set in the panel shows exactly what `risk stress` prints for the same book", async () => {
    mkdirSync(OUT, { recursive: true });
    const inputFile = path.join(OUT, "input.json");
    writeFileSync(inputFile, `${JSON.stringify({
      markets: seedMarkets.map((m) => ({ id: m.id, lotSize: m.lotSize, tickSize: m.tickSize, liquidationFeeRate: m.liquidationFeeRate, tiers: m.tiers, liquidity: m.liquidity })),
      prices: PRICES,
      accounts: ACCOUNTS,
      shocks: { "BTC-PERP": -0.1 },
      insuranceFund: Number(FUND_SEED),
    }, null, 2)}\n`);
    const cli = riskStressCli(inputFile);
    writeFileSync(path.join(OUT, "cli.json"), `${JSON.stringify(cli, null, 2)}\n`);
    // The book is one where a wrong figure shows: every status, deficits beyond the fund, a cascade.
    for (const s of STATUSES) expect(cli.shock.statusCounts[s], `accounts ${s} at the shock`).toBeGreaterThan(0);
    expect(cli.shock.insuranceFund.uncovered).toBeGreaterThan(0);
    expect(cli.cascade.rounds.length).toBeGreaterThanOrEqual(2);
    expect(cli.cascade.insuranceFundBefore).toBe(Number(FUND_SEED));

    const page = await newDeskPage(browser, server, { viewport: { width: 1440, height: 1000 } });
    await page.goto(`${server.url}/desk`);
    await expect.poll(() => page.getByTestId("connection-status").getAttribute("data-status")).toBe("live");
    expect(await page.getByTestId("summary-accounts").getAttribute("data-value")).toBe(String(ACCOUNTS.filter((a) => a.positions.length).length));
    expect(await page.getByTestId("summary-fund").getAttribute("data-value")).toBe(FUND_SEED);

    const panel = page.getByTestId("stress-panel");
    await panel.scrollIntoViewIfNeeded();
    expect(await panel.getByTestId("stress-result").count()).toBe(0);
    await panel.getByRole("spinbutton", { name: "BTC-PERP shock in percent" }).fill("-10");
    await expect.poll(() => panel.getByTestId("stress-shock-BTC-PERP").getByTitle("the mark after the shock, USD").textContent())
      .toBe(formatPrice(cli.shock.marks["BTC-PERP"]!, 0.1));
    await panel.getByRole("button", { name: "Run stress test" }).click();
    const result = panel.getByTestId("stress-result");
    await result.waitFor({ timeout: 60_000 });

    const shown = await result.locator("[data-testid^=stress-][data-value]").evaluateAll((els) =>
      Object.fromEntries(els.map((e) => [e.getAttribute("data-testid")!, e.getAttribute("data-value")!])));
    writeFileSync(path.join(OUT, "panel.json"), `${JSON.stringify(shown, null, 2)}\n`);
    expect(Object.keys(shown).sort(), "the figures the panel shows").toEqual(Object.keys(FIGURES).sort());
    for (const [testId, [kind, of]] of Object.entries(FIGURES)) {
      const expected = of(cli);
      const value = Number(shown[testId]);
      if (kind === "count") expect(value, testId).toBe(expected);
      else expect(Math.abs(value - expected), `${testId}: panel ${value}, CLI ${expected}`).toBeLessThanOrEqual(1e-9 * Math.abs(expected));
    }
    await result.getByText(`insurance fund ${formatUsd(cli.cascade.insuranceFundBefore)} USD at the start`).waitFor();

    await page.evaluate(() => window.scrollTo(0, 0)); // else the sticky top bar lands mid-page in the full-page shot
    await page.screenshot({ path: screenshotPath("desk-stress"), fullPage: true });
    await page.close();
  });
});
