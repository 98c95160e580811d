import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { launchBrowser } from "../support/browser";
import { runScript, startAppServer, stopAndRemove, type AppServer } from "../support/app-server";
import { IngestClient } from "../support/ingest-client";
import { newDeskPage } from "../support/sign-in";

/** Seconds in an age label ("STALE · 12 s ago", "3 min ago"). */
function ageSeconds(text: string): number {
  const m = /([\d.]+) (s|min|h) ago/.exec(text);
  if (!m) throw new Error(`not an age: ${text}`);
  return Number(m[1]) * (m[2] === "s" ? 1 : m[2] === "min" ? 60 : 3600);
}

describe("a restart without a price feed (spec §7, revision 2)", () => {
  const env = { LIQDESK_SIMULATOR: "off", LIQDESK_STALE_AFTER_MS: "2000" };
  let server: AppServer | null = null;
  let browser: Browser;
  let markedAt = 0;

  beforeAll(async () => {
    server = await startAppServer({ env });
    const ingest = new IngestClient(server.url, runScript(server, "token", ["create", "restart"]).trim());
    await ingest.mark("BTC-PERP", 60000); // SOL-PERP is never priced
    markedAt = Date.now();
    await ingest.post("collateral", { entries: [
      { accountId: "r-btc", amount: "5000", kind: "deposit", idempotencyKey: "r-btc" },
      { accountId: "r-sol", amount: "1000", kind: "deposit", idempotencyKey: "r-sol" },
    ] });
    await ingest.post("positions", { source: "venue", updates: [
      { accountId: "r-btc", marketId: "BTC-PERP", qty: 1, entryPrice: 61000, seq: 1 },
      { accountId: "r-sol", marketId: "SOL-PERP", qty: 10, entryPrice: 150, seq: 2 },
    ] });
    expect(await server.stop()).toBe(0);
    server = await startAppServer({ dataDir: server.dataDir, env });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await stopAndRemove(server);
  });

  async function deskPage(path: string): Promise<Page> {
    const page = await newDeskPage(browser, server!, { viewport: { width: 1400, height: 1000 } });
    await page.goto(`${server!.url}${path}`);
    return page;
  }

  it("the desk: not LIVE, the mark and the figures aged from the persisted mark, the market never priced named", async () => {
    const page = await deskPage("/desk");
    const card = page.getByTestId("market-BTC-PERP");
    await expect.poll(() => card.getByTestId("mark").textContent()).toContain("60,000");
    await expect.poll(() => page.getByTestId("connection-status").getAttribute("data-status")).toBe("live"); // the socket
    expect(await page.getByTestId("connection-status").getAttribute("data-prices")).toBe("nofeed");
    expect(await page.getByTestId("connection-status").textContent()).not.toContain("LIVE");
    // The page's clock ticks once a second and ages from 10 s are whole seconds: 2.5 s of slack.
    const minAge = (Date.now() - markedAt) / 1000 - 2.5;
    const markAge = await card.locator(".card-meta .age").textContent();
    expect(markAge).toContain("STALE");
    expect(ageSeconds(markAge!)).toBeGreaterThanOrEqual(minAge);
    // Book figures are as old as the mark they use, not as old as their last sum.
    const figureAge = await page.getByTestId("summary-shortfall").locator(".age").textContent();
    expect(figureAge).toContain("STALE");
    expect(ageSeconds(figureAge!)).toBeGreaterThanOrEqual(minAge);
    // So is the fund's runway, computed a moment ago from those marks (it said "STALE · 0.8 s ago").
    await expect.poll(() => page.getByTestId("summary-runway").getAttribute("data-value")).not.toBeNull();
    const runwayAge = await page.getByTestId("summary-runway").locator(".age").textContent();
    expect(runwayAge).toContain("STALE");
    expect(ageSeconds(runwayAge!)).toBeGreaterThanOrEqual(minAge);
    const banner = await page.getByTestId("stale-markets").textContent();
    expect(banner).toMatch(/BTC-PERP \(last mark [\d.]+ (s|min) ago\)/);
    expect(banner).toMatch(/NO PRICE YET: .*SOL-PERP/);
    expect(await page.getByTestId("summary-status-unknown").getAttribute("data-value")).toBe("1");
    // A desk page that streams no prices (the alerts inbox) never says LIVE either: its socket is up, that is all.
    await page.goto(`${server!.url}/desk/alerts`);
    await expect.poll(() => page.getByTestId("connection-status").getAttribute("data-status")).toBe("live");
    expect(await page.getByTestId("connection-status").textContent()).toBe("CONNECTED");
  });

  it("stress, fund runway and liquidation map leave out the account in the market never priced and say so; its map is 'no price yet', no error", async () => {
    const page = await deskPage("/desk");
    const mapAnswers: number[] = [];
    const consoleErrors: string[] = [];
    page.on("response", (r) => { if (r.url().includes("/liquidation-map")) mapAnswers.push(r.status()); });
    page.on("console", (m) => { if (m.type() === "error") consoleErrors.push(`${m.text()} ${m.location().url}`); });
    await expect.poll(() => page.getByTestId("summary-runway").getAttribute("data-value")).not.toBeNull();
    expect(await page.getByTestId("summary-runway").locator(".figure-hint").textContent())
      .toBe("uniform move the fund covers · excludes 1 account not evaluated: no price yet for SOL-PERP");

    await page.getByTestId("stress-shock-input-BTC-PERP").fill("-1");
    expect(await page.getByTestId("stress-shock-input-SOL-PERP").isDisabled()).toBe(true);
    await page.getByTestId("stress-run").click();
    await page.getByTestId("stress-unknown-accounts").waitFor();
    expect(await page.getByTestId("stress-unknown-accounts").textContent()).toContain("1 account not evaluated: no price yet for SOL-PERP");
    // r-btc (1 BTC long, equity 4,000 at 60,000) is the one evaluated: healthy at 59,400.
    expect(await page.getByTestId("stress-status-healthy").getAttribute("data-value")).toBe("1");
    expect(await page.getByTestId("stress-status-unknown").count()).toBe(0);

    await page.getByTestId("map-market-SOL-PERP").click();
    await page.getByTestId("liquidation-map-panel").locator(".query-state, svg").first().scrollIntoViewIfNeeded(); // fetched while on screen
    await expect.poll(() => page.getByTestId("liquidation-map-panel").textContent(), { timeout: 30_000 }).toContain("No price yet for SOL-PERP");
    expect(await page.getByTestId("map-no-price").textContent()).toContain("No price yet for SOL-PERP");
    expect(mapAnswers.length).toBeGreaterThan(0);
    expect(mapAnswers.every((s) => s === 200)).toBe(true);
    expect(consoleErrors.filter((e) => e.includes("liquidation-map") || e.includes("status of"))).toEqual([]);
  });

  it("an account in a market never priced shows unknown figures, never entry-price ones; a priced one is valued at the persisted mark", async () => {
    const sol = await deskPage("/desk/accounts/r-sol");
    await sol.getByTestId("account-unknown").waitFor();
    expect(await sol.getByTestId("account-unknown").textContent()).toContain("unknown — no price for SOL-PERP");
    expect(await sol.getByTestId("account-equity").getAttribute("data-value")).toBe("unknown");
    expect(await sol.getByTestId("account-equity").locator(".figure-value").textContent()).toBe("unknown");
    expect(await sol.getByTestId("position-SOL-PERP").getByTestId("cell-upnl").textContent()).toBe("unknown");
    expect(await sol.getByTestId("position-SOL-PERP").getByTestId("cell-mark").textContent()).toBe("unknown");
    expect(await sol.locator(".badge").first().textContent()).toBe("unknown");

    const btc = await deskPage("/desk/accounts/r-btc");
    await btc.getByTestId("position-BTC-PERP").waitFor();
    expect(await btc.getByTestId("position-BTC-PERP").getByTestId("cell-upnl").textContent()).toBe("\u22121,000.00");
    expect(await btc.getByTestId("account-equity").getAttribute("data-value")).toBe("4000");
    const age = await btc.getByTestId("account-equity").locator(".age").textContent();
    expect(age).toContain("STALE");
    expect(ageSeconds(age!)).toBeGreaterThanOrEqual((Date.now() - markedAt) / 1000 - 2.5);
  });
});
