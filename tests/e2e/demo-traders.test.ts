import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { launchBrowser, screenshotPath } from "../support/browser";
import { startAppServer, stopAndRemove, type AppServer } from "../support/app-server";
import { signIn, signInBrowser } from "../support/sign-in";

/** A first start as `npm start` makes it: the simulator moving prices, the venue executing steps, the demo users. */
const ENV = { LIQDESK_SIMULATOR: "on", LIQDESK_SIM_ACCOUNTS: "300" };
const PASSWORD = "liqdesk-demo";
/**
 * A: healthy far from the line. B: seeded at margin ratio 82% (warning); the simulator's prices
 * move it across the warning line (80%) within seconds either way, and into the queue after
 * minutes (tests/unit/sim/demo-trader-accounts.test.ts): near the line, out of the queue at first.
 */
const TRADERS = [
  { email: "trader-a@liqdesk.local", account: "demo-trader-a", states: ["healthy"], ratio: [0, 0.05], positions: 2 },
  { email: "trader-b@liqdesk.local", account: "demo-trader-b", states: ["warning", "healthy"], ratio: [0.7, 1], positions: 6 },
] as const;

describe("the demo traders sign in to accounts that live", () => {
  let server: AppServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startAppServer({ env: ENV });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    expect(await stopAndRemove(server)).toBe(0);
  });

  it("after the first start, trader A's account is comfortable and trader B's in warning, both holding their positions", async () => {
    // The demo users are bound once the simulator's book is ingested, just after the server is ready.
    await expect.poll(() => server.output().includes("(traders)"), { timeout: 60_000 }).toBe(true);
    // Some seconds of live prices and liquidation steps first (the book's riskiest accounts are being liquidated): the traders' are not.
    await new Promise((r) => setTimeout(r, 5000));
    for (const trader of TRADERS) {
      const session = await signIn(server.url, trader.email, PASSWORD);
      for (const width of [1440, 390]) {
        const context = await browser.newContext({ viewport: { width, height: 1100 } });
        await signInBrowser(context, server, session);
        const page = await context.newPage();
        await page.goto(`${server.url}/account`);
        await page.waitForSelector('[data-testid="connection-status"][data-status="live"]');
        expect(await page.getByTestId("account-id").textContent()).toBe(trader.account);
        const rows = page.getByTestId("positions-table").locator("[data-testid^=position-]");
        await expect.poll(() => rows.count()).toBe(trader.positions);
        const state = await page.getByTestId("account-status").getAttribute("data-state");
        const ratio = Number(await page.getByTestId("margin-gauge").getAttribute("data-value"));
        console.info(`${trader.account} at ${width} px: ${state}, margin ratio ${ratio}`);
        expect(trader.states).toContain(state);
        expect(ratio).toBeGreaterThanOrEqual(trader.ratio[0]);
        expect(ratio).toBeLessThan(trader.ratio[1]);
        expect(await page.getByTestId("account-not-queued").count()).toBe(1);
        expect(await page.getByTestId("next-steps-panel").textContent()).not.toContain("No open position");
        await page.screenshot({ path: screenshotPath(`demo-${trader.account}-${width}`), fullPage: true });
        await context.close();
      }
    }
  });
});
