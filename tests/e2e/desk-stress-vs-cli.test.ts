import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import type { StressResult } from "@/lib/risk";
import { seedMarkets } from "@/lib/sim/seed-markets";
import { formatPrice } from "@/lib/format/price";
import { formatUsd } from "@/lib/format/usd";
import { newDeskPage, signInDesk } from "../support/sign-in";
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
    await expect.poll(() => page.getByTestId("connection-status").getAttribute("data-status"), { timeout: 30_000 }).toBe("live");
    expect(await page.getByTestId("summary-accounts").getAttribute("data-value")).toBe(String(ACCOUNTS.filter((a) => a.positions.length).length));
    expect(await page.getByTestId("summary-fund").getAttribute("data-value")).toBe(FUND_SEED);

    const panel = page.getByTestId("stress-panel");
    await panel.scrollIntoViewIfNeeded();
    expect(await panel.getByTestId("stress-result").count()).toBe(0);
    await panel.getByRole("textbox", { name: "BTC-PERP shock in percent" }).pressSequentially("-10");
    await expect.poll(() => panel.getByTestId("stress-will-run-BTC-PERP").locator(".shock-after").textContent())
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

  it("typing −15 runs −15% and says so; −150 is refused with the box and the range named, and nothing runs", async () => {
    const page = await newDeskPage(browser, server, { viewport: { width: 1440, height: 1000 } });
    const stressPosts: string[] = [];
    page.on("request", (r) => { if (r.method() === "POST" && r.url().endsWith("/api/v1/stress")) stressPosts.push(r.postData() ?? ""); });
    await page.goto(`${server.url}/desk`);
    await expect.poll(() => page.getByTestId("connection-status").getAttribute("data-status"), { timeout: 30_000 }).toBe("live");
    const panel = page.getByTestId("stress-panel");
    await panel.scrollIntoViewIfNeeded();
    const box = panel.getByTestId("stress-shock-input-BTC-PERP");
    // Typed key by key, as a person does: the "-" must survive the moment it is alone in the box.
    await box.pressSequentially("-15");
    expect(await box.inputValue()).toBe("-15");
    await expect.poll(() => panel.getByTestId("stress-will-run-BTC-PERP").textContent()).toBe(`\u221215.0% ${formatPrice(51000, 0.1)}`);
    expect(await panel.getByTestId("stress-will-run").textContent()).toBe("Will run: BTC-PERP \u221215.0% · every market's own depth");
    await panel.getByRole("button", { name: "Run stress test" }).click();
    const result = panel.getByTestId("stress-result");
    await result.waitFor({ timeout: 60_000 });
    expect(JSON.parse(stressPosts.at(-1)!)).toEqual({ shocks: { "BTC-PERP": -0.15 } });
    await expect.poll(() => result.locator(".panel-note").textContent()).toMatch(/^BTC-PERP \u221215\.0% · /);
    const btc = result.getByTestId("cascade-market-BTC-PERP");
    expect(Number(await btc.getAttribute("data-depth"))).toBe(seedMarkets.find((m) => m.id === "BTC-PERP")!.liquidity.depthPer1Pct);
    expect(await btc.getAttribute("data-overridden")).toBe("false");
    const asOf = await result.getAttribute("data-as-of");

    // −80 is run as −80 (never capped at −50).
    await box.fill("");
    await box.pressSequentially("-80");
    await expect.poll(() => panel.getByTestId("stress-will-run-BTC-PERP").textContent()).toBe(`\u221280.0% ${formatPrice(12000, 0.1)}`);

    // −150 is out of range: an error naming the box and the range; Run sends nothing.
    await box.fill("");
    await box.pressSequentially("-150");
    const rowError = panel.getByTestId("stress-shock-BTC-PERP").getByRole("alert");
    await expect.poll(() => rowError.textContent()).toBe("BTC-PERP shock must be from \u221299% to +1000% (got \u2212150.0%); nothing was run");
    const sent = stressPosts.length;
    await panel.getByRole("button", { name: "Run stress test" }).click();
    await expect.poll(() => panel.getByTestId("stress-refused").textContent()).toContain("BTC-PERP shock must be from \u221299% to +1000%");
    await page.waitForTimeout(500);
    expect(stressPosts.length, "no stress request for an out-of-range shock").toBe(sent);
    expect(await result.getAttribute("data-as-of")).toBe(asOf);

    // A depth override for the run is sent, used and shown beside the result.
    await box.fill("");
    await box.pressSequentially("-10");
    await panel.getByRole("textbox", { name: /^BTC-PERP depth for 1%/ }).pressSequentially("500000");
    await panel.getByRole("button", { name: "Run stress test" }).click();
    await expect.poll(() => result.getByTestId("cascade-market-BTC-PERP").getAttribute("data-overridden"), { timeout: 60_000 }).toBe("true");
    expect(JSON.parse(stressPosts.at(-1)!)).toEqual({ shocks: { "BTC-PERP": -0.1 }, depthPer1Pct: { "BTC-PERP": 500000 } });
    expect(await result.getByTestId("cascade-market-BTC-PERP").getAttribute("data-depth")).toBe("500000");
    await result.getByTestId("cascade-market-BTC-PERP").getByText("override").waitFor();
    await panel.screenshot({ path: screenshotPath("desk-stress-panel-1440") });

    await page.setViewportSize({ width: 390, height: 900 });
    await panel.scrollIntoViewIfNeeded();
    await panel.screenshot({ path: screenshotPath("desk-stress-panel-390") });
    // The panel fits the screen: its tables scroll inside their own boxes.
    const bounds = await panel.boundingBox();
    expect(bounds!.x + bounds!.width).toBeLessThanOrEqual(390);
    expect(await panel.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    await page.close();
  });

  it("HTTP: evaluate accepts negative collateral; stress refuses a shock out of [-0.99, 10] and a bad depth naming the field, and reports the depth it used", async () => {
    const desk = await signInDesk(server);
    const evaluate = await desk.post("/api/v1/risk/evaluate", {
      markets: seedMarkets.filter((m) => m.id === "BTC-PERP").map((m) => ({ id: m.id, lotSize: m.lotSize, tickSize: m.tickSize, liquidationFeeRate: m.liquidationFeeRate, tiers: m.tiers, liquidity: m.liquidity })),
      prices: { "BTC-PERP": 60000 },
      accounts: [{ id: "owes", collateral: -120.5, positions: [] }, { id: "owes-long", collateral: -100, positions: [{ marketId: "BTC-PERP", qty: 0.1, entryPrice: 50000 }] }],
    });
    expect(evaluate.status).toBe(200);
    const evaluated = (await evaluate.json()) as { accounts: { id: string; status: string; equity: number }[] };
    expect(evaluated.accounts.map((a) => [a.id, a.status, a.equity])).toEqual([["owes", "healthy", -120.5], ["owes-long", "healthy", 900]]);

    for (const [shock, ok] of [[-0.99, true], [10, true], [-0.995, false], [-1, false], [10.5, false]] as const) {
      const res = await desk.post("/api/v1/stress", { shocks: { "BTC-PERP": shock }, maxRounds: 0 });
      if (ok) expect(res.status, String(shock)).toBe(200);
      else {
        expect(res.status, String(shock)).toBe(400);
        expect((await res.json()).error.fields).toEqual([{ path: "shocks.BTC-PERP", message: `must be in [-0.99, 10] (a fraction of the mark: \u221299% to +1000%; got ${shock})` }]);
      }
    }
    for (const [depth, path] of [[0, "depthPer1Pct.BTC-PERP"], [-5, "depthPer1Pct.BTC-PERP"], ["x", "depthPer1Pct.BTC-PERP"]] as const) {
      const res = await desk.post("/api/v1/stress", { shocks: {}, depthPer1Pct: { "BTC-PERP": depth } });
      expect(res.status, String(depth)).toBe(400);
      expect((await res.json()).error.fields.map((f: { path: string }) => f.path)).toEqual([path]);
    }
    const unknown = await desk.post("/api/v1/stress", { shocks: {}, depthPer1Pct: { "NOPE-PERP": 1000 } });
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).error.fields).toEqual([{ path: "depthPer1Pct.NOPE-PERP", message: "unknown market \"NOPE-PERP\"" }]);
    const over = await desk.post("/api/v1/stress", { shocks: { "BTC-PERP": -0.1 }, depthPer1Pct: { "ETH-PERP": 123456 } });
    expect(over.status).toBe(200);
    const { result } = (await over.json()) as { result: StressResult };
    expect(result.depth["ETH-PERP"]).toEqual({ depthPer1Pct: 123456, overridden: true });
    expect(result.depth["BTC-PERP"]).toEqual({ depthPer1Pct: 2_000_000, overridden: false });
    expect(result.cascade.finalMarkChange["BTC-PERP"]).toBeCloseTo(result.cascade.finalMarks["BTC-PERP"]! / 60000 - 1, 12);
  });

  it("accounts in debt are listed on the desk with the amount, live", async () => {
    const ingest = new IngestClient(server.url, runScript(server, "token", ["create", "e2e-debt"]).trim());
    const page = await newDeskPage(browser, server, { viewport: { width: 1440, height: 1000 } });
    await page.goto(`${server.url}/desk`);
    await expect.poll(() => page.getByTestId("connection-status").getAttribute("data-status"), { timeout: 30_000 }).toBe("live");
    const panel = page.getByTestId("debt-panel");
    await panel.scrollIntoViewIfNeeded();
    await panel.getByText("No account carries debt").waitFor();
    // A withdrawal beyond the balance of a flat account (1,234.56): it owes 765.44 and is still "healthy" by status.
    await ingest.post("collateral", { entries: [{ accountId: "st-flat", amount: "-2000", kind: "withdrawal", idempotencyKey: "e2e-debt:1" }] });
    const row = panel.getByTestId("debt-row-st-flat");
    const owed = async () => Math.round(Number(await row.getByTestId("debt-amount").getAttribute("data-value")) * 100) / 100;
    await expect.poll(owed, { timeout: 15_000 }).toBe(765.44);
    expect(await row.getByTestId("debt-amount").textContent()).toBe("765.44");
    expect(await row.textContent()).toContain("in debt");
    expect(await panel.getByTestId("debt-count").getAttribute("data-value")).toBe("1");
    await panel.screenshot({ path: screenshotPath("desk-debt-panel-1440") });
    // It changes live (no reload): a deposit that clears the debt takes the account off the list.
    await ingest.post("collateral", { entries: [{ accountId: "st-flat", amount: "800", kind: "deposit", idempotencyKey: "e2e-debt:2" }] });
    await panel.getByText("No account carries debt").waitFor({ timeout: 15_000 });
    await ingest.post("collateral", { entries: [{ accountId: "st-flat", amount: "-1000", kind: "withdrawal", idempotencyKey: "e2e-debt:3" }] });
    await expect.poll(owed, { timeout: 15_000 }).toBe(965.44);
    await page.setViewportSize({ width: 390, height: 900 });
    await panel.scrollIntoViewIfNeeded();
    await panel.screenshot({ path: screenshotPath("desk-debt-panel-390") });
    await page.close();
  });
});
