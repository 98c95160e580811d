import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Browser, Page } from "playwright-core";
import { newDeskPage, signInDesk } from "../support/sign-in";
import { launchBrowser, screenshotPath, waitForDrawnLine } from "../support/browser";
import { startAppServer, stopAndRemove, type AppServer } from "../support/app-server";

/** A realistic book: thousands of demo accounts under the price simulator, the simulated venue executing steps. */
const ACCOUNTS = 5000;

/** Console errors and uncaught exceptions of a page, collected from the start. */
function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  return errors;
}

async function getJson<T>(server: AppServer, path: string): Promise<T> {
  const res = await (await signInDesk(server)).fetch(path);
  const url = `${server.url}${path}`;
  if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

describe("screenshots of every page with a live simulated book", () => {
  let server: AppServer;
  let browser: Browser;
  const total = async (path: string) => (await getJson<{ total: number }>(server, path)).total;

  beforeAll(async () => {
    server = await startAppServer({ env: { LIQDESK_SIMULATOR: "on", LIQDESK_SIM_ACCOUNTS: String(ACCOUNTS) } });
    browser = await launchBrowser();
    // Prices move until accounts enter the queue and the simulated venue has executed steps.
    await vi.waitFor(async () => expect(await total("/api/v1/accounts?limit=1")).toBe(ACCOUNTS), { timeout: 120_000, interval: 500 });
    await vi.waitFor(async () => expect(await total("/api/v1/liquidations/queue?limit=1")).toBeGreaterThan(0), { timeout: 180_000, interval: 500 });
    await vi.waitFor(async () => expect(await getJson<unknown[]>(server, "/api/v1/liquidations/events?limit=1")).not.toEqual([]),
      { timeout: 180_000, interval: 500 });
  });
  afterAll(async () => {
    await browser?.close();
    expect(await stopAndRemove(server)).toBe(0);
  });

  it("/desk: every region live, two accounts charted, a stress result, without console errors", async () => {
    const page = await newDeskPage(browser, server, { viewport: { width: 1440, height: 900 } });
    const errors = collectErrors(page);
    await page.goto(`${server.url}/desk`);
    for (const id of ["desk-summary", "queue-table", "ratio-histogram", "accounts-table", "ratio-series-panel", "liquidations-feed",
      "insurance-fund-panel", "stress-panel", "liquidation-map-panel"]) {
      await page.getByTestId(id).waitFor({ state: "visible" });
    }
    await page.waitForSelector('[data-testid="connection-status"][data-status="live"]');
    await page.locator("[data-testid^=queue-row-]").first().waitFor();
    await page.getByTestId("feed-table").locator("[data-testid^=event-]").first().waitFor();
    await page.getByTestId("liquidation-map-panel").getByTestId("liquidation-map-chart").waitFor();
    await page.getByTestId("ratio-histogram").locator(".recharts-bar-rectangle").first().waitFor();
    await page.getByTestId("insurance-fund-panel").locator(".recharts-line-curve, .recharts-area-curve").first().waitFor();
    for (const card of await page.locator("[data-testid^=market-]").all()) await waitForDrawnLine(card.getByTestId("mark-line"));

    // What a desk user does next: chart two accounts close to the line, run a stress test.
    // The table lists warning and worse; leave out those already past saving.
    await page.getByTestId("filter-status-bankrupt").click();
    await page.getByTestId("filter-status-backstop").click();
    const statusOfRow = (n: number) => page.locator("[data-testid^=account-row-]").nth(n).getByRole("cell").nth(2).textContent();
    await expect.poll(async () => [await statusOfRow(0), await statusOfRow(1)].every((s) => s === "warning" || s === "liquidatable"),
      { timeout: 20_000 }).toBe(true);
    await page.locator("[data-testid^=account-row-]").nth(0).getByRole("checkbox").check();
    await page.locator("[data-testid^=account-row-]").nth(1).getByRole("checkbox").check();
    // The panel polls its accounts only while on screen, as a user scrolling to it would see it.
    await page.getByTestId("ratio-series-panel").scrollIntoViewIfNeeded();
    await expect.poll(() => page.getByTestId("ratio-series-panel").locator(".recharts-line-curve").count(), { timeout: 20_000 })
      .toBeGreaterThanOrEqual(2);
    await page.getByRole("button", { name: "all −10%" }).click();
    await page.getByTestId("stress-run").click();
    await page.getByTestId("stress-result").waitFor({ timeout: 60_000 });
    expect(Number(await page.getByTestId("stress-rounds").getAttribute("data-value"))).toBeGreaterThanOrEqual(1);

    // The live tables' cells: a figure is never cut nor spills into the next column, and only text
    // cells clip: account, next step, runs; owner (a clipping box is a clip node Chromium layerizes at every frame).
    const cells = await page.evaluate(() => [...document.querySelectorAll('[data-testid=queue-table] [role=row]:not(.ghead), [data-testid=accounts-table] [role=row]:not(.vhead)')]
      .map((row) => [...row.querySelectorAll(":scope > [role=cell]")].map((c) => ({
        text: c.textContent ?? "", clips: getComputedStyle(c).overflowX !== "visible", fits: c.scrollWidth <= c.clientWidth + 1,
      }))));
    expect(cells.length).toBeGreaterThan(5);
    for (const row of cells) {
      expect(row.filter((c) => c.clips).length, row.map((c) => c.text).join(" | ")).toBeLessThanOrEqual(3);
      for (const c of row) if (!c.clips) expect(c.fits, `"${c.text}" spills out of its column`).toBe(true);
    }

    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: screenshotPath("desk"), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it("/desk/accounts/<an account in the queue>: figures, positions, next steps, history, ledger", async () => {
    // The entry most likely still queued when the page loads: a partial plan waiting longest for
    // its next step. The simulation goes on meanwhile, so an account may leave the queue (healed)
    // or lose its last position (a step closed it) while its page loads: then the queue is read
    // again, and the page is shown only while it has both.
    const page = await newDeskPage(browser, server, { viewport: { width: 1440, height: 900 } });
    const errors = collectErrors(page);
    const queuedWithPositions = () => page.evaluate(() =>
      document.querySelector('[data-testid="account-queue"]') !== null && document.querySelector('[data-testid^="position-"]') !== null);
    const tried: string[] = [];
    let shown: string | null = null;
    for (let attempt = 0; attempt < 10 && !shown; attempt++) {
      const queue = await getJson<{ items: { accountId: string; mode: string; cooldownRemainingMs: number }[] }>(
        server, "/api/v1/liquidations/queue?limit=200");
      const entry = [...queue.items].sort((a, b) => Number(b.mode === "partial") - Number(a.mode === "partial")
        || b.cooldownRemainingMs - a.cooldownRemainingMs)[0];
      expect(entry, "an account in the liquidation queue").toBeDefined();
      tried.push(entry!.accountId);
      await page.goto(`${server.url}/desk/accounts/${encodeURIComponent(entry!.accountId)}`);
      expect(await page.getByTestId("account-id").textContent()).toBe(entry!.accountId);
      for (const id of ["account-ratio", "positions-table", "next-steps", "margin-history-panel", "account-events-panel", "ledger-panel"]) {
        await page.getByTestId(id).waitFor({ state: "visible" });
      }
      await page.getByTestId("margin-history-panel").locator(".recharts-line-curve").first().waitFor({ timeout: 30_000 });
      if (await queuedWithPositions()) shown = entry!.accountId;
    }
    expect(shown, `none of ${tried.join(", ")} was still in the queue with a position once its page had loaded`).not.toBeNull();
    expect((await page.getByTestId("next-steps").textContent())?.length).toBeGreaterThan(20);
    await page.screenshot({ path: screenshotPath("desk-account"), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it("/desk/accounts/<unknown>: a 404 page that leads back to the desk", async () => {
    const page = await newDeskPage(browser, server, { viewport: { width: 1440, height: 900 } });
    const response = await page.goto(`${server.url}/desk/accounts/no-such-account`);
    expect(response?.status()).toBe(404);
    await page.getByTestId("account-not-found").waitFor();
    await page.screenshot({ path: screenshotPath("desk-account-404"), fullPage: true });
    await page.getByRole("link", { name: "Back to the desk" }).click();
    await page.waitForURL(`${server.url}/desk`);
    await page.getByTestId("queue-table").waitFor();
    await page.close();
  });
});
