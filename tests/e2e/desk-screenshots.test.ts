import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { ARTIFACTS, launchBrowser, screenshotPath } from "../support/browser";
import { removeDataDir, startAppServer, type AppServer } from "../support/app-server";

/** Console errors and uncaught exceptions of a page, collected from the start. */
function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  return errors;
}

/** Main-thread long tasks (> 50 ms) over `ms`, and frames drawn: what a desk user feels as jank. */
function measureLongTasks(page: Page, ms: number): Promise<{ windowMs: number; count: number; maxMs: number; totalMs: number; framesPerSecond: number }> {
  return page.evaluate((windowMs) => new Promise((resolve) => {
    const durations: number[] = [];
    const observer = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) durations.push(e.duration);
    });
    observer.observe({ type: "longtask" });
    let frames = 0;
    let stop = false;
    const frame = () => {
      frames++;
      if (!stop) requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
    setTimeout(() => {
      stop = true;
      observer.disconnect();
      resolve({
        windowMs,
        count: durations.length,
        maxMs: Math.round(Math.max(0, ...durations)),
        totalMs: Math.round(durations.reduce((a, b) => a + b, 0)),
        framesPerSecond: Math.round((frames / windowMs) * 10_000) / 10,
      });
    }, windowMs);
  }), ms);
}

describe("desk screenshots with a live simulated book", () => {
  let server: AppServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startAppServer({ env: { LIQDESK_SIMULATOR: "on", LIQDESK_SIM_ACCOUNTS: "5000" } });
    browser = await launchBrowser();
    await new Promise((r) => setTimeout(r, 20_000)); // prices move, accounts enter the queue, steps execute
  });
  afterAll(async () => {
    await browser?.close();
    const code = await server?.stop();
    if (server) removeDataDir(server.dataDir);
    expect(code).toBe(0);
  });

  it("/desk shows every region live, without console errors; long tasks are recorded", async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const errors = collectErrors(page);
    await page.goto(`${server.url}/desk`);

    for (const id of ["desk-summary", "queue-table", "ratio-histogram", "accounts-table", "ratio-series-panel", "liquidations-feed",
      "insurance-fund-panel", "stress-panel", "liquidation-map-panel"]) {
      await page.getByTestId(id).waitFor({ state: "visible" });
    }
    await page.locator("[data-testid^=queue-row-]").first().waitFor();
    await page.locator("[data-testid^=account-row-]").first().waitFor();
    await page.getByTestId("liquidation-map-panel").locator(".recharts-bar-rectangle").first().waitFor();
    await page.getByTestId("ratio-histogram").locator(".recharts-bar-rectangle").first().waitFor();
    expect(await page.getByTestId("connection-status").textContent()).toContain("LIVE");

    const longTasks = await measureLongTasks(page, 10_000);
    writeFileSync(path.join(ARTIFACTS, "desk-long-tasks.json"), `${JSON.stringify({ page: "/desk", accounts: 5000, ...longTasks }, null, 2)}\n`);

    // What a desk user does next: chart two accounts close to the line, run a stress test.
    await page.getByTestId("filter-status-bankrupt").click();
    await page.getByTestId("filter-status-backstop").click();
    await page.waitForTimeout(1000);
    const rows = page.locator("[data-testid^=account-row-] input[type=checkbox]");
    await rows.nth(0).check();
    await rows.nth(1).check();
    await page.getByTestId("ratio-series-panel").locator(".recharts-line-curve").first().waitFor();
    await page.getByRole("button", { name: "all −10%" }).click();
    await page.getByTestId("stress-run").click();
    await page.getByTestId("stress-result").waitFor({ timeout: 60_000 });
    expect(Number(await page.getByTestId("stress-rounds").getAttribute("data-value"))).toBeGreaterThanOrEqual(0);
    expect(Number.isFinite(Number(await page.getByTestId("stress-fund-after").getAttribute("data-value")))).toBe(true);

    await page.waitForTimeout(1500);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: screenshotPath("desk"), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it("an account from the queue: figures, positions, next steps, history", async () => {
    const queue = await (await fetch(`${server.url}/api/v1/liquidations/queue?limit=1`)).json() as { items: { accountId: string }[] };
    let accountId = queue.items[0]?.accountId;
    if (!accountId) {
      const page1 = await (await fetch(`${server.url}/api/v1/accounts?limit=1`)).json() as { items: { accountId: string }[] };
      accountId = page1.items[0]!.accountId;
    }
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const errors = collectErrors(page);
    await page.goto(`${server.url}/desk/accounts/${encodeURIComponent(accountId)}`);
    expect(await page.getByTestId("account-id").textContent()).toBe(accountId);
    for (const id of ["account-ratio", "positions-table", "next-steps", "margin-history-panel", "account-events-panel", "ledger-panel"]) {
      await page.getByTestId(id).waitFor({ state: "visible" });
    }
    expect(await page.locator("[data-testid^=position-]").count()).toBeGreaterThan(0);
    expect((await page.getByTestId("next-steps").textContent())?.length).toBeGreaterThan(20);
    await page.waitForTimeout(2500); // a poll or two
    await page.screenshot({ path: screenshotPath("desk-account"), fullPage: true });
    expect(errors).toEqual([]);

    const response = await page.goto(`${server.url}/desk/accounts/no-such-account`);
    expect(response?.status()).toBe(404);
    await page.getByTestId("account-not-found").waitFor();
    await page.close();
  });
});
